"""The bar on top of every screen: start again, and the language switch (progress is kept)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QWidget

from kiosk.core.session import LANGUAGES, Phase
from kiosk.ui.i18n.texts import LANGUAGE_NAMES
from kiosk.ui.presenter import intents as do
from kiosk.ui.presenter.view import View
from kiosk.ui.widgets.basic import BigButton, label
from kiosk.ui.widgets.theme import TOUCH_TARGET

NO_START_OVER = (Phase.IDLE, Phase.LANGUAGE, Phase.SEND, Phase.OUT_OF_ORDER, Phase.ERROR)


class Header(QWidget):
    intent = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(48, 16, 48, 0)
        row.setSpacing(14)
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
            button.setAccessibleName(LANGUAGE_NAMES[language])
            button.style().unpolish(button)
            button.style().polish(button)
        self.setVisible(phase not in (Phase.IDLE, Phase.LANGUAGE, Phase.OUT_OF_ORDER))
