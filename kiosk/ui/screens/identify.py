"""Entering the case number (keypad, keyboard, card) and confirming the number read back."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, QSize, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QVBoxLayout,
    QWidget,
)

from drivers.camera.preview import CameraState, Hint, PreviewFrame
from kiosk.core import identity
from kiosk.core.identity import (
    REASON_EMPTY,
    SEPARATOR_KEYS,
    CaseKind,
    Step,
    allowed_next,
    read_key,
)
from kiosk.core.text import N_
from kiosk.services.assets.theme import Palette
from kiosk.ui.i18n.bidi import RLM
from kiosk.ui.i18n.texts import Texts
from kiosk.ui.presenter import intents as do
from kiosk.ui.presenter.view import View
from kiosk.ui.screens.base import (
    MARGIN,
    Screen,
    button_row,
    centred,
    stack_in_portrait,
    title_block,
)
from kiosk.ui.widgets.basic import BigButton, Card, Notice, Words, label, ltr, pictogram_label
from kiosk.ui.widgets.camera_view import CameraPreview
from kiosk.ui.widgets.grouping import grouped_input
from kiosk.ui.widgets.keypad import Keypad
from kiosk.ui.widgets.letter import letter_picture
from kiosk.ui.widgets.pictograms import render
from kiosk.ui.widgets.sizing import OWN_SIZE
from kiosk.ui.widgets.theme import Metrics

HINTS = {
    Hint.SHOW: N_("Hold the QR code inside the frame."),
    Hint.CLOSER: N_("Hold the card a little closer."),
    Hint.STILL: N_("Hold the card still."),
}
CAMERA_BROKEN = N_("The camera is not working right now. Please type your number.")
CHECKING = N_("Checking your card ...")
LETTER = (400, 480)  # without a camera
LETTER_BESIDE_CAMERA = (300, 360)
CAMERA_WIDTH = 400
PORTRAIT_LETTER = 0.7  # of its size, with the keypad under it
PLACEHOLDER = "_____ BG _______"

# What the keypad's hint says while the number is typed: what is still missing.
TYPING = {
    Step.START: N_("For example 12345 BG 0012345 or 123A456789."),
    Step.OFFICE: N_("{count} of 5 digits, then BG."),
    Step.OFFICE_OR_LETTER: N_("{count} of 5 digits, then BG. Or now the letter (ABC)."),
    Step.SEPARATOR: N_("Now tap BG (or //)."),
    Step.SERIAL: N_("After BG: {count} of 7 digits."),
    Step.CUSTOMER: N_("After the letter: {count} of 6 digits."),
    Step.COMPLETE: N_("Your number is complete. Tap Next."),
}
# Every count each step can show (what the hint's reserved room is measured for).
COUNTS = {
    Step.START: (0,),
    Step.OFFICE: (1, 2, 4),
    Step.OFFICE_OR_LETTER: (3,),
    Step.SEPARATOR: (5,),
    Step.SERIAL: tuple(range(identity.SERIAL_DIGITS)),
    Step.CUSTOMER: tuple(range(identity.CUSTOMER_DIGITS)),
    Step.COMPLETE: (0,),
}
NOT_COMPLETE = N_("Your number is not complete yet.")  # Next on a number still missing parts
NOT_HERE = N_("That cannot go here.")  # a keyboard key the number cannot take next


def typing_hint(t: Texts, step: Step, count: int) -> str:
    return t.fill(t.gettext(TYPING[step]), count=t.number(count))


def slot_texts(t: Texts) -> list[str]:
    """Everything the keypad's hint can say in this language: its room is the longest's."""
    hints = [typing_hint(t, step, count) for step, counts in COUNTS.items() for count in counts]
    return [
        *hints,
        *(t.gettext(NOT_COMPLETE) + " " + hint for hint in hints),
        *(t.gettext(NOT_HERE) + " " + hint for hint in hints),
        t.gettext(REASON_EMPTY) + " " + typing_hint(t, Step.START, 0),
        t.gettext(CHECKING),
    ]


class ReservedWords(Words):
    """Wrapped words as tall as the longest text they may show: a longer one moves nothing."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.reserve: tuple[str, ...] = ()
        self._heights: dict[int, int] = {}

    def set_reserve(self, texts: list[str]) -> None:
        rtl = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        reserve = tuple(RLM + text if rtl else text for text in texts)  # as setText shows them
        if reserve != self.reserve:
            self.reserve = reserve
            self._heights.clear()
            self.updateGeometry()

    def _height(self, text: str, width: int) -> int:
        margins = self.contentsMargins()
        room = QRect(0, 0, max(1, width - margins.left() - margins.right()), 100_000)
        flags = int(self.alignment()) | int(Qt.TextFlag.TextWordWrap)
        need = self.fontMetrics().boundingRect(room, flags, text).height()
        return need + margins.top() + margins.bottom()

    def heightForWidth(self, width: int) -> int:
        if width not in self._heights:
            self._heights[width] = max(self._height(t, width) for t in (self.text(), *self.reserve))
        return max(self._heights[width], self._height(self.text(), width))

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(hint.width(), self.heightForWidth(hint.width()))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._heights.clear()
        super().changeEvent(event)


