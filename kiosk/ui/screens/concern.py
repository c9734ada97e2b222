"""Choosing the concern: plain-language buttons with pictograms, the official term below."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QWidget

from kiosk.core.concerns import CONCERNS
from kiosk.ui.presenter import intents as do
from kiosk.ui.presenter.view import View
from kiosk.ui.screens.base import Screen, title_block
from kiosk.ui.widgets.basic import BigButton, touch_scroll_area
from kiosk.ui.widgets.theme import Metrics

FALLBACK = "other"  # "Something else / I don't know": a full row of its own, last
TILE = 440  # SCREEN px: the least width a tile's words need (4 columns at 1920 px)
LARGE_TILE = 560  # in large text (3 columns at 1920 px)


class ConcernScreen(Screen):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title, self.subtitle = title_block(self.column)
        # All 13 fit one screen at normal text size in every language (the layout test
        # checks it); only large text may need to scroll, so the area stays as a safety net.
        self.scroller = touch_scroll_area()
        self.column.addWidget(self.scroller, 1)
        self.buttons: list[BigButton] = []
        for concern in CONCERNS:
            button = BigButton(concern.key, "tile", icon_size=56, title_role="medium")
            inner_layout = button.layout()
            if inner_layout is not None:
                inner_layout.setContentsMargins(14, 10, 14, 10)
                inner_layout.setSpacing(14)
            button.setObjectName(f"concern-{concern.key}")
            button.clicked.connect(lambda _=False, c=concern: self.ask(do.ChooseConcern(c)))
            self.buttons.append(button)
        self.columns = 0

    def fit(self, metrics: Metrics) -> None:
        super().fit(metrics)
        self.columns = 0  # the grid is built again, spaced for the size
        if metrics.scale < 1:  # small type: lines wrap a little more, the tiles give room
            for button in self.buttons:
                inner = button.layout()
                if inner is not None:
                    inner.setContentsMargins(metrics.px(14), 4, metrics.px(14), 4)

    def columns_for(self, large: bool) -> int:
        """As many columns as tiles fit side by side (4 at 1920 px, 2 in portrait)."""
        m = self.metrics
        room = m.units - 2 * 48
        return max(1, min(4, int(room // (LARGE_TILE if large else TILE))))

    def _arrange(self, columns: int) -> None:
        if columns == self.columns:
            return
        self.columns = columns
        # A new grid each time: a grid that once had four columns keeps an empty fourth one,
        # and then sizes its rows for other widths than it lays them out in (text cut off).
        inner = QWidget()
        grid = QGridLayout(inner)
        grid.setSpacing(self.metrics.px(14))
        grid.setContentsMargins(0, 0, 0, 0)
        tiles = [b for c, b in zip(CONCERNS, self.buttons, strict=True) if c.key != FALLBACK]
        fallback = next(b for c, b in zip(CONCERNS, self.buttons, strict=True) if c.key == FALLBACK)
        for i, button in enumerate(tiles):
            grid.addWidget(button, i // columns, i % columns)
        rows = (len(tiles) + columns - 1) // columns
        grid.addWidget(fallback, rows, 0, 1, columns)
        for r in range(rows):
            grid.setRowStretch(r, 1)  # the fallback row stays low
        for c in range(columns):
            grid.setColumnStretch(c, 1)
        self.scroller.setWidget(inner)  # the old grid goes, the buttons move over

    def show_view(self, view: View) -> None:
        t = view.texts
        large = view.settings.large_text
        self._arrange(self.columns_for(large))
        # Normal text fits (no bar: a bar once shown narrows the tiles, their words wrap
        # taller and keep it shown); large text may scroll.
        self.scroller.setVerticalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAsNeeded if large else Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        )
        self.title.setText(t.gettext("What are your documents about?"))
        self.subtitle.setText(t.gettext("Choose one. Not sure? Choose “Something else”."))
        for concern, button in zip(CONCERNS, self.buttons, strict=True):
            button.set_content(view.palette, t.gettext(concern.label), t.gettext(concern.official))

    def instructions(self, view: View) -> str:
        t = view.texts
        names = ". ".join(t.gettext(c.label) for c in CONCERNS)
        return t.gettext("What are your documents about?") + " " + names
