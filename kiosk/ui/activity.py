"""Every touch and key counts as activity; a barcode reader's burst is a code, not typing;
no context menus, and the kiosk ignores the keys that would quit or leave it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from drivers.codes.wedge import WedgeTiming
from kiosk.ui.wedge_keys import WedgeKeys

_ACTIVITY = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.KeyPress,
}
_KEYS = {QEvent.Type.KeyPress, QEvent.Type.KeyRelease}


class ActivityFilter(QObject):
    def __init__(
        self,
        window: QWidget,
        clock: Callable[[], float],
        on_activity: Callable[[], None],
        on_code: Callable[[str], None],
        wedge_timing: WedgeTiming | None = None,
        on_leave_key: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.on_activity = on_activity
        # "close" (Escape) or "quit" (Alt+F4, Ctrl+Q): swallowed always; staff mode acts
        self.on_leave_key = on_leave_key or (lambda _key: None)
        self.keys = WedgeKeys(window, clock, on_code, wedge_timing)

    def stop(self) -> None:
        self.keys.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.ContextMenu:
            return True
        if kind not in _ACTIVITY | _KEYS or not self._first_receiver(watched, kind):
            return False
        if kind in _KEYS and self.keys.sending:
            return False  # a key given back as typing: counted and judged when it came
        if not isinstance(event, QKeyEvent):
            self.keys.interrupt()  # keys typed before a touch arrive before it
            self.on_activity()
            return False
        if kind == QEvent.Type.KeyRelease:
            return self.keys.released(event)
        self.on_activity()
        leave = _leaves_kiosk(event)
        if leave is not None:
            self.on_leave_key(leave)  # nothing leaves the kiosk from the client's keyboard
            return True
        return self.keys.pressed(event)

    def _first_receiver(self, watched: QObject, kind: QEvent.Type) -> bool:
        """An event travels up the parents; count it once, where it lands first."""
        if not isinstance(watched, QWidget) or watched.window() is not self.window:
            return False
        if kind in _KEYS:
            focus = QApplication.focusWidget()
            return watched is focus or (focus is None and watched is self.window)
        return True


def _leaves_kiosk(event: QKeyEvent) -> str | None:
    key, mods = event.key(), event.modifiers()
    if key == Qt.Key.Key_Escape:
        return "close"
    if key == Qt.Key.Key_F4 and mods & Qt.KeyboardModifier.AltModifier:
        return "quit"
    if key == Qt.Key.Key_Q and mods & Qt.KeyboardModifier.ControlModifier:
        return "quit"
    return None
