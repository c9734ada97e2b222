"""The staff register: enrolled cards and the revocation list (``register.json``).

Loaded whole, changed, saved whole (atomically) by a caller holding ``StaffFiles.locked``.
A card once enrolled stays in the register, revoked or not, so that a kiosk never falls
back to "a staff card alone" once anyone has been enrolled.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kiosk.core.records import replace
from kiosk.core.staff import Role
from kiosk.services.staff.store import StaffFileError, StaffFiles

FILE = "register.json"
CARD_ID_LETTERS = "abcdefghjkmnpqrstuvwxyz"  # no digits: a card id is never a case number
CARD_ID_LENGTH = 8
BY_STAFF = "staff"  # `kiosk staff revoke`: final, enrol a new card
TOO_MANY_FAILURES = "too-many-failures"  # the hard cap: lifted by setting a new PIN


def new_card_id() -> str:
    """A random card id: eight lower-case letters (no i, l, o), e.g. ``kmqxrtvw``."""
    return "".join(secrets.choice(CARD_ID_LETTERS) for _ in range(CARD_ID_LENGTH))


@dataclass(frozen=True, slots=True)
class StaffCard:
    card_id: str
    name: str  # personal data: shown on the kiosk's terminal and the card, never logged
    role: Role
    issued: date
    expires: date
    pin_hash: str | None = None  # Argon2id, encoded with its parameters; None: no PIN yet
    pin_set: str | None = None  # when (ISO 8601, UTC)

    def __repr__(self) -> str:  # no name in a traceback or a log by accident
        return f"StaffCard({self.card_id}, {self.role})"


@dataclass(frozen=True, slots=True)
class Revocation:
    at: str  # ISO 8601, UTC
    reason: str  # BY_STAFF or TOO_MANY_FAILURES


@dataclass
class Register:
    cards: dict[str, StaffCard] = field(default_factory=dict)
    revoked: dict[str, Revocation] = field(default_factory=dict)

    @property
    def enrolled(self) -> bool:
        """Has any card been enrolled here? Until then a staff card alone opens staff mode."""
        return bool(self.cards)

    def card(self, card_id: str) -> StaffCard:
        """The enrolled card; KeyError when there is none of that id."""
        return self.cards[card_id]

    def set_pin(self, card_id: str, pin_hash: str, when: str) -> None:
        self.cards[card_id] = replace(self.card(card_id), pin_hash=pin_hash, pin_set=when)

    @classmethod
    def load(cls, files: StaffFiles) -> Register:
        data = files.read(FILE)
        try:
            cards = {k: _card(k, v) for k, v in data.get("cards", {}).items()}
            revoked = {
                k: Revocation(v["at"], v["reason"]) for k, v in data.get("revoked", {}).items()
            }
        except (AttributeError, KeyError, TypeError, ValueError) as err:
            raise StaffFileError(f"{files.path(FILE)} is damaged ({err!r})") from None
        return cls(cards, revoked)

    def save(self, files: StaffFiles) -> None:
        cards = {k: _card_data(c) for k, c in sorted(self.cards.items())}
        revoked = {k: {"at": r.at, "reason": r.reason} for k, r in sorted(self.revoked.items())}
        files.write(FILE, {"version": 1, "cards": cards, "revoked": revoked})


def _card(card_id: str, data: dict[str, Any]) -> StaffCard:
    return StaffCard(
        card_id=card_id,
        name=str(data["name"]),
        role=Role(data["role"]),
        issued=date.fromisoformat(data["issued"]),
        expires=date.fromisoformat(data["expires"]),
        pin_hash=data.get("pin"),
        pin_set=data.get("pin_set"),
    )


def _card_data(card: StaffCard) -> dict[str, Any]:
    return {
        "name": card.name,
        "role": card.role.value,
        "issued": card.issued.isoformat(),
        "expires": card.expires.isoformat(),
        "pin": card.pin_hash,
        "pin_set": card.pin_set,
    }
