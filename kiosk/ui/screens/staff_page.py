"""A page of staff mode: its pictogram and title, Back to the overview beside them, and
what the page shows below. ``StaffPage`` is the base of every staff page's screen;
``StaffPageScreen`` is the bare page the window shows for a page whose screen is not
registered (title and Back only)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.services.assets.theme import Palette
from kiosk.ui.presenter import intents as do
from kiosk.ui.presenter.staff_pages import SPECS, PageSpec
from kiosk.ui.presenter.view import View
from kiosk.ui.screens.base import Screen, icon_head
from kiosk.ui.widgets.basic import BigButton, Card
from kiosk.ui.widgets.pictograms import render

UNKNOWN = PageSpec("", "Staff mode", "staff")


def grid_card(row_spacing: int) -> tuple[Card, QGridLayout]:
    """A card with a grid of rows from its top; the room left stays below them."""
    card = Card()
    box = QVBoxLayout(card)
    grid = QGridLayout()
    box.addLayout(grid)
    box.addStretch(1)
    box.setContentsMargins(24, 16, 24, 16)
    grid.setContentsMargins(0, 0, 0, 0)
    grid.setHorizontalSpacing(24)
    grid.setVerticalSpacing(row_spacing)
    return card, grid


def spec_of(view: View) -> PageSpec:
    return SPECS.get(view.staff_page or "", UNKNOWN)


class StaffPage(Screen):
    """Head (pictogram, title, subtitle, Back); subclasses add their parts to ``column``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.icon, self.title, self.subtitle = icon_head(self.column)
        item = self.column.itemAt(self.column.count() - 1)
        head = item.layout() if item is not None else None
        assert isinstance(head, QHBoxLayout)  # icon_head's row
        self.head = head  # a page may put a button of its own beside Back
        self.back = BigButton("back")
        self.back.clicked.connect(lambda: self.ask(do.CloseStaffPage()))
        head.addWidget(self.back, 0, Qt.AlignmentFlag.AlignTop)

    def show_head(self, view: View, subtitle: str = "") -> None:
        t, spec = view.texts, spec_of(view)
        self.icon.setPixmap(render(spec.pictogram, 120, view.palette.text))
        self.title.setText(t.gettext(spec.title))
        self.subtitle.setText(subtitle)
        self.subtitle.setVisible(bool(subtitle))
        self.back.set_content(view.palette, t.gettext("Back"), rtl=t.rtl)

    def instructions(self, view: View) -> str:
        return view.texts.gettext(spec_of(view).title)


def mark(button: BigButton, palette: Palette, text: str, chosen: bool) -> None:
    """A choice among several: the chosen one ticked and coloured (never colour alone)."""
    role = "selected" if chosen else ""
    if button.property("role") != role:
        button.setProperty("role", role)
        for part in (button, button.title):  # the words' colour follows the button's role
            part.style().unpolish(part)
            part.style().polish(part)
    button.set_content(palette, ("✓\u00a0" if chosen else "") + text)  # the tick stays on
    button.setAccessibleName(text)


class StaffPageScreen(StaffPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.column.addStretch(1)

    def show_view(self, view: View) -> None:
        self.show_head(view)
