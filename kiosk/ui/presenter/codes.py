"""Codes from the card camera and from a USB code reader, turned into session events.

Every code takes the same path: the backend says what it means (on a worker thread: a
card token may be looked up over the network), and the answer becomes ``CaseRead``,
``CardRefused`` or ``StaffCardShown``. A code is only taken where the session can use
one; an answer that arrives after the session ended belongs to nobody and is dropped.
The camera decodes only on the screens where a card may be shown.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from drivers.camera.preview import CameraState, PreviewFrame
from kiosk.core import events as ev
from kiosk.core.session import Phase
from kiosk.core.staff import CardAccepted
from kiosk.services.codes import CardOutcome
from kiosk.ui.presenter.background import Background
from kiosk.ui.presenter.ports import CardCamera

log = logging.getLogger(__name__)

# Where a code means something: a client's card on the way in, a staff card (also on a
# broken kiosk: field support shows theirs on the out-of-order screen).
ACCEPTING = frozenset({Phase.IDLE, Phase.LANGUAGE, Phase.IDENTIFY, Phase.ERROR, Phase.OUT_OF_ORDER})


class CardInput:
    def __init__(
        self,
        camera: CardCamera | None,
        background: Background,
        read_code: Callable[[str], CardOutcome],
        dispatch: Callable[[ev.Event], None],
        clock: Callable[[], float],
        *,
        on_preview: Callable[[PreviewFrame], None],
        on_change: Callable[[], None],
        on_staff_pin: Callable[[CardAccepted], None] | None = None,
        on_staff_card: Callable[[CardAccepted | None], None] | None = None,
    ) -> None:
        self.camera = camera
        self.background = background
        self.read_code = read_code
        self.dispatch = dispatch
        self.clock = clock
        self.on_preview = on_preview
        self.on_change = on_change
        # An enrolled staff card asks for its PIN; without a PIN page (tests) it is refused.
        self.on_staff_pin = on_staff_pin or (lambda _card: None)
        # A staff card that opens staff mode alone (nobody enrolled): who it is, first.
        self.on_staff_card = on_staff_card or (lambda _card: None)
        self.camera_state = None if camera is None else CameraState.CONNECTED
        self.checking = False
        # The newest code read while another was being checked: read next if that one is
        # refused. The camera reports a code once while it stays in view, so a code dropped
        # here was lost until the card had been away for seconds (a staff card held up
        # right after a receipt's QR code never opened staff mode).
        self._next: str | None = None
        self._generation = 0
        self._active: bool | None = None
        self._receipts: Callable[[str], None] | None = None  # "Did it arrive?" is open

    def start(self) -> None:
        if self.camera is not None:
            post = self.background.post
            self.camera.start(
                lambda text: post(self.code, text),
                lambda frame: post(self.on_preview, frame),
                lambda state: post(self._state, state),
            )

    def stop(self) -> None:
        if self.camera is not None:
            self.camera.stop()

    def phase_is(self, phase: Phase) -> None:
        """Decode only where a card may be shown: the camera costs a core while decoding."""
        active = phase in ACCEPTING
        if self.camera is not None and active != self._active and self._receipts is None:
            self.camera.set_active(active)
        self._active = active

    def read_receipts(self, handler: Callable[[str], None] | None) -> None:
        """While staff mode's "Did it arrive?" is open, every code (camera or USB reader) is
        a receipt's QR code for ``handler``; the camera decodes for it there too."""
        self._receipts = handler
        if self.camera is not None:
            self.camera.set_active(handler is not None or bool(self._active))

    def forget(self) -> None:
        """Part of a wipe: a lookup still on its way belongs to nobody; the next client's
        card (even the same card) is read afresh."""
        self._generation += 1
        self.checking = False
        self._next = None
        if self.camera is not None:
            self.camera.reset()

    def code(self, text: str) -> None:
        """A code read (GUI thread); its meaning is worked out off the GUI thread."""
        if self._receipts is not None:
            self._receipts(text)
            return
        if self._active is False:
            return  # not a screen for cards
        if self.checking:
            self._next = text  # one card is being checked already
            return
        self.checking = True
        generation = self._generation
        self.background.run(
            lambda: self.read_code(text),
            lambda outcome: self._answer(generation, text, outcome),
            lambda err: self._failed(generation, err),
        )
        self.on_change()

    def _answer(self, generation: int, text: str, outcome: CardOutcome) -> None:
        if generation != self._generation:
            return
        self.checking = False
        waiting, self._next = self._next, None
        at = self.clock()
        card = outcome.staff_card
        if outcome.staff and card is not None and card.pin_required:
            self.on_staff_pin(card)  # the PIN first, then staff mode
        elif outcome.staff:
            self.on_staff_card(card)
            self.dispatch(ev.StaffCardShown(at=at))
        elif outcome.case is not None:
            self.dispatch(ev.CaseRead(at=at, case=outcome.case))
        else:
            self.dispatch(ev.CardRefused(at=at, reason=outcome.refused or ""))
            # The code held up behind a refused one is what is shown now; behind a case or
            # a staff card it is not for where the session went.
            if waiting is not None and waiting != text:
                self.code(waiting)

    def _failed(self, generation: int, err: BaseException) -> None:
        log.error("reading a card failed: %s", type(err).__name__)
        if generation == self._generation:
            self.checking = False
            self._next = None
            self.dispatch(ev.FailureOccurred(at=self.clock(), error="unexpected"))

    def _state(self, state: CameraState) -> None:
        if state is CameraState.ENDED:  # a recording that played out is no camera either
            state = CameraState.DISCONNECTED
        if state is not self.camera_state:
            log.info("card camera %s", state.value)
            self.camera_state = state
            self.on_change()
