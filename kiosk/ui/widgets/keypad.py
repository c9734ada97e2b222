"""The on-screen keypad for case numbers: digits, BG, //, and a page of letters.

Both pages share one row of Letters/Digits, Clear all and Delete, and Next under it: those
keys keep their places on either page. A key that cannot come next (an 8th digit after BG, BG
before 5 digits, a letter anywhere but after a Kundennummer's 3 digits) is disabled and looks
so, never silently ignored; the rule is the core's (kiosk.core.identity.allowed_next).
"""

from __future__ import annotations

from collections.abc import Iterable
from string import ascii_uppercase

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from kiosk.services.assets.theme import Palette, contrast
from kiosk.ui.i18n.texts import Texts
from kiosk.ui.widgets.basic import BigButton, ltr
from kiosk.ui.widgets.pictograms import render
from kiosk.ui.widgets.theme import TOUCH_TARGET

DIGIT_ROWS = (("1", "2", "3"), ("4", "5", "6"), ("7", "8", "9"), ("BG", "0", "//"))
LETTER_COLUMNS = 7
KEY_HEIGHT = TOUCH_TARGET
SPACING = 10
LETTERS, DIGITS = "ABC", "123"  # the page switch shows the page it leads to
DIM_CONTRAST = 4.6  # disabled keys stay readable: above WCAG's 4.5:1 on the background


def _mix(a: str, b: str, share: float) -> str:
    """``share`` of the way from colour ``a`` to colour ``b`` (#rrggbb)."""
    channels = (
        round(int(a[i : i + 2], 16) * (1 - share) + int(b[i : i + 2], 16) * share)
        for i in (1, 3, 5)
    )
    return "#" + "".join(f"{c:02x}" for c in channels)


def dim(palette: Palette) -> str:
    """The ink of a disabled key: as faded toward the background as still reads well."""
    grounds = (palette.background, palette.surface)
    for step in range(20, -1, -1):
        ink = _mix(palette.text, palette.background, step / 20 * 0.8)
        if all(contrast(ink, ground) >= DIM_CONTRAST for ground in grounds):
            return ink
    return palette.text


