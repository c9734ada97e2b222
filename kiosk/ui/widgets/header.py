"""The bar on top of every screen: start again, and the language switch (progress is kept)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.lazy import lazy
from kiosk.core.session import LANGUAGES, Phase
from kiosk.ui.i18n.texts import LANGUAGE_NAMES
from kiosk.ui.presenter.view import View
from kiosk.ui.widgets.basic import BigButton, label
from kiosk.ui.widgets.theme import FULL, TOUCH_TARGET, Metrics

if TYPE_CHECKING:
    from kiosk.ui.presenter import intents as do
else:  # the intents load at the first tap, not before the first paint
    do = lazy("kiosk.ui.presenter.intents", globals(), "do")

SLACK = 4  # px: rounding between font metrics and layout
PADDING, BORDER = 18, 3  # px: a button's side padding (at SCREEN) and border in the style
NO_START_OVER = (Phase.IDLE, Phase.LANGUAGE, Phase.SEND, Phase.OUT_OF_ORDER, Phase.ERROR)


def one_line(button: BigButton, m: Metrics) -> int:
    """How wide the button is with its words on one line (its size hint may still be the
    last language's)."""
    title = button.title
    words = title.fontMetrics().horizontalAdvance(title.text())
    margins = title.contentsMargins()
    inner = button.layout()
    box = inner.contentsMargins() if inner is not None else margins
    frame = 2 * m.px(PADDING) + 2 * BORDER  # the style sheet's, kiosk.ui.widgets.theme
    return (
        words + margins.left() + margins.right() + button.icon_size
        + (inner.spacing() if inner is not None else 0) + box.left() + box.right() + frame
    )  # fmt: skip


class Header(QWidget):
    intent = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        rows = QVBoxLayout(self)
        rows.setContentsMargins(48, 16, 48, 0)
        rows.setSpacing(14)
        row = self.top = QHBoxLayout()
        row.setSpacing(14)
        rows.addLayout(row)
        # The languages: beside the number on a wide screen, a row of their own on a narrow
        # one (portrait), where five names and "Start again" do not fit one line.
        self.below = QGridLayout()
        self.below.setSpacing(14)
        rows.addLayout(self.below)
        self.rows = rows
        self.arranged = (False, 0)
        self.metrics = FULL
        self.start_over = BigButton("restart")
        self.start_over.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Minimum)
        self.start_over.clicked.connect(lambda: self.intent.emit(do.StartOver()))
        row.addWidget(self.start_over)
        self.case = label("muted")
        row.addWidget(self.case, 1)
        self.languages: dict[str, QPushButton] = {}
        for language in LANGUAGES:
            button = QPushButton(LANGUAGE_NAMES[language])
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            button.setMinimumSize(TOUCH_TARGET, TOUCH_TARGET)
            button.clicked.connect(
                lambda _=False, lang=language: self.intent.emit(do.ChooseLanguage(lang))
            )
            self.languages[language] = button
            row.addWidget(button)

    def fit(self, m: Metrics) -> None:
        self.metrics = m
        self._arrange()

    def _arrange(self) -> None:
        """Languages beside the number where all fits one line (with room for the number),
        else below: a name is never cut, whatever the language and text size."""
        m = self.metrics
        row = self.top.spacing()
        need = sum(b.sizeHint().width() + row for b in self.languages.values())
        if not self.start_over.isHidden():
            need += one_line(self.start_over, m) + row
        words = self.case.text().split()
        if words:  # the number wraps at its spaces, never inside "12345BG•••2345"
            metrics = self.case.fontMetrics()
            margins = self.case.contentsMargins()
            need += max(metrics.horizontalAdvance(word) for word in words)
            need += margins.left() + margins.right() + SLACK
        margins = self.rows.contentsMargins()
        room = m.width - margins.left() - margins.right()
        # Languages get a row of their own where one line has no room for them (a small or
        # portrait screen, large text at full size: the number wraps only so far).
        narrow = need > room
        if narrow:
            widest = max(b.sizeHint().width() for b in self.languages.values())
            columns = max(1, min(len(self.languages), (room + row) // (widest + row)))
        else:
            columns = 0
        # As tall as "Start again", as in one line: a script taller than its font still fits.
        tall = max(m.touch, self.start_over.sizeHint().height()) if narrow else m.touch
        # ... and never lower than a name needs (Naskh's lines are tall for their size).
        tall = max(tall, *(b.sizeHint().height() for b in self.languages.values()))
        for button in self.languages.values():
            button.setMinimumHeight(tall)
        if (narrow, columns) == self.arranged:
            return
        self.arranged = (narrow, columns)
        for i, button in enumerate(self.languages.values()):
            if narrow:  # taken out of the other row
                self.below.addWidget(button, *divmod(i, columns))
            else:
                self.top.addWidget(button)
        for column in range(len(self.languages)):
            self.below.setColumnStretch(column, 1 if column < columns else 0)
        # Laid out now, not on Qt's next turn: the screen that made them move (the receipt,
        # where the number and "Start again" are gone) must not show them at the sizes
        # they had in the other row for a frame.
        self.rows.activate()

    def show_view(self, view: View) -> None:
        phase, t = view.session.phase, view.texts
        self.start_over.setVisible(phase not in NO_START_OVER)
        self.start_over.set_content(view.palette, t.gettext("Start again"))
        case = view.session.case
        shown = case is not None and phase in (Phase.CONCERN, Phase.SCAN, Phase.REVIEW)
        # After the confirmation the number is only ever shown masked.
        masked = case.masked() if shown and case else None
        self.case.setText(
            t.fill(t.gettext("Your number: {number}"), number=masked) if masked else ""
        )
        for language, button in self.languages.items():
            chosen = language == view.texts.language
            # The chosen language is marked by a tick and by colour, never colour alone.
            button.setText(("✓ " if chosen else "") + LANGUAGE_NAMES[language])
            button.setProperty("role", "selected" if chosen else "")
            # In large text the names take the body size (1.5 times normal body, 1.3 times
            # their normal size): with "Start again" they keep one line on a 1080p screen.
            button.setProperty("language", "large" if view.settings.large_text else "")
            button.setAccessibleName(LANGUAGE_NAMES[language])
            button.style().unpolish(button)
            button.style().polish(button)
        self.setVisible(phase not in (Phase.IDLE, Phase.LANGUAGE, Phase.OUT_OF_ORDER))
        self._arrange()
