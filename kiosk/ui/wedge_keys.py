"""Key presses held back while they may be a USB barcode reader's burst (HID wedge).

drivers.codes.wedge.WedgeRecogniser decides; this is its Qt side. Each key press with text is
fed to it and its event swallowed while the recogniser holds it. Keys it gives back as
typing are sent again, in order, to the focus widget; a scan goes to ``on_code``
and its keys never reach a widget (no digits in the number field, no button pressed). A
single-shot timer calls ``flush`` at the recogniser's deadline, so a person's key shows
within ``max_gap``. Keys without text (Shift, arrows, Backspace) are not fed; all but the
modifiers first give back what is held, so nothing overtakes a key pressed before it.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from drivers.codes.wedge import Scanned, Typed, WedgeRecogniser, WedgeTiming

Mod = Qt.KeyboardModifier
# Readers press Shift for capitals and may type digits on the numeric keypad; a key
# held with Ctrl, Alt or Meta is a person's shortcut, never part of a code.
_READER_MODIFIERS = Mod.ShiftModifier | Mod.KeypadModifier | Mod.GroupSwitchModifier
# Pressed on their own, these change the next key and must not end a reader's burst.
_MODIFIER_KEYS = {
    Qt.Key.Key_Shift,
    Qt.Key.Key_Control,
    Qt.Key.Key_Alt,
    Qt.Key.Key_AltGr,
    Qt.Key.Key_Meta,
    Qt.Key.Key_CapsLock,
    Qt.Key.Key_NumLock,
}
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


@dataclass(frozen=True, slots=True)
class _KeyData:
    """What a QKeyEvent carried: the event itself is gone once its delivery ends."""

    kind: QEvent.Type
    key: int
    modifiers: Qt.KeyboardModifier
    text: str
    autorepeat: bool
    count: int
    scan_code: int
    virtual_key: int
    native_modifiers: int

    @classmethod
    def of(cls, event: QKeyEvent) -> _KeyData:
        return cls(
            event.type(),
            event.key(),
            event.modifiers(),
            event.text(),
            event.isAutoRepeat(),
            event.count(),
            event.nativeScanCode(),
            event.nativeVirtualKey(),
            event.nativeModifiers(),
        )

    def event(self) -> QKeyEvent:
        return QKeyEvent(
            self.kind,
            self.key,
            self.modifiers,
            self.scan_code,
            self.virtual_key,
            self.native_modifiers,
            self.text,
            self.autorepeat,
            self.count,
        )


@dataclass(slots=True)
class _Held:
    char: str  # as fed to the recogniser ("\r" for Enter)
    press: _KeyData
    release: _KeyData | None = None  # swallowed too: it must follow its press


def fed_char(event: QKeyEvent) -> str | None:
    """What the recogniser gets for this key press; None for keys that cannot be in a code."""
    if event.modifiers() & ~_READER_MODIFIERS:
        return None
    if event.key() in _ENTER:
        return "\r"
    text = event.text()
    return text if len(text) == 1 and text.isprintable() else None


class WedgeKeys(QObject):
    def __init__(
        self,
        window: QWidget,
        clock: Callable[[], float],
        on_code: Callable[[str], None],
        timing: WedgeTiming | None = None,
    ) -> None:
        super().__init__(window)
        self.window, self.clock, self.on_code = window, clock, on_code
        self.recogniser = WedgeRecogniser(timing)
        self.sending = False  # our own events pass the filter untouched
        self._held: deque[_Held] = deque()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self.flush)

    def pressed(self, event: QKeyEvent) -> bool:
        """A key press reached the focus widget; True if it is swallowed."""
        char = fed_char(event)
        if char is None:
            if event.key() not in _MODIFIER_KEYS:
                self.interrupt()  # what was typed before it goes first
            return False
        current = _Held(char, _KeyData.of(event))
        self._held.append(current)
        passed = self._settle(self.recogniser.feed(char, self.clock()), current)
        return not passed

    def released(self, event: QKeyEvent) -> bool:
        """A key release; True if it is swallowed: its press is held, and it goes with it
        (a button pressed by Space must not see the release before the press)."""
        for held in self._held:
            if held.release is None and held.press.key == event.key():
                held.release = _KeyData.of(event)
                return True
        return False

    def interrupt(self) -> None:
        """Give back held keys now: what comes next is no part of a code."""
        self._settle(self.recogniser.release(), None)

    def flush(self) -> None:
        self._settle(self.recogniser.flush(self.clock()), None)

    def stop(self) -> None:
        self.timer.stop()
        self.recogniser.release()
        self._held.clear()

    def _settle(self, outcome: Sequence[Typed | Scanned], current: _Held | None) -> bool:
        """Deliver what the recogniser decided, in order; True if ``current`` is typing
        and may go on as the original event (nothing held is left before it)."""
        passed = False
        for decided in outcome:
            if isinstance(decided, Scanned):
                for _ in range(len(decided.text) + 1):  # the code and its Enter
                    self._held.popleft()
                self.on_code(decided.text)
                continue
            held = self._held.popleft()
            if held is current:
                passed = True
            else:
                self._send(held)
        self._arm()
        return passed

    def _send(self, held: _Held) -> None:
        # Where the key would go if pressed now, like the keys after it: focus can move
        # while a key is held (a re-render places it for a keypad user; a touch).
        target = QApplication.focusWidget() or self.window
        self.sending = True
        try:
            QApplication.sendEvent(target, held.press.event())
            if held.release is not None:
                QApplication.sendEvent(target, held.release.event())
        finally:
            self.sending = False

    def _arm(self) -> None:
        deadline = self.recogniser.deadline
        if deadline is None:
            self.timer.stop()
            return
        # Qt's clock and ours may differ (a test's clock stands still): the timer only
        # wakes us up; flush() asks the clock and re-arms if the deadline is not reached.
        self.timer.start(max(1, math.ceil((deadline - self.clock()) * 1000)))