class HintSlot(QFrame):
    """The keypad's hint: what is still missing, and why Next did not go on. Its height is
    reserved for the longest thing it can say, so no key ever moves under a finger."""

    ICON = 56

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hint-slot")
        row = QHBoxLayout(self)
        row.setContentsMargins(20, 12, 20, 12)
        row.setSpacing(20)
        self.picture = pictogram_label(self.ICON)
        self.text = ReservedWords()
        row.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.text, 1)
        self.warning = False
        self._style: tuple[str, ...] = ()

    def show_text(self, palette: Palette, text: str, icon: str, warning: bool) -> None:
        ground, ink = palette.surface, palette.text
        if warning:
            ground, ink = palette.notice, palette.on_notice
        style = (ground, ink, palette.border)
        if style != self._style:
            self._style = style
            # The same 3 px frame either way: a warning changes colour, icon and words, never size.
            self.setStyleSheet(
                f"QFrame#hint-slot {{ background: {ground}; border: 3px solid {palette.border};"
                f" border-radius: 14px; }}"
                f" QFrame#hint-slot QLabel {{ color: {ink}; background: transparent;"
                " border: none; }"
            )
        self.warning = warning
        self.picture.setPixmap(render(icon, self.ICON, ink))
        self.text.setText(text)
        self.setAccessibleName(text)


