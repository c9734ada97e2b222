"""HMAC-SHA256 signed card payloads: the format, signing (for card printing) and checking.

Format (all ASCII, fields separated by ``:``)::

    JC1:S:<case number, canonical>:<expiry YYYYMMDD>:<signature>       client card
    JC1:STAFF:<staff id>:<expiry YYYYMMDD>:<signature>                 staff card (first form)
    JC1:STAFF:<card id>:<role>:<expiry YYYYMMDD>:<signature>           staff card with a role

``signature`` is the unpadded base64url form (43 characters) of
HMAC-SHA256(key, everything before the last ``:``, as ASCII bytes), so a role is signed
too. ``role`` is ``office`` or ``support`` (``kiosk staff add``); staff cards of the first
form, without one, stay valid. A card is valid up to and including its expiry day. Client
and staff cards should use different keys, so that whoever can issue client cards cannot
issue staff cards.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

PREFIX_SIGNED = "JC1:S:"
PREFIX_STAFF = "JC1:STAFF:"
MIN_KEY_BYTES = 16
ROLES = ("office", "support")  # what a staff card may name; kiosk.core.staff says what each may

_SIGNED = re.compile(
    r"(JC1:(?:S|STAFF):([A-Za-z0-9][A-Za-z0-9._-]{0,31})(?::(office|support))?:(\d{8}))"
    r":([A-Za-z0-9_-]{43})"
)


class SignatureProblem(ValueError):
    """Why a signed payload is not accepted: ``malformed``, ``bad-signature`` or ``expired``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True, slots=True)
class SignedFields:
    """The checked content of a signed payload."""

    subject: str  # the case number or the staff id, exactly as signed
    expires: date
    role: str | None = None  # a staff card's role; None: a card of the first form


def check_key(key: bytes) -> None:
    if len(key) < MIN_KEY_BYTES:
        raise ValueError(f"a card signing key must be at least {MIN_KEY_BYTES} bytes")


def _signature(key: bytes, message: str) -> str:
    # Imported here, not above: the configuration's key-file check loads this module (for
    # MIN_KEY_BYTES) before the kiosk's first paint, and hashlib alone costs a few ms.
    import base64
    import hashlib
    import hmac

    digest = hmac.new(key, message.encode("ascii"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def sign(prefix: str, subject: str, expires: date, key: bytes, role: str | None = None) -> str:
    """The payload to print on a card; ``prefix`` is PREFIX_SIGNED or PREFIX_STAFF;
    ``role`` (one of ROLES) only on a staff card."""
    check_key(key)
    if role is not None and prefix != PREFIX_STAFF:
        raise ValueError("only a staff card carries a role")
    named = f":{role}" if role is not None else ""
    message = f"{prefix}{subject}{named}:{expires:%Y%m%d}"
    if not _SIGNED.fullmatch(f"{message}:{'A' * 43}") or not message.startswith(prefix):
        raise ValueError("subject cannot be signed in this format")
    return f"{message}:{_signature(key, message)}"


def verify(text: str, prefix: str, key: bytes, today: date) -> SignedFields:
    """Check shape, then signature, then expiry (in that order: nothing unsigned is
    interpreted); raises SignatureProblem."""
    check_key(key)
    match = _SIGNED.fullmatch(text)
    if match is None or not text.startswith(prefix):
        raise SignatureProblem("malformed")
    message, subject, role, day, signature = match.groups()
    import hmac  # see _signature

    if not hmac.compare_digest(_signature(key, message), signature):
        raise SignatureProblem("bad-signature")
    if role is not None and prefix != PREFIX_STAFF:
        raise SignatureProblem("malformed")  # a client card never names a role
    try:
        expires = date(int(day[:4]), int(day[4:6]), int(day[6:]))
    except ValueError as err:
        raise SignatureProblem("malformed") from err
    if today > expires:
        raise SignatureProblem("expired")
    return SignedFields(subject, expires, role)
