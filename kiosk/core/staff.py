"""Staff login rules: roles, what a PIN may be, and the lockout schedule (pure, no clock).

A staff card must be enrolled and not revoked; then its PIN. Wrong PINs are counted per
card and per kiosk: ``FREE_ATTEMPTS`` are free, each wrong PIN from then on locks the
login for ``FIRST_LOCKOUT`` seconds, doubling (15, 30, 60, ... at most ``MAX_LOCKOUT``);
``HARD_CAP`` wrong PINs in a row revoke the card until it is enrolled again (VxSuite's
schedule; NIST 800-63B allows at most 100 consecutive failures). A right PIN clears both
counts. Times are seconds since the epoch, given by the caller: the rules hold no clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from kiosk.core.records import replace

FREE_ATTEMPTS = 5
FIRST_LOCKOUT = 15.0  # seconds
MAX_LOCKOUT = 3600.0  # one hour: 50 failures then take about 40 hours
HARD_CAP = 50
PIN_DIGITS = (4, 8)
CARD_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,31}")  # what a staff card can carry


class Role(StrEnum):
    """What a staff member may do on the kiosk (issue 14: roles)."""

    OFFICE = "office"  # out of order, settings, held documents, reports, receipts, restart
    SUPPORT = "support"  # all of that, and diagnostics, test scan, support bundle, reboot


def pin_problem(pin: str) -> str | None:
    """Why ``pin`` cannot be a staff PIN, or None: 4 to 8 ASCII digits, not one digit
    repeated and not a run such as 1234 or 9876 (the first PINs anyone tries)."""
    low, high = PIN_DIGITS
    if not (low <= len(pin) <= high) or not (pin.isascii() and pin.isdigit()):
        return f"a PIN is {low} to {high} digits"
    steps = {(int(b) - int(a)) % 10 for a, b in zip(pin, pin[1:], strict=False)}
    if steps == {0}:
        return "a PIN must not be one digit repeated"
    if steps in ({1}, {9}):
        return "a PIN must not be a run of digits such as 1234"
    return None


def lockout_seconds(failures: int) -> float:
    """How long the login stays locked after the ``failures``-th wrong PIN in a row."""
    if failures < FREE_ATTEMPTS:
        return 0.0
    return min(FIRST_LOCKOUT * 2.0 ** min(failures - FREE_ATTEMPTS, 40), MAX_LOCKOUT)


@dataclass(frozen=True, slots=True)
class Strikes:
    """Wrong PINs in a row, and until when the login is locked (epoch seconds)."""

    failures: int = 0
    locked_until: float = 0.0

    def locked(self, now: float) -> float | None:
        """Until when the login is locked at ``now``, or None. A time further off than its
        own lockout allows (the clock was set back) counts from ``now``."""
        if self.locked_until <= now:
            return None
        return min(self.locked_until, now + lockout_seconds(self.failures))

    def failed(self, now: float) -> Strikes:
        failures = self.failures + 1
        return replace(self, failures=failures, locked_until=now + lockout_seconds(failures))

    @property
    def attempts_left(self) -> int:
        """Wrong PINs still free before the next one locks the login."""
        return max(FREE_ATTEMPTS - self.failures, 0)


# -- what StaffLogin answers (kiosk.services.staff.login) -----------------------------------


@dataclass(frozen=True, slots=True)
class CardAccepted:
    """A staff card this kiosk knows. ``pin_required``: False only while no card is
    enrolled (a staff card alone opens staff mode, as before enrolment existed).
    ``locked_until``: the PIN login is locked until then (epoch seconds), or None."""

    card_id: str
    role: Role | None  # None: a card of the first form on a kiosk without enrolment
    pin_required: bool = True
    locked_until: float | None = None


@dataclass(frozen=True, slots=True)
class CardRefused:
    """``reason``: ``unknown``, ``revoked``, ``no-pin`` (enrolled, PIN not set yet),
    ``role-mismatch`` or ``not-staff`` (a code for logs; the UI chooses the words)."""

    reason: str


@dataclass(frozen=True, slots=True)
class PinOk:
    card_id: str
    role: Role


@dataclass(frozen=True, slots=True)
class PinWrong:
    attempts_left: int  # wrong PINs still free before a lockout


@dataclass(frozen=True, slots=True)
class LockedOut:
    until: float  # epoch seconds; no PIN is checked before then


@dataclass(frozen=True, slots=True)
class Revoked:
    """The card is revoked (by staff, or by the hard cap just now): enrol it again."""


CardVerdict = CardAccepted | CardRefused
PinVerdict = PinOk | PinWrong | LockedOut | Revoked | CardRefused
