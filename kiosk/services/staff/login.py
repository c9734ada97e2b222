"""Staff login: a known, unrevoked staff card, then its PIN, throttled (kiosk.core.staff).

The touch UI calls ``card_read`` when a staff card is shown (through Station.read_code)
and ``check_pin`` with the digits typed; both read the files anew each time, so a
`kiosk staff` command run meanwhile (revoke, a new PIN) counts at once, and a restart
lifts nothing. Until anyone is enrolled (``pin_required`` False) a staff card signed with
the staff key opens staff mode alone, as before enrolment existed; a revoked one never.
Each answer is logged (card id only) and written to the audit log. Argon2id takes about
0.1 s: call ``check_pin`` off the GUI thread.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping

from kiosk.core.cards import CardKind, CardPayload
from kiosk.core.log_events import emit
from kiosk.core.staff import (
    HARD_CAP,
    CardAccepted,
    CardRefused,
    CardVerdict,
    LockedOut,
    PinOk,
    PinVerdict,
    PinWrong,
    Revoked,
    Role,
)
from kiosk.services.staff import pins
from kiosk.services.staff.audit import AuditLog, utc_stamp
from kiosk.services.staff.register import TOO_MANY_FAILURES, Register, Revocation, StaffCard
from kiosk.services.staff.store import StaffFileError, StaffFiles
from kiosk.services.staff.throttle import Throttle

log = logging.getLogger(__name__)


class StaffLogin:
    def __init__(
        self, files: StaffFiles, audit: AuditLog, clock: Callable[[], float] = time.time
    ) -> None:
        self.files = files
        self.audit = audit
        self.clock = clock

    def pin_required(self) -> bool:
        """Has anyone been enrolled here (then every staff card needs its PIN)?"""
        with self.files.locked():
            return Register.load(self.files).enrolled

    def announce(self) -> None:
        """At start: say when a staff card alone opens staff mode (nobody enrolled)."""
        try:
            required = self.pin_required()
        except (StaffFileError, OSError) as err:
            emit(log, "staff.files_unreadable", detail=str(err))
            return
        if not required:
            emit(log, "staff.no_enrolment")

    def card_read(self, payload: CardPayload) -> CardVerdict:
        """May this staff card go on to its PIN (or, with nobody enrolled, into staff mode)?"""
        if payload.kind is not CardKind.STAFF:
            return CardRefused("not-staff")
        card_id, signed_role = payload.value, payload.role
        try:
            with self.files.locked():
                register = Register.load(self.files)
                now = self.clock()
                if card_id in register.revoked:
                    return self._refused(card_id, "revoked", now)
                if not register.enrolled:
                    role = Role(signed_role) if signed_role else None
                    emit(log, "staff.login_card_only", card=card_id)
                    self._audit("staff.login_card_only", now, card_id, role)
                    return CardAccepted(card_id, role, pin_required=False)
                card = register.cards.get(card_id)
                if card is None:
                    return self._refused(card_id, "unknown", now)
                if signed_role is not None and signed_role != card.role:
                    return self._refused(card_id, "role-mismatch", now)
                if card.pin_hash is None:
                    return self._refused(card_id, "no-pin", now)
                until = Throttle.load(self.files).locked(card_id, now)
                return CardAccepted(card_id, card.role, locked_until=until)
        except (StaffFileError, OSError) as err:
            emit(log, "staff.files_unreadable", detail=str(err))
            return CardRefused("unreadable")

    def check_pin(self, card_id: str, pin: str) -> PinVerdict:
        """The PIN typed for ``card_id`` (after CardAccepted with ``pin_required``)."""
        try:
            with self.files.locked():
                return self._check(card_id, pin)
        except (StaffFileError, OSError) as err:
            emit(log, "staff.files_unreadable", detail=str(err))
            return CardRefused("unreadable")

    def _check(self, card_id: str, pin: str) -> PinVerdict:
        register, now = Register.load(self.files), self.clock()
        if card_id in register.revoked:
            self._refused(card_id, "revoked", now)
            return Revoked()
        card = register.cards.get(card_id)
        if card is None or card.pin_hash is None:
            return self._refused(card_id, "unknown" if card is None else "no-pin", now)
        throttle = Throttle.load(self.files)
        until = throttle.locked(card_id, now)
        if until is not None:
            emit(log, "staff.login_locked", card=card_id, delay_s=until - now)
            self._audit(
                "staff.login_locked", now, card_id, card.role, {"locked_s": round(until - now, 1)}
            )
            return LockedOut(until)
        if pins.pin_matches(card.pin_hash, pin):
            throttle.succeeded(card_id)
            throttle.save(self.files)
            if pins.needs_rehash(card.pin_hash):  # stronger parameters than when it was set
                register.set_pin(card_id, pins.hash_pin(pin), utc_stamp(now))
                register.save(self.files)
            emit(log, "staff.login", card=card_id, role=card.role.value)
            self._audit("staff.login", now, card_id, card.role)
            return PinOk(card_id, card.role)
        return self._wrong(register, throttle, card, now)

    def _wrong(
        self, register: Register, throttle: Throttle, card: StaffCard, now: float
    ) -> PinVerdict:
        """Count a wrong PIN: a lockout from the sixth, the card revoked at the hard cap."""
        card_id = card.card_id
        strikes, at_kiosk = throttle.failed(card_id, now)
        if strikes.failures >= HARD_CAP:
            register.revoked[card_id] = Revocation(utc_stamp(now), TOO_MANY_FAILURES)
            register.save(self.files)
            throttle.forget(card_id)
            throttle.save(self.files)
            emit(log, "staff.revoked_hard_cap", card=card_id, attempts=strikes.failures)
            change: dict[str, str | int | float] = {
                "failures": strikes.failures,
                "revoked": TOO_MANY_FAILURES,
            }
            self._audit("staff.revoked_hard_cap", now, card_id, card.role, change)
            return Revoked()
        throttle.save(self.files)
        until = throttle.locked(card_id, now)
        failures: dict[str, str | int | float] = {
            "failures": strikes.failures,
            "kiosk_failures": at_kiosk.failures,
        }
        if until is not None:
            emit(log, "staff.locked_out", card=card_id, attempts=strikes.failures,
                 delay_s=until - now)  # fmt: skip
            self._audit("staff.locked_out", now, card_id, card.role,
                        {**failures, "locked_s": round(until - now, 1)})  # fmt: skip
            return LockedOut(until)
        emit(log, "staff.pin_wrong", card=card_id, attempts=strikes.failures)
        self._audit("staff.pin_wrong", now, card_id, card.role, failures)
        return PinWrong(min(strikes.attempts_left, at_kiosk.attempts_left))

    def _refused(self, card_id: str, reason: str, now: float) -> CardRefused:
        emit(log, "staff.card_refused", card=card_id, code=reason)
        self._audit("staff.card_refused", now, card_id, None, {"reason": reason})
        return CardRefused(reason)

    def _audit(
        self,
        event: str,
        now: float,
        card: str,
        role: Role | None,
        change: Mapping[str, str | int | float] | None = None,
    ) -> None:
        """Write the audit line; a disk that cannot take it costs the line, not the login
        (staff may be there to fix exactly that), and says so."""
        try:
            self.audit.append(event, now, card, role.value if role else None, change)
        except OSError as err:
            emit(log, "staff.audit_unwritable", detail=str(err))
