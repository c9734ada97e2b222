"""Case identifiers (BG-Nummer, Kundennummer): parsing, masking and log pseudonyms."""

from __future__ import annotations

import re
import string
from enum import StrEnum

from msgspec import Struct

from kiosk.core.text import N_


class CaseKind(StrEnum):
    BG_NUMMER = "bg-nummer"
    KUNDENNUMMER = "kundennummer"


class CaseNumber(Struct, frozen=True):
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


# Stripped from both ends only: whitespace (a code reader ends a code with Enter, "\r\n")
# and the direction marks and isolates that right-to-left text puts around a left-to-right
# code (our own Arabic screens show a number as LRI ... PDI, see kiosk/ui/i18n/bidi.py). Inside
# the number they, like every control or format character, are refused (see _READ_AS_MEANT).
# Embeddings and overrides (U+202A-202E) are refused even at the ends: they can show a number
# in another order than the one it is stored in.
_EDGE = r"[\s\u061c\u200e\u200f\u2066-\u2069]+"
_EDGES = re.compile(rf"\A{_EDGE}|{_EDGE}\Z")
# Ignored inside a number: the spaces a keyboard or a copied text puts between groups (space,
# no-break, en/em/thin/hair/figure spaces U+2000-200A, narrow no-break, medium mathematical,
# ideographic) and hyphen-minus and the hyphens and dashes U+2010-2015. Not tab, line breaks,
# zero-width spaces or soft hyphens: those are refused like any other unlisted character.
_SEPARATORS = " \u00a0" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"
_SEPARATORS += "-" + "".join(map(chr, range(0x2010, 0x2016)))
# Cyrillic letters (either case) that look like the Latin ones of a case number: a client on
# a Ukrainian layout means "BG" or "A" when they type "ВG" or "А".
_CYRILLIC, _LATIN = "АВСЕНІКМОРТХ", "ABCEHIKMOPTX"
_CANONICAL_CHARACTERS = frozenset(string.digits + string.ascii_uppercase + "/")


def _read_as_meant() -> dict[int, str | None]:
    """Each character read as meant, mapped to its canonical ASCII (None: a separator).

    Anything not in this table is refused (REASON_CHARACTERS): other scripts' digits,
    circled, superscript and mathematical forms, ß, Greek, controls, zero-width characters.
    """
    table: dict[int, str | None] = {ord(c): None for c in _SEPARATORS}
    table |= {ord(c): c.upper() for c in string.ascii_lowercase}
    for zero in (0x0660, 0x06F0):  # Arabic-Indic; Extended Arabic-Indic (Persian, Urdu)
        table |= {zero + digit: str(digit) for digit in range(10)}
    for cyrillic, latin in zip(_CYRILLIC, _LATIN, strict=True):
        table[ord(cyrillic)] = table[ord(cyrillic.lower())] = latin
    # Turkish layout: the I key types a dotless "ı"; the client means the letter I.
    table[ord("ı")] = "I"
    # Fullwidth forms (U+FF01-FF5E) mean what their ASCII twin means: "１", "ｇ", "／", "－".
    for code in range(0xFF01, 0xFF5F):
        twin = chr(code - 0xFEE0)
        table[code] = table.get(ord(twin), twin)
    return table


_READ_AS_MEANT = _read_as_meant()


def parse_case_number(raw: str) -> CaseNumber:
    """Canonicalise a typed or scanned case number, or raise InvalidCaseNumber."""
    if len(raw) > MAX_INPUT_LENGTH:
        raise InvalidCaseNumber(REASON_TOO_LONG)
    text = _EDGES.sub("", raw).translate(_READ_AS_MEANT)
    if not text:
        raise InvalidCaseNumber(REASON_EMPTY)
    if not _CANONICAL_CHARACTERS.issuperset(text):
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


# --- typing a number key by key (the on-screen keypad, a keyboard) ----------------------
# A number is typed key by key; a key that cannot lead to a number is not offered (the keypad
# disables it) or not taken (a keyboard). The rule agrees with parse_case_number: every
# number it accepts can be typed, every input the rule lets through can still become one.

SEPARATOR_KEYS = ("BG", "//")  # one key each on the keypad
KEYS = frozenset((*string.digits, *string.ascii_uppercase, *SEPARATOR_KEYS))
OFFICE_DIGITS, SERIAL_DIGITS, CUSTOMER_DIGITS = 5, 7, 6

