"""Enrolling staff cards, revoking them and setting their PINs (``kiosk staff ...``).

Each change is one locked read-modify-write of the register, logged (card id only) and
written to the audit log. A card revoked by staff stays revoked (a lost card must never
come back: enrol a new one); one revoked by the hard cap of wrong PINs is enrolled again
by setting a new PIN.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from kiosk.core import card_signing
from kiosk.core.log_events import emit
from kiosk.core.staff import CARD_ID, Role, pin_problem
from kiosk.services.staff import pins
from kiosk.services.staff.audit import AuditLog, utc_stamp
from kiosk.services.staff.register import (
    BY_STAFF,
    TOO_MANY_FAILURES,
    Register,
    Revocation,
    StaffCard,
    new_card_id,
)
from kiosk.services.staff.store import StaffFiles
from kiosk.services.staff.throttle import Throttle

log = logging.getLogger(__name__)
NAME_LIMIT = 60


class EnrolmentError(Exception):
    """What was asked cannot be done; the message is for the person at the terminal."""


@dataclass(frozen=True, slots=True)
class IssuedCard:
    card: StaffCard
    payload: str  # what the QR code on the card holds: a credential, print it and forget it


class Enrolment:
    def __init__(
        self, files: StaffFiles, audit: AuditLog, clock: Callable[[], float] = time.time
    ) -> None:
        self.files = files
        self.audit = audit
        self.clock = clock

    def register(self) -> Register:
        with self.files.locked():
            return Register.load(self.files)

    def add(self, name: str, role: Role, expires: date, key: bytes) -> IssuedCard:
        """A new card: a fresh card id, signed with ``key``; no PIN yet (``set_pin``)."""
        name = " ".join(name.split())
        if not name or len(name) > NAME_LIMIT or not name.isprintable():
            raise EnrolmentError(f"a name is 1 to {NAME_LIMIT} printable characters")
        now = self.clock()
        today = date.fromtimestamp(now)
        if expires <= today:
            raise EnrolmentError("the card must be valid after today")
        with self.files.locked():
            register = Register.load(self.files)
            taken = register.cards.keys() | register.revoked.keys()
            card_id = next(c for c in iter(new_card_id, None) if c not in taken)
            payload = card_signing.sign(
                card_signing.PREFIX_STAFF, card_id, expires, key, role=role.value
            )
            card = StaffCard(card_id, name, role, today, expires)
            register.cards[card_id] = card
            register.save(self.files)
            emit(log, "staff.enrolled", card=card_id, role=role.value)
            change = {"expires": expires.isoformat(), "pin": "not set"}
            self.audit.append("staff.enrolled", now, card_id, role.value, change)
        return IssuedCard(card, payload)

    def revoke(self, card_id: str) -> StaffCard | None:
        """Revoke for good; also a card of the first form that was never enrolled (its id
        from `kiosk decode --staff-key`). Returns the enrolled card, if it was one."""
        if not CARD_ID.fullmatch(card_id):
            raise EnrolmentError(f"{card_id!r} is not a staff card id")
        now = self.clock()
        with self.files.locked():
            register = Register.load(self.files)
            before = register.revoked.get(card_id)
            if before is not None and before.reason == BY_STAFF:
                raise EnrolmentError(f"card {card_id} is already revoked ({before.at})")
            register.revoked[card_id] = Revocation(utc_stamp(now), BY_STAFF)
            register.save(self.files)
            throttle = Throttle.load(self.files)
            throttle.forget(card_id)
            throttle.save(self.files)
            card = register.cards.get(card_id)
            role = card.role.value if card else None
            emit(log, "staff.revoked", card=card_id)
            change = {"revoked": BY_STAFF, "enrolled": "yes" if card else "no"}
            self.audit.append("staff.revoked", now, card_id, role, change)
        return card

    def set_pin(self, card_id: str, pin: str) -> bool:
        """Set or change the PIN; True when it also lifted a hard-cap revocation."""
        if (problem := pin_problem(pin)) is not None:
            raise EnrolmentError(problem)
        pin_hash = pins.hash_pin(pin)  # 0.1 s: before taking the lock
        now = self.clock()
        with self.files.locked():
            register = Register.load(self.files)
            card = register.cards.get(card_id)
            if card is None:
                raise EnrolmentError(f"no enrolled staff card {card_id} (kiosk staff list)")
            revocation = register.revoked.get(card_id)
            if revocation is not None and revocation.reason != TOO_MANY_FAILURES:
                raise EnrolmentError(
                    f"card {card_id} is revoked: enrol a new card (kiosk staff add)"
                )
            change = {"pin": "changed" if card.pin_hash else "set"}
            if revocation is not None:
                del register.revoked[card_id]
                change["revocation"] = "lifted"
            register.set_pin(card_id, pin_hash, utc_stamp(now))
            register.save(self.files)
            throttle = Throttle.load(self.files)
            throttle.forget(card_id)
            throttle.save(self.files)
            emit(log, "staff.pin_set", card=card_id, role=card.role.value)
            self.audit.append("staff.pin_set", now, card_id, card.role.value, change)
        return revocation is not None
