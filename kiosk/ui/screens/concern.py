"""Choosing the concern: plain-language buttons with pictograms, the official term below."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QScrollArea, QWidget

from kiosk.core.concerns import CONCERNS
from kiosk.ui import intents as do
from kiosk.ui.screens.base import Screen, title_block
from kiosk.ui.view import View
from kiosk.ui.widgets import BigButton


class ConcernScreen(Screen):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title, self.subtitle = title_block(self.column)
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        inner = QWidget()
        self.grid = QGridLayout(inner)
        self.grid.setSpacing(12)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.scroller.setWidget(inner)
        self.column.addWidget(self.scroller, 1)
        self.buttons: list[BigButton] = []
        for concern in CONCERNS:
            button = BigButton(concern.key, "tile", icon_size=56, title_role="medium")
            inner_layout = button.layout()
            if inner_layout is not None:
                inner_layout.setContentsMargins(8, 6, 8, 6)
            button.setObjectName(f"concern-{concern.key}")
            button.clicked.connect(lambda _=False, key=concern.key: self.ask(do.ChooseConcern(key)))
            self.buttons.append(button)
        self.columns = 0

    def _arrange(self, columns: int) -> None:
        if columns == self.columns:
            return
        self.columns = columns
        for i, button in enumerate(self.buttons):
            self.grid.addWidget(button, i // columns, i % columns)
        for c in range(4):
            self.grid.setColumnStretch(c, 1 if c < columns else 0)

    def show_view(self, view: View) -> None:
        t = view.texts
        self._arrange(3 if view.settings.large_text else 4)
        self.title.setText(t.gettext("What are your documents about?"))
        self.subtitle.setText(t.gettext("Choose one. Not sure? Choose “Something else”."))
        for concern, button in zip(CONCERNS, self.buttons, strict=False):
            button.set_content(view.palette, t.gettext(concern.label), t.gettext(concern.official))

    def instructions(self, view: View) -> str:
        t = view.texts
        names = ". ".join(t.gettext(c.label) for c in CONCERNS)
        return t.gettext("What are your documents about?") + " " + names
