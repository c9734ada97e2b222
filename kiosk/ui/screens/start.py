"""The start screen (language choice, speech, large text) and the picture-led explanation."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QWidget

from kiosk.core.session import LANGUAGES
from kiosk.core.text import N_
from kiosk.ui.i18n.texts import LANGUAGE_NAMES
from kiosk.ui.presenter import intents as do
from kiosk.ui.presenter.view import View
from kiosk.ui.screens.base import Screen, button_row, title_block
from kiosk.ui.widgets.basic import BigButton, Card, label, pictogram_label
from kiosk.ui.widgets.pictograms import render


class StartScreen(Screen):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title, self.subtitle = title_block(self.column)
        self.column.addStretch(1)
        row = QHBoxLayout()
        row.setSpacing(28)
        self.languages: dict[str, BigButton] = {}
        for language in LANGUAGES:
            button = BigButton(None, "tile", vertical=True, title_role="huge", floor=260)
            button.clicked.connect(lambda _=False, lang=language: self.ask(do.ChooseLanguage(lang)))
            self.languages[language] = button
            row.addWidget(button)
        self.column.addLayout(row)
        self.column.addStretch(1)
        toggles = button_row(self.column)
        self.speech = BigButton("speaker")
        self.speech.clicked.connect(lambda: self.ask(do.ToggleSpeech()))
        self.large = BigButton("large-text")
        self.large.clicked.connect(lambda: self.ask(do.ToggleLargeText()))
        toggles.addWidget(self.speech)
        toggles.addWidget(self.large)

    def show_view(self, view: View) -> None:
        t = view.texts
        self.title.setText(t.gettext("Scan your documents for the job centre"))
        self.subtitle.setText(t.gettext("Choose your language. Tap a button."))
        for language, button in self.languages.items():
            own = view.catalogs.get(language, t)
            direction = (
                Qt.LayoutDirection.RightToLeft if own.rtl else Qt.LayoutDirection.LeftToRight
            )
            button.title.setLayoutDirection(direction)
            button.subtitle.setLayoutDirection(direction)
            button.set_content(view.palette, LANGUAGE_NAMES[language], own.gettext("Start"))
        on, off = t.gettext("on"), t.gettext("off")
        speech = t.fill(t.gettext("Read aloud: {state}"), state=on if view.settings.speech else off)
        large = t.fill(
            t.gettext("Large text: {state}"), state=on if view.settings.large_text else off
        )
        self.speech.set_content(view.palette, speech)
        self.large.set_content(view.palette, large)

    def instructions(self, view: View) -> str:
        return view.texts.gettext("Choose your language. Tap a button.")


STEPS = (
    ("letter", N_("Enter your number. It is on letters from the job centre.")),
    ("other", N_("Choose what your documents are about.")),
    ("feeder", N_("Put your papers into the scanner and scan them.")),
    ("check", N_("Check the pages and send them. You get a receipt.")),
)


class ExplainScreen(Screen):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title, self.subtitle = title_block(self.column)
        grid = QGridLayout()
        grid.setSpacing(28)
        self.steps = []
        for index in range(len(STEPS)):
            card = Card()
            box = QHBoxLayout(card)
            box.setContentsMargins(24, 24, 24, 24)
            box.setSpacing(24)
            picture = pictogram_label(140)
            words = label("big")
            box.addWidget(picture)
            box.addWidget(words, 1)
            grid.addWidget(card, index // 2, index % 2)
            self.steps.append((picture, words))
        for column in range(2):
            grid.setColumnStretch(column, 1)  # both columns as wide, whatever the words
        self.column.addLayout(grid, 1)
        self.papers = label()
        self.column.addWidget(self.papers)
        row = button_row(self.column)
        row.addStretch(1)
        self.start = BigButton("forward", "primary")
        self.start.setMinimumWidth(520)
        self.start.clicked.connect(lambda: self.ask(do.BeginIdentify()))
        row.addWidget(self.start)

    def show_view(self, view: View) -> None:
        t = view.texts
        self.title.setText(t.gettext("How it works"))
        self.subtitle.setText(t.gettext("Four steps. It takes a few minutes."))
        for number, ((icon, text), (picture, words)) in enumerate(
            zip(STEPS, self.steps, strict=True), 1
        ):
            name = "qr-card" if icon == "letter" else icon
            picture.setPixmap(render(name, 140, view.palette.text))
            words.setText(f"{t.number(number)}. {t.gettext(text)}")
        self.papers.setText(t.gettext("At the end, take all your papers with you."))
        self.start.set_content(view.palette, t.gettext("Start"), mirrored=t.rtl)

    def instructions(self, view: View) -> str:
        t = view.texts
        return " ".join(t.gettext(text) for _, text in STEPS)
