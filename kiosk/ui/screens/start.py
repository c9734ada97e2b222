"""The start screen (language choice, speech, large text, high contrast) and the
picture-led explanation."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.core.session import LANGUAGES
from kiosk.core.text import N_
from kiosk.ui.i18n.texts import LANGUAGE_NAMES
from kiosk.ui.presenter import intents as do
from kiosk.ui.presenter.view import View
from kiosk.ui.presenter.welcome import WELCOME
from kiosk.ui.screens.base import (
    Screen,
    button_row,
    direction_of,
    language_card,
    show_lines,
    title_block,
)
from kiosk.ui.widgets.basic import BigButton, Card, label, pictogram_label
from kiosk.ui.widgets.pictograms import render
from kiosk.ui.widgets.site import SiteBanner

# Nobody has chosen a language on the start screen yet: what it says, it says in all five
# (each line in its own direction), and read-aloud speaks it in each voice in turn.
READ_ALOUD = N_("Read aloud")
LARGE_TEXT = N_("Large text")
HIGH_CONTRAST = N_("High contrast")
STATE_SIZE = 64  # px: the box that is ticked while a switch is on


class Switch(BigButton):
    """An accessibility switch a client who reads no German understands: its pictogram, its
    name in every language (each line in its own direction) and a box, ticked while on.
    Its accessible name says the state in the screen's language."""

    def __init__(self, icon: str) -> None:
        super().__init__(icon)
        self.setCheckable(True)  # a screen reader hears "on" / "off" too
        self.title.hide()  # the accessible name only: the lines below say it
        box = self.layout()
        assert isinstance(box, QBoxLayout)
        item = box.itemAt(1)  # BigButton's column of words, beside its pictogram
        words = item.layout() if item is not None else None
        assert isinstance(words, QVBoxLayout)
        self.lines: dict[str, QLabel] = {}
        for language in LANGUAGES:
            line = label("medium")
            line.setObjectName("button-title")
            line.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            words.addWidget(line)
            self.lines[language] = line
        self.state = pictogram_label(STATE_SIZE)
        self.state.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        box.addWidget(self.state, 0, Qt.AlignmentFlag.AlignCenter)

    def show_switch(self, view: View, name: str, named_state: str, on: bool) -> None:
        t = view.texts
        state = t.fill(t.gettext(named_state), state=t.gettext("on") if on else t.gettext("off"))
        self.set_content(view.palette, state)
        self.title.hide()
        self.setChecked(on)
        show_lines(self.lines, view, name, Qt.AlignmentFlag.AlignHCenter)  # mixed directions
        picture = "switch-on" if on else "switch-off"
        self.state.setPixmap(render(picture, STATE_SIZE, view.palette.on_secondary))


class StartScreen(Screen):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.site = SiteBanner()
        self.column.addWidget(self.site)
        card, self.welcome = language_card((40, 20), 8)
        self.column.addWidget(card)
        self.column.addStretch(1)
        row = QHBoxLayout()
        row.setSpacing(28)
        self.languages: dict[str, BigButton] = {}
        for language in LANGUAGES:
            button = BigButton(None, "tile", vertical=True, title_role="huge", floor=200)
            button.clicked.connect(lambda _=False, lang=language: self.ask(do.ChooseLanguage(lang)))
            self.languages[language] = button
            row.addWidget(button)
        self.column.addLayout(row)
        self.column.addStretch(1)
        toggles = button_row(self.column)
        self.speech = Switch("speaker")
        self.speech.clicked.connect(lambda: self.ask(do.ToggleSpeech()))
        self.large = Switch("large-text")
        self.large.clicked.connect(lambda: self.ask(do.ToggleLargeText()))
        self.contrast = Switch("contrast")
        self.contrast.clicked.connect(lambda: self.ask(do.ToggleHighContrast()))
        for switch in (self.speech, self.large, self.contrast):
            toggles.addWidget(switch, 1)

    def show_view(self, view: View) -> None:
        t, settings = view.texts, view.settings
        self.site.show_site(view.site)
        show_lines(self.welcome, view, WELCOME)
        for language, button in self.languages.items():
            own = view.catalogs.get(language, t)
            button.title.setLayoutDirection(direction_of(own))
            button.subtitle.setLayoutDirection(direction_of(own))
            button.set_content(view.palette, LANGUAGE_NAMES[language], own.gettext("Start"))
        self.speech.show_switch(view, READ_ALOUD, N_("Read aloud: {state}"), settings.speech)
        self.large.show_switch(view, LARGE_TEXT, N_("Large text: {state}"), settings.large_text)
        self.contrast.show_switch(
            view, HIGH_CONTRAST, N_("High contrast: {state}"), settings.high_contrast
        )

    def instructions(self, view: View) -> str:
        return view.texts.gettext(WELCOME)


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
        self.start.set_content(view.palette, t.gettext("Start"), rtl=t.rtl)

    def instructions(self, view: View) -> str:
        t = view.texts
        return " ".join(t.gettext(text) for _, text in STEPS)
