"""Entering the case number (keypad, keyboard, card) and confirming the number read back."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QHBoxLayout, QVBoxLayout, QWidget

from drivers.camera.preview import CameraState, Hint, PreviewFrame
from kiosk.core.identity import MAX_INPUT_LENGTH, CaseKind
from kiosk.core.text import N_
from kiosk.ui.presenter import intents as do
from kiosk.ui.presenter.view import View
from kiosk.ui.screens.base import Screen, button_row, centred, title_block
from kiosk.ui.widgets.basic import BigButton, Card, Notice, label, ltr, pictogram_label
from kiosk.ui.widgets.camera_view import CameraPreview
from kiosk.ui.widgets.grouping import grouped_input
from kiosk.ui.widgets.keypad import Keypad
from kiosk.ui.widgets.letter import letter_picture
from kiosk.ui.widgets.pictograms import render

TYPABLE = set("0123456789/ABCDEFGHIJKLMNOPQRSTUVWXYZ")
HINTS = {
    Hint.SHOW: N_("Hold the QR code inside the frame."),
    Hint.CLOSER: N_("Hold the card a little closer."),
    Hint.STILL: N_("Hold the card still."),
}
CAMERA_BROKEN = N_("The camera is not working right now. Please type your number.")
CHECKING = N_("Checking your card ...")
LETTER = (400, 480)  # without a camera
LETTER_BESIDE_CAMERA = (300, 360)


class IdentifyScreen(Screen):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.raw = ""
        row = QHBoxLayout()
        row.setSpacing(48)
        self.column.addLayout(row, 1)
        left = QVBoxLayout()
        left.setSpacing(20)
        self.title, self.subtitle = title_block(left)
        pictures = QHBoxLayout()
        pictures.setSpacing(32)
        pictures.addStretch(1)
        self.letter = pictogram_label(0)
        self.letter.setFixedSize(*LETTER)
        pictures.addWidget(self.letter, 0, Qt.AlignmentFlag.AlignTop)
        self.camera = QWidget()
        camera_column = QVBoxLayout(self.camera)
        camera_column.setContentsMargins(0, 0, 0, 0)
        camera_column.setSpacing(12)
        self.preview = CameraPreview(400)
        camera_column.addWidget(self.preview)
        self.hint = label()
        camera_column.addWidget(self.hint)
        camera_column.addStretch(1)
        self.camera.setFixedWidth(400)
        self.camera.hide()
        pictures.addWidget(self.camera, 0, Qt.AlignmentFlag.AlignTop)
        pictures.addStretch(1)
        left.addLayout(pictures)
        self._hint = Hint.SHOW
        self._view: View | None = None
        self.card_hint = QWidget()
        card_row = QHBoxLayout(self.card_hint)
        card_row.setContentsMargins(0, 0, 0, 0)
        self.card_icon = pictogram_label(96)
        self.card_text = label()
        card_row.addWidget(self.card_icon)
        card_row.addWidget(self.card_text, 1)
        left.addWidget(self.card_hint)
        self.card_problem = Notice("warning", 64)  # a card's refusal shows by the camera
        self.card_problem.hide()
        left.addWidget(self.card_problem)
        left.addStretch(1)
        row.addLayout(left, 1)
        right = QVBoxLayout()
        right.setSpacing(16)
        self.display = Card()
        box = QHBoxLayout(self.display)
        self.number = ltr(label("number", wrap=False))
        self.number.setMinimumHeight(96)
        box.addWidget(self.number)
        right.addWidget(self.display)
        self.problem = Notice("warning", 64)
        self.problem.hide()
        right.addWidget(self.problem)
        self.keypad = Keypad()
        self.keypad.typed.connect(self.type)
        self.keypad.erased.connect(self.erase)
        self.keypad.submitted.connect(self.submit)
        right.addWidget(self.keypad)
        right.addStretch(1)
        row.addLayout(right, 1)

    def type(self, text: str) -> None:
        if len(self.raw) + len(text) <= MAX_INPUT_LENGTH:
            self.raw += text
            self.number.setText(grouped_input(self.raw))

    def erase(self) -> None:
        self.raw = self.raw[:-2] if self.raw.endswith(("BG", "//")) else self.raw[:-1]
        self.number.setText(grouped_input(self.raw))

    def submit(self) -> None:
        self.ask(do.EnterCase(self.raw))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Digits, letters, / and Backspace type; Enter submits (keyboard operation)."""
        key, char = event.key(), event.text().upper()
        if key == Qt.Key.Key_Backspace:
            self.erase()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not isinstance(
            QApplication.focusWidget(), QAbstractButton
        ):
            self.submit()
        elif len(char) == 1 and char in TYPABLE:
            self.type(char)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def show_view(self, view: View) -> None:
        t, palette = view.texts, view.palette
        self.title.setText(t.gettext("Enter your number"))
        self.subtitle.setText(t.gettext("Your number is at the top right of job centre letters."))
        self._view = view
        camera = view.camera is not None
        size = LETTER_BESIDE_CAMERA if camera else LETTER
        self.letter.setFixedSize(*size)
        self.letter.setPixmap(letter_picture(size[0], palette))
        self.camera.setVisible(camera)
        self.preview.setVisible(view.camera is not CameraState.DISCONNECTED)
        self._show_hint()
        self.card_icon.setPixmap(render("qr-card", 96, palette.text))
        self.card_text.setText(
            t.gettext("Or hold your customer card with the QR code to the camera.")
        )
        self.number.setText(grouped_input(self.raw) or "_____ BG _______")
        self.number.setAccessibleName(t.gettext("Your number"))
        error, by_card = view.session.identify_error, view.session.card_refused
        if view.checking_card:
            self.problem.show_message(palette, t.gettext(CHECKING), "hourglass")
        elif error and not by_card:
            self.problem.show_message(palette, t.gettext(error), "warning")
        else:
            self.problem.hide()
        if error and by_card:
            self.card_problem.show_message(palette, t.gettext(error))
        else:
            self.card_problem.hide()
        # A refusal says what to do instead; a broken camera cannot take the card.
        broken = view.camera is CameraState.DISCONNECTED
        self.card_hint.setVisible(not by_card and not broken)
        self.keypad.label_keys(palette, t)

    def show_preview(self, frame: PreviewFrame) -> None:
        """The newest camera picture (several a second): only the picture and its hint."""
        self.preview.show_frame(frame)
        if frame.hint is not self._hint:
            self._hint = frame.hint
            self._show_hint()

    def _show_hint(self) -> None:
        view = self._view
        if view is None:
            return
        broken = view.camera is CameraState.DISCONNECTED
        text = CAMERA_BROKEN if broken else HINTS[self._hint]
        self.hint.setText(view.texts.gettext(text))

    def wipe(self) -> None:
        self.preview.clear()
        self._hint = Hint.SHOW
        self.raw = ""
        self.number.setText("")
        for notice in (self.problem, self.card_problem):
            notice.text.setText("")
            notice.hide()
        self.keypad.reset()

    def instructions(self, view: View) -> str:
        t = view.texts
        if view.checking_card:
            return t.gettext(CHECKING)
        error = view.session.identify_error
        if error:  # what went wrong first: the client acted and waits for an answer
            return t.gettext(error) + " " + t.gettext("Enter your number") + "."
        return (
            t.gettext("Enter your number")
            + ". "
            + t.gettext("Your number is at the top right of job centre letters.")
        )


