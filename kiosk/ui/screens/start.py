"""The start screen (language choice, speech, large text, high contrast) and the
picture-led explanation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.lazy import lazy
from kiosk.core.session import LANGUAGES
from kiosk.core.text import N_
from kiosk.ui.i18n.texts import LANGUAGE_NAMES
from kiosk.ui.presenter.view import View
from kiosk.ui.presenter.welcome import WELCOME
from kiosk.ui.screens.base import (
    Screen,
    button_row,
    direction_of,
    language_card,
    show_lines,
    stack_in_portrait,
    title_block,
)
from kiosk.ui.widgets.basic import BigButton, Card, label, pictogram_label
from kiosk.ui.widgets.pictograms import render
from kiosk.ui.widgets.reflow import Reflow
from kiosk.ui.widgets.site import SiteBanner
from kiosk.ui.widgets.sizing import OWN_SIZE
from kiosk.ui.widgets.theme import Metrics

if TYPE_CHECKING:
    from kiosk.ui.presenter import intents as do
else:  # the intents load at the first tap, not before the first paint
    do = lazy("kiosk.ui.presenter.intents", globals(), "do")

# Nobody has chosen a language on the start screen yet: what it says, it says in all five
# (each line in its own direction), and read-aloud speaks it in each voice in turn.
READ_ALOUD = N_("Read aloud")
LARGE_TEXT = N_("Large text")
HIGH_CONTRAST = N_("High contrast")
STATE_SIZE = 64  # px: the box that is ticked while a switch is on
LARGE_STATE = 44  # px: the box and the pictogram in large text
TILE, PORTRAIT_TILE = 200, 120  # px: a language tile's height, in one row / stacked
LARGE_TILE = 150  # px: in one row, in large text


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
        # The five names one under the other; two a row on a wide switch in large text.
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(16)
        self.grid.setVerticalSpacing(2)
        words.addLayout(self.grid)
        for i, language in enumerate(LANGUAGES):
            line = label("medium")
            line.setObjectName("button-title")
            line.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            self.grid.addWidget(line, i, 0)
            self.lines[language] = line
        self.columns = 1
        self.scale = 1.0
        self.state = pictogram_label(STATE_SIZE)
        self.state.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        box.addWidget(self.state, 0, Qt.AlignmentFlag.AlignCenter)

    def arrange(self, columns: int) -> None:
        if columns == self.columns:
            return
        self.columns = columns
        for i, line in enumerate(self.lines.values()):
            self.grid.addWidget(line, *divmod(i, columns))

    def show_switch(self, view: View, name: str, named_state: str, on: bool) -> None:
        t = view.texts
        state = t.fill(t.gettext(named_state), state=t.gettext("on") if on else t.gettext("off"))
        self.set_content(view.palette, state)
        self.title.hide()
        self.setChecked(on)
        show_lines(self.lines, view, name, Qt.AlignmentFlag.AlignHCenter)  # mixed directions
        picture = "switch-on" if on else "switch-off"
        # Large text: smaller pictures, so that the names keep one line each.
        side = self.metrics_px(LARGE_STATE if view.settings.large_text else STATE_SIZE)
        self.state.setProperty(OWN_SIZE, True)
        self.state.setFixedSize(side, side)
        self.state.setPixmap(render(picture, side, view.palette.on_secondary))
        icon = self.metrics_px(LARGE_STATE if view.settings.large_text else self.built_icon)
        if icon != self.icon_size:
            self.icon_size = icon
            self.picture.setFixedSize(icon, icon)
            if self.icon_name is not None:
                self.picture.setPixmap(render(self.icon_name, icon, view.palette.on_secondary))

    def metrics_px(self, value: int) -> int:
        return max(1, round(value * self.scale))

    def fit(self, m: Metrics) -> None:
        super().fit(m)
        self.scale = m.scale


class StartScreen(Screen):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.site = SiteBanner()
        self.column.addWidget(self.site)
        self.card, self.welcome = language_card((40, 20), 8)
        self.column.addWidget(self.card)
        self.column.addStretch(1)
        self.languages: dict[str, BigButton] = {}
        for language in LANGUAGES:
            button = BigButton(None, "tile", vertical=True, title_role="huge", floor=TILE)
            button.clicked.connect(lambda _=False, lang=language: self.ask(do.ChooseLanguage(lang)))
            self.languages[language] = button
        self.tiles = Reflow(self.column, list(self.languages.values()), 3, 28, 12)  # 3 + 2 upright
        self.column.addStretch(1)
        self.speech = Switch("speaker")
        self.speech.clicked.connect(lambda: self.ask(do.ToggleSpeech()))
        self.large = Switch("large-text")
        self.large.clicked.connect(lambda: self.ask(do.ToggleLargeText()))
        self.contrast = Switch("contrast")
        self.contrast.clicked.connect(lambda: self.ask(do.ToggleHighContrast()))
        self.switches = Reflow(self.column, [self.speech, self.large, self.contrast], 1, 32, 8)

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
        stacked = self.metrics.units < 1500  # five side by side need 1500 px
        # Two rows of tiles: lower, the names a size less. Large text: lower tiles in one
        # row too, the larger lines above and below them need the height.
        floor = PORTRAIT_TILE if stacked else LARGE_TILE if settings.large_text else TILE
        if stacked != self.tiles.stacked or floor != self.languages["de"].built_floor:
            for tile in self.languages.values():
                tile.built_floor = floor
                tile.fit(self.metrics)
                tile.title.setProperty("role", "" if stacked else "huge")
                tile.title.style().unpolish(tile.title)
                tile.title.style().polish(tile.title)
        self.tiles.arrange(stacked, self.metrics)
        self.switches.arrange(self.metrics.portrait, self.metrics)
        m = self.metrics
        for switch in (self.speech, self.large, self.contrast):
            switch.arrange(2 if m.portrait and settings.large_text else 1)
        for switch in (self.speech, self.large, self.contrast):  # one a row upright: its
            inner = switch.layout()  # five lines need the height the margins took
            if inner is not None:
                upright = 2 if m.portrait or settings.large_text else 10
                inner.setContentsMargins(m.px(16), m.px(upright), m.px(16), m.px(upright))
        lines = self.card.layout()
        if lines is not None:  # five languages' lines, closer together upright
            lines.setSpacing(m.px(2 if m.portrait or settings.large_text else 8))
            edge = 6 if settings.large_text else 20  # large text: the lines need the height
            lines.setContentsMargins(m.px(40), m.px(edge), m.px(40), m.px(edge))
        self.column.setSpacing(m.px(8 if settings.large_text else 16))

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
        pairs = QVBoxLayout()  # two steps a row; upright, each row stands on end
        pairs.setSpacing(28)
        self.rows: list[QBoxLayout] = []
        self.steps = []
        for index in range(len(STEPS)):
            if index % 2 == 0:
                row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
                row.setSpacing(28)
                pairs.addLayout(row, 1)
                self.rows.append(row)
            card = Card()
            box = QHBoxLayout(card)
            box.setContentsMargins(24, 24, 24, 24)
            box.setSpacing(24)
            picture = pictogram_label(140)
            words = label("big")
            box.addWidget(picture)
            box.addWidget(words, 1)
            self.rows[-1].addWidget(card, 1)  # both columns as wide, whatever the words
            self.steps.append((picture, words))
        self.column.addLayout(pairs, 1)
        self.papers = label()
        self.column.addWidget(self.papers)
        row = button_row(self.column)
        row.addStretch(1)
        self.start = BigButton("forward", "primary")
        self.start.setMinimumWidth(520)
        self.start.clicked.connect(lambda: self.ask(do.BeginIdentify()))
        row.addWidget(self.start)

    def fit(self, metrics: Metrics) -> None:
        super().fit(metrics)
        for row in self.rows:
            stack_in_portrait(row, metrics)

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
