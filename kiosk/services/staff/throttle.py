"""Wrong PINs in a row per card and for the whole kiosk (``throttle.json``), so that a
restart of the kiosk program lifts no lockout. Changed by a caller holding the lock."""

from __future__ import annotations

from dataclasses import dataclass, field

from kiosk.core.staff import Strikes
from kiosk.services.staff.store import StaffFileError, StaffFiles

FILE = "throttle.json"


@dataclass
class Throttle:
    kiosk: Strikes = Strikes()
    cards: dict[str, Strikes] = field(default_factory=dict)

    def card(self, card_id: str) -> Strikes:
        return self.cards.get(card_id, Strikes())

    def locked(self, card_id: str, now: float) -> float | None:
        """Until when a PIN of this card is not checked (the card's or the kiosk's lock)."""
        times = [t for t in (self.card(card_id).locked(now), self.kiosk.locked(now)) if t]
        return max(times) if times else None

    def failed(self, card_id: str, now: float) -> tuple[Strikes, Strikes]:
        """Count one wrong PIN; the card's and the kiosk's strikes after it."""
        self.cards[card_id] = self.card(card_id).failed(now)
        self.kiosk = self.kiosk.failed(now)
        return self.cards[card_id], self.kiosk

    def succeeded(self, card_id: str) -> None:
        """A right PIN: no more wrong ones in a row, on this card or at this kiosk."""
        self.cards.pop(card_id, None)
        self.kiosk = Strikes()

    def forget(self, card_id: str) -> None:
        self.cards.pop(card_id, None)

    @classmethod
    def load(cls, files: StaffFiles) -> Throttle:
        data = files.read(FILE)
        try:
            kiosk = _strikes(data.get("kiosk", {}))
            cards = {k: _strikes(v) for k, v in data.get("cards", {}).items()}
        except (AttributeError, TypeError, ValueError) as err:
            raise StaffFileError(f"{files.path(FILE)} is damaged ({err!r})") from None
        return cls(kiosk, cards)

    def save(self, files: StaffFiles) -> None:
        files.write(
            FILE,
            {
                "kiosk": _data(self.kiosk),
                "cards": {k: _data(s) for k, s in sorted(self.cards.items())},
            },
        )


def _strikes(data: dict[str, object]) -> Strikes:
    failures, until = data.get("failures", 0), data.get("locked_until", 0.0)
    if not isinstance(failures, int) or not isinstance(until, int | float):
        raise ValueError("failures and locked_until must be numbers")
    return Strikes(failures, float(until))


def _data(strikes: Strikes) -> dict[str, object]:
    return {"failures": strikes.failures, "locked_until": strikes.locked_until}
