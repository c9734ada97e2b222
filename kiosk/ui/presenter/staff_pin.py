"""A staff card's PIN, for the presenter: typed on the kiosk's keypad (shown masked),
checked off the GUI thread (Argon2id takes a moment), then staff mode, or what stops it
(a wrong PIN with the tries left before a pause, a lockout until a time, a revoked card).

The digits live only here, never in the view, a log or an event; they are forgotten when
the PIN is checked, the page is left, or nothing is typed for ``IDLE`` seconds.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime

from kiosk.core.records import replace
from kiosk.core.staff import CardAccepted, LockedOut, PinOk, PinVerdict, PinWrong
from kiosk.core.text import N_
from kiosk.ui.presenter.background import Background
from kiosk.ui.presenter.view import PinEntry

log = logging.getLogger(__name__)
IDLE = 60.0  # seconds without a key before the PIN page closes by itself
MOST_DIGITS = 8
WRONG = N_("Wrong PIN. Tries left before a pause: {count}")
LOCKED = N_("Too many wrong PINs. Please try again at {time}.")
REFUSED = N_("This card cannot open staff mode. Please have it enrolled again.")


class StaffPinPage:
    def __init__(
        self,
        check: Callable[[str, str], PinVerdict],
        background: Background,
        clock: Callable[[], float],
        on_open: Callable[[PinOk], None],
        on_change: Callable[[], None],
    ) -> None:
        self.check, self.background, self.clock = check, background, clock
        self.on_open, self.on_change = on_open, on_change
        self.shown: PinEntry | None = None
        self._card: CardAccepted | None = None
        self._digits = ""
        self._last = 0.0
        self._job = 0

    def open(self, card: CardAccepted) -> None:
        self._job += 1
        self._card, self._digits, self._last = card, "", self.clock()
        locked = card.locked_until is not None and card.locked_until > time.time()
        self.shown = PinEntry(message=LOCKED if locked else None, until=_at(card.locked_until))

    def close(self) -> None:
        self._job += 1
        self._card, self._digits, self.shown = None, "", None

    def tick(self) -> None:
        if self.shown is not None and not self.shown.busy and self.clock() - self._last > IDLE:
            self.close()
            self.on_change()

    def type(self, digit: str) -> None:
        if self.shown is None or self.shown.busy or not digit.isdigit():
            return
        if len(self._digits) < MOST_DIGITS:
            self._digits += digit
        self._shown_now()

    def erase(self) -> None:
        if self.shown is not None and not self.shown.busy:
            self._digits = self._digits[:-1]
            self._shown_now()

    def clear(self) -> None:
        if self.shown is not None and not self.shown.busy:
            self._digits = ""
            self._shown_now()

    def submit(self) -> None:
        card, pin = self._card, self._digits
        if self.shown is None or self.shown.busy or card is None or not pin:
            return
        self._job += 1
        job = self._job
        self._digits = ""  # whatever comes back, the PIN is typed again
        self.shown = replace(self.shown, digits=0, busy=True, message=None)

        def done(verdict: PinVerdict) -> None:
            if job != self._job or self.shown is None:
                return
            if isinstance(verdict, PinOk):
                self.close()
                self.on_open(verdict)
            elif isinstance(verdict, PinWrong):
                self.shown = PinEntry(message=WRONG, count=verdict.attempts_left)
            elif isinstance(verdict, LockedOut):
                self.shown = PinEntry(message=LOCKED, until=_at(verdict.until))
            else:  # revoked, unknown: no PIN opens this card
                self.shown = PinEntry(message=REFUSED, refused=True)
            self.on_change()

        def failed(err: BaseException) -> None:
            log.error("staff PIN check failed: %s", type(err).__name__)
            if job == self._job and self.shown is not None:
                self.shown = PinEntry(message=REFUSED, refused=True)
                self.on_change()

        self.background.run(lambda: self.check(card.card_id, pin), done, failed)

    def _shown_now(self) -> None:
        assert self.shown is not None
        self._last = self.clock()
        self.shown = replace(self.shown, digits=len(self._digits))


def _at(epoch: float | None) -> str:
    """A lockout's end as staff read it on the kiosk: local hours and minutes."""
    return "" if epoch is None else f"{datetime.fromtimestamp(epoch).astimezone():%H:%M:%S}"
