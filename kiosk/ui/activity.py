"""Every touch and key counts as activity; a card reader's burst is a case number; no
context menus, and the kiosk ignores the keys that would quit or leave it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.ui.wedge import BurstDetector

_ACTIVITY = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.KeyPress,
}


class ActivityFilter(QObject):
    def __init__(
        self,
        window: QWidget,
        clock: Callable[[], float],
        on_activity: Callable[[], None],
        on_code: Callable[[str], None],
    ) -> None:
        super().__init__(window)
        self.window = window
        self.on_activity = on_activity
        self.on_code = on_code
        self.burst = BurstDetector(clock)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        kind = event.type()
        if kind == QEvent.Type.ContextMenu:
            return True
        if kind not in _ACTIVITY or not self._first_receiver(watched, kind):
            return False
        self.on_activity()
        if isinstance(event, QKeyEvent):
            return self._key(event)
        return False

    def _first_receiver(self, watched: QObject, kind: QEvent.Type) -> bool:
        """An event travels up the parents; count it once, where it lands first."""
        if not isinstance(watched, QWidget) or watched.window() is not self.window:
            return False
        if kind == QEvent.Type.KeyPress:
            focus = QApplication.focusWidget()
            return watched is focus or (focus is None and watched is self.window)
        return True

    def _key(self, event: QKeyEvent) -> bool:
        key, mods = event.key(), event.modifiers()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            code = self.burst.enter()
            if code is not None:
                self.on_code(code)
                return True
            return False
        if key == Qt.Key.Key_Escape or (
            key == Qt.Key.Key_F4 and mods & Qt.KeyboardModifier.AltModifier
        ):
            return True  # nothing leaves the kiosk from the client's keyboard
        if key == Qt.Key.Key_Q and mods & Qt.KeyboardModifier.ControlModifier:
            return True
        text = event.text()
        if len(text) == 1 and text.isprintable():
            self.burst.character(text)
        return False
