"""What a code read from a card or a letter means: a case number, a token or a staff card.

Accepted forms (see card_signing.py and card_urls.py for the details):

- a plain case number: ``12345BG0012345``, ``12345//0012345``, ``123A456789``;
- a URL carrying it in an allowed query parameter: ``https://jobcenter.example/k?bg=...``;
- an opaque token, resolved later by the routing table: ``JC1:T:<16-128 of A-Z a-z 0-9 _ ->``;
- a signed client card: ``JC1:S:<case>:<YYYYMMDD>:<signature>``;
- a signed staff card: ``JC1:STAFF:<staff id>[:<role>]:<YYYYMMDD>:<signature>``;
- the Data Matrix on job-centre letters, ``B#0<BG-Nummer>``, only when enabled.

Everything read from a code is hostile until proven otherwise: more than 512 characters,
control characters (NUL, CR, LF, ...), bidi overrides, anything not printable ASCII and
``../`` are refused before any parsing. What comes out has a strict character set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from kiosk.core import card_signing as signing
from kiosk.core.card_urls import UrlProblem, case_parameter, looks_like_url
from kiosk.core.identity import CaseKind, CaseNumber, InvalidCaseNumber, parse_case_number
from kiosk.core.text import N_

MAX_CODE_LENGTH = 512
PREFIX_TOKEN = "JC1:T:"
PREFIX_LETTER = "B#0"
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,128}")  # also the routing table's token keys
_TOKEN = TOKEN_PATTERN
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_NUMBER_LIKE = re.compile(r"[0-9A-Za-z/ -]{1,40}")

REASON_TOO_LONG = N_("This code holds too much text to be a job-centre card.")
REASON_CHARACTERS = N_("This code contains characters that a job-centre card never has.")
REASON_NOT_OURS = N_(
    "This code is not from the job centre. Please show your job-centre card or the code "
    "on a letter from the job centre, or type your number."
)
REASON_DAMAGED = N_("This card could not be read correctly. Please type your number.")
REASON_NOT_GENUINE = N_("This card could not be checked. Please type your number or ask the staff.")
REASON_EXPIRED = N_(
    "This card has expired. Please type your number and ask the staff for a new card."
)
REASON_NOT_HERE = N_("This kind of card cannot be used at this kiosk. Please type your number.")
REASON_LETTER_OFF = N_(
    "The code on this letter cannot be used here. Please type the number printed at the "
    "top right of the letter."
)

REASON_UNKNOWN_CARD = N_(
    "This card is not known here. Please type your number or ask the staff for a new card."
)
REASON_CHECK_LATER = N_("This card cannot be checked right now. Please type your number.")


class CardKind(StrEnum):
    CASE = "case"
    TOKEN = "token"
    STAFF = "staff"


class Carrier(StrEnum):
    """How the identifier was carried: kept for diagnosis and the confirmation screen."""

    PLAIN = "plain"
    URL = "url"
    SIGNED = "signed"
    LETTER = "letter"
    TOKEN = "token"
    STAFF = "staff"


@dataclass(frozen=True, slots=True)
class CardPayload:
    """A recognised code. ``value``: canonical case number, the token, or the staff id."""

    kind: CardKind
    value: str
    via: Carrier
    case: CaseNumber | None = None
    expires: date | None = None
    role: str | None = None  # a staff card's signed role (office, support), if it names one

    @property
    def identifier_kind(self) -> str:
        """``bg-nummer`` / ``kundennummer`` for a case, else ``token`` or ``staff``."""
        return self.case.kind.value if self.case is not None else self.kind.value

    def __repr__(self) -> str:  # a case number or token never goes into a log by accident
        return f"CardPayload({self.identifier_kind} via {self.via}, {len(self.value)} chars)"


class CardRejected(ValueError):
    """Not a usable code. ``reason``: client-facing (untranslated); ``code``: for logs."""

    def __init__(self, reason: str, code: str) -> None:
        super().__init__(code)
        self.reason = reason
        self.code = code


@dataclass(frozen=True, slots=True)
class CardRules:
    """What this kiosk accepts; each job centre decides (configuration)."""

    url_parameters: tuple[str, ...] = ("bg", "bgnr", "kdnr")
    url_hosts: tuple[str, ...] = ()  # empty: a URL from any host
    case_key: bytes | None = None  # HMAC key of signed client cards; None: refuse them
    staff_key: bytes | None = None  # HMAC key of staff cards; None: refuse them
    letter_codes: bool = False  # the B#0 Data Matrix on letters (content not published)

    def __post_init__(self) -> None:
        for key in (self.case_key, self.staff_key):
            if key is not None:
                signing.check_key(key)
        object.__setattr__(self, "url_parameters", tuple(n.lower() for n in self.url_parameters))
        object.__setattr__(self, "url_hosts", tuple(h.lower() for h in self.url_hosts))


def read_card(text: str, rules: CardRules, today: date) -> CardPayload:
    """Classify decoded text; raises CardRejected. ``today`` is the kiosk's local date."""
    screen(text)
    if text.startswith(PREFIX_TOKEN):
        return _token(text)
    if text.startswith(signing.PREFIX_STAFF):
        fields = _verified(text, signing.PREFIX_STAFF, rules.staff_key, today)
        return CardPayload(
            CardKind.STAFF, fields.subject, Carrier.STAFF, expires=fields.expires, role=fields.role
        )
    if text.startswith(signing.PREFIX_SIGNED):
        fields = _verified(text, signing.PREFIX_SIGNED, rules.case_key, today)
        case = _case(fields.subject, REASON_DAMAGED)
        if case.value != fields.subject:  # signed cards carry the canonical form only
            raise CardRejected(REASON_DAMAGED, "malformed")
        return CardPayload(CardKind.CASE, case.value, Carrier.SIGNED, case, fields.expires)
    if text.startswith("JC1:"):
        raise CardRejected(REASON_NOT_HERE, "unknown-format")
    if text.startswith(PREFIX_LETTER):
        return _letter(text, rules)
    if looks_like_url(text):
        return _url(text, rules)
    if not _NUMBER_LIKE.fullmatch(text):
        raise CardRejected(REASON_NOT_OURS, "not-ours")
    case = _case(text, None)
    return CardPayload(CardKind.CASE, case.value, Carrier.PLAIN, case)


