"""Case identifiers (BG-Nummer, Kundennummer): parsing, masking and log pseudonyms."""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from kiosk.core.text import N_


class CaseKind(StrEnum):
    BG_NUMMER = "bg-nummer"
    KUNDENNUMMER = "kundennummer"


@dataclass(frozen=True, slots=True)
class CaseNumber:
    """A validated case identifier in canonical form (e.g. ``12345BG0012345``)."""

    kind: CaseKind
    value: str

    def masked(self) -> str:
        """The form shown on screens and receipts: enough to recognise, not to copy."""
        if self.kind is CaseKind.BG_NUMMER:
            return f"{self.value[:7]}•••{self.value[-4:]}"
        return f"{self.value[:4]}•••{self.value[-3:]}"

    def grouped(self) -> str:
        """The canonical value with spaces for reading back aloud or on screen."""
        if self.kind is CaseKind.BG_NUMMER:
            return f"{self.value[:5]} BG {self.value[7:]}"
        return f"{self.value[:4]} {self.value[4:]}"


class InvalidCaseNumber(ValueError):
    """The input is not a case number; ``reason`` is a client-facing message (untranslated)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# Longest input we even look at: a case number is 14 characters; generous room for
# spaces and hyphens, but a 10,000-character paste is rejected before any regex runs.
MAX_INPUT_LENGTH = 40

_SEPARATORS = re.compile(r"[\s\-\u00a0\u2010-\u2015]+")
# The trailing part of a BG-Nummer may be written without leading zeros ("12345BG12345").
_BG = re.compile(r"(\d{5})(?:BG|//)(\d{1,7})")
_KUNDENNUMMER = re.compile(r"(\d{3})([A-Z])(\d{6})")

REASON_EMPTY = N_("Please enter your number.")
REASON_TOO_LONG = N_("This is too long for a case number.")
REASON_CHARACTERS = N_("A case number has only digits, letters and the sign //.")
REASON_BG_SHAPE = N_(
    "A BG number has 5 digits, then BG, then up to 7 digits, for example 12345 BG 0012345."
)
REASON_BG_ZERO = N_("The last part of the BG number cannot be all zeros.")
REASON_SHAPE = N_(
    "This is not a case number. Look at the top right of a letter from the job centre: "
    "for example 12345 BG 0012345 or 123A456789."
)


# Cyrillic capitals that look like the Latin letters of a case number: a client typing on
# a Ukrainian layout means "BG" or "A" when they type "ВG" or "А".
_LOOKALIKES = str.maketrans("АВСЕНІКМОРТХ", "ABCEHIKMOPTX")


def _ascii_digits(text: str) -> str:
    """Arabic-Indic (٠١٢), Persian (۰۱۲) and other decimal digits become 0-9."""
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


def parse_case_number(raw: str) -> CaseNumber:
    """Canonicalise a typed or scanned case number, or raise InvalidCaseNumber."""
    if len(raw) > MAX_INPUT_LENGTH:
        raise InvalidCaseNumber(REASON_TOO_LONG)
    text = unicodedata.normalize("NFKC", raw)  # fullwidth forms become ASCII
    text = _ascii_digits(_SEPARATORS.sub("", text)).upper().translate(_LOOKALIKES)
    if not text:
        raise InvalidCaseNumber(REASON_EMPTY)
    if not text.isascii() or not all(c.isalnum() or c == "/" for c in text):
        raise InvalidCaseNumber(REASON_CHARACTERS)
    bg = _BG.fullmatch(text)
    if bg:
        office, serial = bg.groups()
        if int(serial) == 0:
            raise InvalidCaseNumber(REASON_BG_ZERO)
        return CaseNumber(CaseKind.BG_NUMMER, f"{office}BG{serial.zfill(7)}")
    kunde = _KUNDENNUMMER.fullmatch(text)
    if kunde:
        return CaseNumber(CaseKind.KUNDENNUMMER, text)
    if "BG" in text or "/" in text:
        raise InvalidCaseNumber(REASON_BG_SHAPE)
    raise InvalidCaseNumber(REASON_SHAPE)


def pseudonym(case: CaseNumber, key: bytes) -> str:
    """Keyed, stable pseudonym for logs: the same case gives the same tag, nothing reversible."""
    if len(key) < 16:
        raise ValueError("pseudonym key must be at least 16 bytes")
    digest = hmac.new(key, f"{case.kind}:{case.value}".encode(), hashlib.sha256)
    return "case-" + digest.hexdigest()[:16]