class IdentifyScreen(Screen):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.raw = ""
        self._submitted: str | None = None  # the input the session's error is about
        self._ours = False  # that error answers this screen's Next (not a code or a test)
        self._refused = False  # a keyboard key the number could not take
        self._completes: str | None = None  # the second sign of BG or //, typed already
        # Side by side on a landscape screen, one above the other in portrait (fit).
        row = self.row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        row.setSpacing(48)
        self.column.addLayout(row, 1)
        left = self.left = QVBoxLayout()
        left.setSpacing(20)
        self.title, self.subtitle = title_block(left)
        pictures = QHBoxLayout()
        pictures.setSpacing(32)
        pictures.addStretch(1)
        self.letter = pictogram_label(0)
        self.letter.setFixedSize(*LETTER)
        self.letter.setProperty(OWN_SIZE, True)  # show_view: beside the camera or not
        pictures.addWidget(self.letter, 0, Qt.AlignmentFlag.AlignTop)
        self.camera = QWidget()
        camera_column = QVBoxLayout(self.camera)
        camera_column.setContentsMargins(0, 0, 0, 0)
        camera_column.setSpacing(12)
        self.preview = CameraPreview(CAMERA_WIDTH)
        camera_column.addWidget(self.preview)
        self.hint = label()
        camera_column.addWidget(self.hint)
        camera_column.addStretch(1)
        self.camera.setFixedWidth(CAMERA_WIDTH)
        self.camera.hide()
        pictures.addWidget(self.camera, 0, Qt.AlignmentFlag.AlignTop)
        pictures.addStretch(1)
        # The card's words under the pictures; beside the camera where the keypad needs the
        # height (portrait, large text: show_view).
        self.beside_camera = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.beside_camera.setSpacing(20)
        self.beside_camera.addLayout(pictures, 0)
        cards = QVBoxLayout()
        cards.setSpacing(20)
        self.beside_camera.addLayout(cards, 1)
        left.addLayout(self.beside_camera)
        self._hint = Hint.SHOW
        self._view: View | None = None
        self._reserved_for: tuple[object, ...] = ()
        self.card_hint = QWidget()
        card_row = QHBoxLayout(self.card_hint)
        card_row.setContentsMargins(0, 0, 0, 0)
        self.card_icon = pictogram_label(96)
        self.card_text = label()
        card_row.addWidget(self.card_icon)
        card_row.addWidget(self.card_text, 1)
        cards.addWidget(self.card_hint)
        self.card_problem = Notice("warning", 64)  # a card's refusal shows by the camera
        # In the words' size of the screen (not the notice's large bold): the longest refusal
        # fits beside the keypad in large text too.
        self.card_problem.text.setProperty("role", "")
        self.card_problem.hide()
        cards.addWidget(self.card_problem)
        cards.addStretch(1)
        left.addStretch(1)
        row.addLayout(left, 3)
        right = QVBoxLayout()
        right.setSpacing(12)
        self.display = Card()
        box = QHBoxLayout(self.display)
        box.setContentsMargins(16, 4, 16, 4)
        self.number = ltr(label("number", wrap=False))
        self.number.setMinimumHeight(96)
        box.addWidget(self.number)
        right.addWidget(self.display)
        # Between the number and the keys, always there and always as tall: what is missing
        # and why Next did not go on. Nothing a finger aims at moves when it changes.
        self.problem = HintSlot()
        right.addWidget(self.problem)
        self.keypad = Keypad()
        self.keypad.typed.connect(self.type)
        self.keypad.erased.connect(self.erase)
        self.keypad.cleared.connect(self.clear)
        self.keypad.submitted.connect(self.submit)
        right.addWidget(self.keypad)
        right.addStretch(1)
        row.addLayout(right, 4)
        self._refresh()

    # --- typing ------------------------------------------------------------------------

    def type(self, text: str) -> None:
        """Keys from the keypad ("BG" is one key), a keyboard or a code: each is taken if the
        number can go on with it (kiosk.core.identity.allowed_next), else refused and said."""
        self._refused = False
        if text in SEPARATOR_KEYS and text in allowed_next(self.raw):
            self._completes = None
            self.raw += text
        else:
            for char in text:
                self._refused |= not self._type_char(char)
        self._refresh()

    def _type_char(self, char: str) -> bool:
        completes, self._completes = self._completes, None
        if char == completes:  # the G of BG (or second /) after its first sign made it whole
            return True
        allowed = allowed_next(self.raw)
        for separator in SEPARATOR_KEYS:
            # Where BG or // goes, its first sign means it: B is no letter after 5 digits.
            if char == separator[0] and separator in allowed:
                self.raw += separator
                self._completes = separator[1]
                return True
        if char in allowed:
            self.raw += char
            return True
        return False

    def erase(self) -> None:
        self._completes, self._refused = None, False
        self.raw = self.raw[:-2] if self.raw.endswith(SEPARATOR_KEYS) else self.raw[:-1]
        self._refresh()

    def clear(self) -> None:
        self._completes, self._refused = None, False
        self.raw = ""
        self._refresh()

    def submit(self) -> None:
        self._completes, self._refused = None, False
        self._submitted, self._ours = self.raw, True
        self.ask(do.EnterCase(self.raw))
        self._refresh()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Digits, letters, / and Backspace type; Enter submits (keyboard operation). A key
        the number cannot take next is refused with a word, as the keypad disables it."""
        key = event.key()
        char = read_key(event.text())
        if key == Qt.Key.Key_Backspace:
            self.erase()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not isinstance(
            QApplication.focusWidget(), QAbstractButton
        ):
            self.submit()
        elif char:
            self.type(char)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    # --- what the screen shows ---------------------------------------------------------

    def _typed_error(self, view: View | None) -> bool:
        """Next was tapped on the input shown, and the session says it is no number yet."""
        if view is None or not view.session.identify_error or view.session.card_refused:
            return False
        if self._submitted is None:  # an error this screen's Next did not ask for
            self._submitted, self._ours = self.raw, False
        return self._submitted == self.raw

    def slot_text(self, view: View) -> tuple[str, str, bool]:
        """What the hint says now: (text, icon, warning)."""
        t = view.texts
        found = identity.progress(self.raw) or identity.Progress(Step.START, 0, False)
        hint = typing_hint(t, found.step, found.typed)
        if view.checking_card:
            return t.gettext(CHECKING), "hourglass", False
        if self._typed_error(view):
            if not self.raw:
                return t.gettext(REASON_EMPTY) + " " + hint, "warning", True
            return t.gettext(NOT_COMPLETE) + " " + hint, "warning", True
        if self._refused:
            return t.gettext(NOT_HERE) + " " + hint, "warning", True
        return hint, "info", False

    def _refresh(self) -> None:
        self.number.setText(grouped_input(self.raw) or PLACEHOLDER)
        self.keypad.allow(allowed_next(self.raw), bool(self.raw))
        view = self._view
        if view is not None:
            self.problem.show_text(view.palette, *self.slot_text(view))

    def fit(self, metrics: Metrics) -> None:
        super().fit(metrics)
        stack_in_portrait(self.row, metrics)

    def show_view(self, view: View) -> None:
        t, palette = view.texts, view.palette
        self.title.setText(t.gettext("Enter your number"))
        self.subtitle.setText(t.gettext("Your number is at the top right of job centre letters."))
        self._view = view
        camera = view.camera is not None
        m = self.metrics
        # In portrait the keypad is below: the letter gives it room.
        share = m.scale * (PORTRAIT_LETTER if m.portrait else 1)
        if m.portrait and view.settings.large_text:  # the keypad below needs the height
            share *= 0.6
        size = tuple(round(side * share) for side in (LETTER_BESIDE_CAMERA if camera else LETTER))
        self.letter.setFixedSize(*size)
        self.letter.setPixmap(letter_picture(size[0], palette))
        # Upright, large text, a camera: the keypad needs the letter's room (the line under
        # the title still says where the number is).
        upright_large = m.portrait and view.settings.large_text and camera
        self.letter.setVisible(not upright_large)
        self.beside_camera.setDirection(
            QBoxLayout.Direction.LeftToRight if upright_large else QBoxLayout.Direction.TopToBottom
        )
        # Large text: a smaller pictogram, its words a line shorter.
        self.card_problem.set_icon_size(m.px(40 if view.settings.large_text else 64))
        inner = self.card_problem.layout()
        if inner is not None:
            side, edge = (16, 8) if view.settings.large_text else (24, 16)
            inner.setContentsMargins(m.px(side), m.px(edge), m.px(side), m.px(edge))
        self.row.setSpacing(m.px(16 if upright_large else 48))
        self.left.setSpacing(m.px(8 if view.settings.large_text else 20))
        # Large text: the keys keep their size, the screen's edges give the taller words room.
        top, bottom = (12, 12) if view.settings.large_text else (24, 32)
        self.column.setContentsMargins(m.px(MARGIN), m.px(top), m.px(MARGIN), m.px(bottom))
        self.camera.setVisible(camera)
        self.preview.setVisible(view.camera is not CameraState.DISCONNECTED)
        self._show_hint()
        self.card_icon.setPixmap(render("qr-card", 96, palette.text))
        self.card_text.setText(
            t.gettext("Or hold your customer card with the QR code to the camera.")
        )
        self.number.setAccessibleName(t.gettext("Your number"))
        error, by_card = view.session.identify_error, view.session.card_refused
        if not error or by_card:
            self._submitted, self._ours = None, False
        if error and by_card:
            self.card_problem.show_message(palette, t.gettext(error))
        else:
            self.card_problem.hide()
        # Only a kiosk with a camera asks for the card; a refusal says what to do instead,
        # and a broken camera cannot take it.
        broken = view.camera is CameraState.DISCONNECTED
        self.card_hint.setVisible(camera and not by_card and not broken)
        self.keypad.label_keys(palette, t)
        reserved_for = (t.language, view.fonts)
        if reserved_for != self._reserved_for:
            self._reserved_for = reserved_for
            self.problem.text.set_reserve(slot_texts(t))
        self._refresh()

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
        self._submitted, self._ours, self._refused, self._completes = None, False, False, None
        self._view = None  # the last client's: the next view comes before anything shows
        self.card_problem.text.setText("")
        self.card_problem.hide()
        self.problem.text.setText("")
        self.keypad.reset()
        self._refresh()

    def instructions(self, view: View) -> str:
        t = view.texts
        if view.checking_card:
            return t.gettext(CHECKING)
        error = view.session.identify_error
        if error and not view.session.card_refused and self._typed_error(view) and self._ours:
            return self.slot_text(view)[0]  # what is missing, as the hint says it
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
