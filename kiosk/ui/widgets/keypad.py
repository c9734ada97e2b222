"""The on-screen keypad for case numbers: digits, BG, //, and a page of letters."""

from __future__ import annotations

from string import ascii_uppercase

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QPushButton, QSizePolicy, QStackedLayout, QWidget

from kiosk.ui.i18n.texts import Texts
from kiosk.ui.widgets.basic import BigButton, ltr
from kiosk.ui.widgets.theme import Palette

DIGIT_ROWS = (("1", "2", "3"), ("4", "5", "6"), ("7", "8", "9"), ("BG", "0", "//"))
LETTER_COLUMNS = 7


class Keypad(QWidget):
    typed = Signal(str)
    erased = Signal()
    submitted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # A keypad keeps its telephone order in every language, also in Arabic.
        ltr(self)
        self.pages = QStackedLayout(self)
        self.digits = QWidget()
        grid = QGridLayout(self.digits)
        grid.setSpacing(14)
        grid.setContentsMargins(0, 0, 0, 0)
        for r, row in enumerate(DIGIT_ROWS):
            for c, key in enumerate(row):
                grid.addWidget(self._key(key, key), r, c)
        self.letters_key = self._key("ABC", None, self._show_letters)
        self.erase = BigButton("backspace")
        self.erase.clicked.connect(self.erased.emit)
        self.done = BigButton("forward", "primary")
        self.done.clicked.connect(self.submitted.emit)
        grid.addWidget(self.letters_key, 4, 0)
        grid.addWidget(self.erase, 4, 1, 1, 2)
        grid.addWidget(self.done, 5, 0, 1, 3)
        for column in range(3):
            grid.setColumnStretch(column, 1)
        self.letters = QWidget()
        letters = QGridLayout(self.letters)
        letters.setSpacing(10)
        letters.setContentsMargins(0, 0, 0, 0)
        for i, char in enumerate(ascii_uppercase):
            letters.addWidget(self._key(char, char, self._show_digits), *divmod(i, LETTER_COLUMNS))
        self.back_to_digits = self._key("123", None, self._show_digits)
        letters.addWidget(self.back_to_digits, 3, LETTER_COLUMNS - 2, 1, 2)
        self.pages.addWidget(self.digits)
        self.pages.addWidget(self.letters)

    def _key(self, text: str, value: str | None, then: object = None) -> QPushButton:
        key = QPushButton(text)
        key.setMinimumSize(96, 96)
        key.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        key.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        if value is not None:
            key.clicked.connect(lambda _=False, v=value: self.typed.emit(v))
        if callable(then):
            key.clicked.connect(then)
        return key

    def _show_letters(self) -> None:
        self.pages.setCurrentWidget(self.letters)

    def _show_digits(self) -> None:
        self.pages.setCurrentWidget(self.digits)

    def label_keys(self, palette: Palette, t: Texts) -> None:
        # The keys keep their places; Delete and Next read like every other button of the
        # language, and Next points the way the language reads (left in Arabic). Delete's key
        # is not mirrored: it erases the end of the number, which reads left to right.
        direction = Qt.LayoutDirection.RightToLeft if t.rtl else Qt.LayoutDirection.LeftToRight
        for button in (self.erase, self.done):
            button.setLayoutDirection(direction)
        self.erase.set_content(palette, t.gettext("Delete"))
        self.done.set_content(palette, t.gettext("Next"), mirrored=t.rtl)
        self.letters_key.setAccessibleName(t.gettext("Letters"))
        self.back_to_digits.setAccessibleName(t.gettext("Digits"))

    def reset(self) -> None:
        self._show_digits()