# Every start of a number: digits of the office (or the first three of a Kundennummer), the
# office and the first sign of BG or //, BG or // and up to 7 digits, a Kundennummer's three
# digits, letter and up to 6 digits. A serial of 7 zeros can never become a number.
_PREFIX = re.compile(
    r"[0-9]{0,5}|[0-9]{5}(?:B|/|BG|//)|[0-9]{5}(?:BG|//)[0-9]{1,7}|[0-9]{3}[A-Z][0-9]{0,6}"
)
_DEAD_END = re.compile(r"[0-9]{5}(?:BG|//)0{7}")


def read_key(char: str) -> str | None:
    """One typed character as parse_case_number reads it: its canonical ASCII ("ı" -> "I",
    "٣" -> "3", "ｂ" -> "B"), "" for a separator it ignores (space, hyphen), else None."""
    if len(char) != 1:
        return None
    mapped = _READ_AS_MEANT.get(ord(char), char)
    if mapped is None:
        return ""
    return mapped if mapped in _CANONICAL_CHARACTERS else None


def _typed(raw: str) -> str | None:
    """``raw`` as parse_case_number reads it, if it can still become a case number."""
    if len(raw) > MAX_INPUT_LENGTH:
        return None
    text = _EDGES.sub("", raw).translate(_READ_AS_MEANT)
    if not _CANONICAL_CHARACTERS.issuperset(text):
        return None
    if not _PREFIX.fullmatch(text) or _DEAD_END.fullmatch(text):
        return None
    return text


def is_case_prefix(raw: str) -> bool:
    """``raw`` is a case number or the start of one (the empty input too)."""
    return _typed(raw) is not None


def allowed_next(raw: str) -> frozenset[str]:
    """The keypad keys (digits, letters, BG, //) that may follow ``raw``: each keeps it the
    start of a case number. Empty when ``raw`` is complete, or cannot become a number."""
    if _typed(raw) is None:
        return frozenset()
    return frozenset(key for key in KEYS if _typed(raw + key) is not None)


class Step(StrEnum):
    """What comes next while a number is typed (the keypad's live hint says it)."""

    START = "start"  # nothing typed yet
    OFFICE = "office"  # the first 5 digits, then BG
    OFFICE_OR_LETTER = "office-or-letter"  # 3 digits: 2 more and BG, or a Kundennummer's letter
    SEPARATOR = "separator"  # 5 digits: BG (or //)
    SERIAL = "serial"  # the up to 7 digits after BG
    CUSTOMER = "customer"  # the 6 digits after a Kundennummer's letter
    COMPLETE = "complete"  # nothing more can follow


class Progress(Struct, frozen=True):
    step: Step
    typed: int  # digits typed of the part ``step`` names (of 5, 7 or 6)
    accepted: bool  # parse_case_number accepts the input as it stands


def progress(raw: str) -> Progress | None:
    """How far ``raw`` is on its way to a case number; None if it cannot become one."""
    text = _typed(raw)
    if text is None:
        return None
    accepted = _accepts(text)
    if not allowed_next(raw):
        return Progress(Step.COMPLETE, 0, accepted)
    if text.isdigit() or not text:
        step = {0: Step.START, 3: Step.OFFICE_OR_LETTER, OFFICE_DIGITS: Step.SEPARATOR}
        return Progress(step.get(len(text), Step.OFFICE), len(text), accepted)
    if text[3].isalpha():
        return Progress(Step.CUSTOMER, len(text) - 4, accepted)
    if len(text) == OFFICE_DIGITS + 1:  # the first sign of BG or // (typed on a keyboard)
        return Progress(Step.SEPARATOR, OFFICE_DIGITS, accepted)
    return Progress(Step.SERIAL, len(text) - OFFICE_DIGITS - 2, accepted)


def _accepts(text: str) -> bool:
    try:
        parse_case_number(text)
    except InvalidCaseNumber:
        return False
    return True


def pseudonym(case: CaseNumber, key: bytes) -> str:
    """Keyed, stable pseudonym for logs: the same case gives the same tag, nothing reversible."""
    if len(key) < 16:
        raise ValueError("pseudonym key must be at least 16 bytes")
    import hashlib  # OpenSSL loads here, not with every screen that shows a number
    import hmac

    digest = hmac.new(key, f"{case.kind}:{case.value}".encode(), hashlib.sha256)
    return "case-" + digest.hexdigest()[:16]