class Keypad(QWidget):
    typed = Signal(str)
    erased = Signal()
    cleared = Signal()
    submitted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # A keypad keeps its telephone order in every language, also in Arabic.
        ltr(self)
        self.keys: dict[str, QPushButton] = {}
        self._palette: Palette | None = None
        self._switch_names = (LETTERS, DIGITS)  # accessible names, set per language
        self._inked: tuple[object, ...] = ()
        self._letters_possible = False
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(SPACING)
        holder = QWidget()
        self.pages = QStackedLayout(holder)
        column.addWidget(holder)
        self.digits = QWidget()
        grid = self._grid(self.digits)
        for r, row in enumerate(DIGIT_ROWS):
            for c, key in enumerate(row):
                grid.addWidget(self._key(key), r, c)
        self.letters = QWidget()
        letters = self._grid(self.letters)
        for i, char in enumerate(ascii_uppercase):
            letters.addWidget(self._key(char), *divmod(i, LETTER_COLUMNS))
        for c in range(LETTER_COLUMNS):
            letters.setColumnStretch(c, 1)
        self.pages.addWidget(self.digits)
        self.pages.addWidget(self.letters)
        # Shared by both pages, so a finger finds them where they were.
        shared = QHBoxLayout()
        shared.setSpacing(SPACING)
        self.switch = self._button(LETTERS)
        self.switch.clicked.connect(self._switch_page)
        self.clear = self._big("cross")
        self.clear.clicked.connect(self.cleared.emit)
        self.erase = self._big("backspace")
        self.erase.clicked.connect(self.erased.emit)
        shared.addWidget(self.switch, 2)
        shared.addWidget(self.clear, 4)
        shared.addWidget(self.erase, 4)
        column.addLayout(shared)
        self.done = BigButton("forward", "primary")
        self.done.clicked.connect(self.submitted.emit)
        column.addWidget(self.done)

    @staticmethod
    def _grid(page: QWidget) -> QGridLayout:
        grid = QGridLayout(page)
        grid.setHorizontalSpacing(SPACING)
        grid.setVerticalSpacing(SPACING)
        grid.setContentsMargins(0, 0, 0, 0)
        return grid

    @staticmethod
    def _button(text: str) -> QPushButton:
        key = QPushButton(text)
        key.setFixedHeight(KEY_HEIGHT)
        key.setMinimumWidth(TOUCH_TARGET)
        key.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        key.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        return key

    def _key(self, value: str) -> QPushButton:
        key = self._button(value)
        key.clicked.connect(lambda _=False, v=value: self.typed.emit(v))
        self.keys[value] = key
        return key

    @staticmethod
    def _big(icon: str) -> BigButton:
        button = BigButton(icon, icon_size=48)
        layout = button.layout()
        assert layout is not None
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(10)
        return button

    @property
    def on_letters(self) -> bool:
        return self.pages.currentWidget() is self.letters

    def _switch_page(self) -> None:
        self.show_letters(not self.on_letters)

    def show_letters(self, letters: bool) -> None:
        """The letter page stays until the client switches back with "123" (or a new client)."""
        self.pages.setCurrentWidget(self.letters if letters else self.digits)
        self.switch.setText(DIGITS if letters else LETTERS)
        self.switch.setEnabled(letters or self._letters_possible)
        self._name_switch()

    def _name_switch(self) -> None:
        self.switch.setAccessibleName(self._switch_names[self.on_letters])

    def allow(self, keys: Iterable[str], anything_typed: bool) -> None:
        """Only ``keys`` can come next: every other key is disabled (and looks it). The letter
        page opens where a letter can go, and always leads back; Clear all and Delete need
        something to remove; Next always answers (it says what is missing)."""
        allowed = frozenset(keys)
        for value, key in self.keys.items():
            key.setEnabled(value in allowed)
        self._letters_possible = not allowed.isdisjoint(ascii_uppercase)
        self.switch.setEnabled(self.on_letters or self._letters_possible)
        self.clear.setEnabled(anything_typed)
        self.erase.setEnabled(anything_typed)
        self._paint_icons()

    def label_keys(self, palette: Palette, t: Texts) -> None:
        # The keys keep their places; Delete and Next read like every other button of the
        # language, and Next points the way the language reads (left in Arabic). Delete's key
        # is not mirrored: it erases the end of the number, which reads left to right.
        direction = Qt.LayoutDirection.RightToLeft if t.rtl else Qt.LayoutDirection.LeftToRight
        for button in (self.clear, self.erase, self.done):
            button.setLayoutDirection(direction)
        self.clear.set_content(palette, t.gettext("Clear all"))
        self.erase.set_content(palette, t.gettext("Delete"))
        self.done.set_content(palette, t.gettext("Next"), rtl=t.rtl)
        self._switch_names = (t.gettext("Letters"), t.gettext("Digits"))
        self._name_switch()
        if palette != self._palette:
            self._palette = palette
            ink = dim(palette)
            # Disabled: faded ink, no key face, a dashed edge (never colour alone).
            self.setStyleSheet(
                f"QPushButton:disabled {{ color: {ink}; background: transparent;"
                f" border: 3px dashed {ink}; }}"
                f" QLabel:disabled {{ color: {ink}; }}"
                " QPushButton { padding: 4px 8px; }"
            )
        self._inked = ()  # set_content drew the icons in the enabled colour
        self._paint_icons()

    def _paint_icons(self) -> None:
        palette = self._palette
        state = (palette, self.clear.isEnabled(), self.erase.isEnabled())
        if palette is None or state == self._inked:
            return
        self._inked = state
        ink = dim(palette)
        for button in (self.clear, self.erase):
            colour = palette.on_secondary if button.isEnabled() else ink
            if button.icon_name is not None:
                button.picture.setPixmap(render(button.icon_name, button.icon_size, colour))

    def reset(self) -> None:
        self.show_letters(False)