def screen(text: str) -> None:
    """Refuse what must never reach a parser, a path, a header or a screen."""
    if len(text) > MAX_CODE_LENGTH:
        raise CardRejected(REASON_TOO_LONG, "too-long")
    for char in text:
        if ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0:
            raise CardRejected(REASON_CHARACTERS, "control-character")
        if char in _BIDI:
            raise CardRejected(REASON_CHARACTERS, "bidi-control")
    if not text.isascii():
        raise CardRejected(REASON_CHARACTERS, "not-ascii")
    if "../" in text or "..\\" in text:
        raise CardRejected(REASON_CHARACTERS, "path-traversal")
    if not text.strip():
        raise CardRejected(REASON_NOT_OURS, "empty")


def _case(text: str, reason: str | None) -> CaseNumber:
    """``reason``: what to tell the client on failure; None: parse_case_number's reason."""
    try:
        return parse_case_number(text)
    except InvalidCaseNumber as bad:
        raise CardRejected(reason or bad.reason, "not-a-case-number") from None


def _token(text: str) -> CardPayload:
    token = text[len(PREFIX_TOKEN) :]
    if not _TOKEN.fullmatch(token):
        raise CardRejected(REASON_DAMAGED, "malformed")
    return CardPayload(CardKind.TOKEN, token, Carrier.TOKEN)


def _verified(text: str, prefix: str, key: bytes | None, today: date) -> signing.SignedFields:
    if key is None:
        raise CardRejected(REASON_NOT_HERE, "no-key")
    try:
        return signing.verify(text, prefix, key, today)
    except signing.SignatureProblem as problem:
        reason = {"expired": REASON_EXPIRED, "bad-signature": REASON_NOT_GENUINE}
        raise CardRejected(reason.get(problem.code, REASON_DAMAGED), problem.code) from None


def _letter(text: str, rules: CardRules) -> CardPayload:
    if not rules.letter_codes:
        raise CardRejected(REASON_LETTER_OFF, "letters-disabled")
    case = _case(text[len(PREFIX_LETTER) :], REASON_LETTER_OFF)
    if case.kind is not CaseKind.BG_NUMMER:
        raise CardRejected(REASON_LETTER_OFF, "not-a-case-number")
    return CardPayload(CardKind.CASE, case.value, Carrier.LETTER, case)


def _url(text: str, rules: CardRules) -> CardPayload:
    try:
        value = case_parameter(text, rules.url_parameters, rules.url_hosts)
    except UrlProblem as problem:
        raise CardRejected(REASON_NOT_OURS, problem.code) from None
    screen(value)  # percent-decoding may have produced "../"
    case = _case(value, REASON_NOT_OURS)
    return CardPayload(CardKind.CASE, case.value, Carrier.URL, case)
