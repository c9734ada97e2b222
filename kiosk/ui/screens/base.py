"""What every screen has: an intent signal, render(view), prepare(view), wipe() and speech."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.ui.intents import Intent
from kiosk.ui.view import View
from kiosk.ui.widgets import label

MARGIN = 48


class Screen(QWidget):
    intent = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("screen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(MARGIN, 24, MARGIN, 32)
        self.column.setSpacing(16)

    def ask(self, intent: Intent) -> None:
        self.intent.emit(intent)

    def show_view(self, view: View) -> None:
        raise NotImplementedError

    def prepare(self, view: View) -> None:
        """Another screen shows ``view``: build ahead what showing a later view will need,
        so that switching to this screen stays quick (most screens need nothing)."""

    def wipe(self) -> None:
        """Forget anything of a client's the screen shows (case number, pages)."""

    def instructions(self, view: View) -> str:
        """What speech output says when this screen appears."""
        return ""


def title_block(layout: QVBoxLayout) -> tuple[QLabel, QLabel]:
    """A screen title and a line under it."""
    title = label("title")
    subtitle = label()
    layout.addWidget(title)
    layout.addWidget(subtitle)
    return title, subtitle


def centred(layout: QVBoxLayout, widget: QWidget, share: int = 3) -> None:
    """A widget in the middle of a row, ``share`` of five parts wide, stretches either side.

    Not addWidget(widget, 0, AlignHCenter): the column would then size the widget's height
    for the full screen width while it gets only its size hint, and wrapped text is cut off.
    """
    row = QHBoxLayout()
    row.setSpacing(0)
    row.addStretch((5 - share) * 10)
    row.addWidget(widget, share * 20)
    row.addStretch((5 - share) * 10)
    layout.addLayout(row)


def button_row(layout: QVBoxLayout) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setSpacing(32)
    layout.addLayout(row)
    return row