class ConfirmScreen(Screen):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title, self.subtitle = title_block(self.column)
        self.column.addStretch(1)
        self.card = Card()
        box = QVBoxLayout(self.card)
        box.setContentsMargins(40, 32, 40, 32)
        box.setSpacing(12)
        self.kind = label()
        self.number = ltr(label("check-number", wrap=False))  # large: "check every digit"
        for part in (self.kind, self.number):
            part.setAlignment(Qt.AlignmentFlag.AlignCenter)
            box.addWidget(part)
        centred(self.column, self.card)
        self.column.addStretch(1)
        row = button_row(self.column)
        self.no = BigButton("cross")
        self.no.clicked.connect(lambda: self.ask(do.RejectCase()))
        self.yes = BigButton("check", "primary")
        self.yes.clicked.connect(lambda: self.ask(do.ConfirmCase()))
        row.addWidget(self.no)
        row.addWidget(self.yes)

    def show_view(self, view: View) -> None:
        t, case = view.texts, view.session.case
        self.title.setText(t.gettext("Is this your number?"))
        self.subtitle.setText(t.gettext("Please check every digit."))
        if case is not None:
            # Shown in full once, to confirm; every later screen shows it masked only.
            self.number.setText(case.grouped())
            kind = (
                t.gettext("BG number (BG-Nummer)")
                if case.kind is CaseKind.BG_NUMMER
                else t.gettext("Customer number (Kundennummer)")
            )
            self.kind.setText(kind)
        self.no.set_content(view.palette, t.gettext("No, change it"))
        self.yes.set_content(view.palette, t.gettext("Yes, this is my number"))

    def wipe(self) -> None:
        self.number.setText("")
        self.kind.setText("")

    def instructions(self, view: View) -> str:
        """The question, then the number sign by sign (a listener checks every digit)."""
        case = view.session.case
        spoken = ", ".join(" ".join(group) for group in case.grouped().split()) if case else ""
        return view.texts.gettext("Is this your number?") + " " + spoken
