"""The start screen for a client who reads no German (issue 11): the welcome and the three
switches (read aloud, large text, high contrast) in all five languages, each line in its own
direction; high contrast is a switch of its own, apart from large text; all of it fits at
1920x1080 in every language, in large text and in high contrast."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from kiosk.core.records import replace
from kiosk.core.session import LANGUAGES
from kiosk.devtools.screenshots import show, view_for
from kiosk.ui.i18n.texts import PSEUDO, Texts
from kiosk.ui.presenter.view import Settings, View
from kiosk.ui.screens.start import StartScreen, Switch
from kiosk.ui.widgets.theme import HIGH_CONTRAST, NORMAL, SHIPPED
from kiosk.ui.window import Window
from tests.ui.driver import Ui
from tests.ui.layout_rules import clipped_text, cut_off, overlaps, shown, small_targets

# Written out from the catalogs (i18n/*/kiosk.po), not asked of the screen.
WELCOME = {
    "de": "Unterlagen für das Jobcenter scannen: Tippen Sie auf Ihre Sprache.",
    "uk": "Скануйте документи для джобцентру: торкніться своєї мови.",
    "ar": "امسح مستنداتك لمركز العمل: المس لغتك.",
    "tr": "Jobcenter için belgelerinizi tarayın: dilinize dokunun.",
    "en": "Scan your documents for the job centre: tap your language.",
}
SWITCHES = {
    "speech": {
        "de": "Vorlesen",
        "uk": "Читати вголос",
        "ar": "القراءة بصوت عالٍ",
        "tr": "Sesli okuma",
        "en": "Read aloud",
    },
    "large": {
        "de": "Große Schrift",
        "uk": "Великий шрифт",
        "ar": "خط كبير",
        "tr": "Büyük yazı",
        "en": "Large text",
    },
    "contrast": {
        "de": "Hoher Kontrast",
        "uk": "Високий контраст",
        "ar": "تباين عالٍ",
        "tr": "Yüksek kontrast",
        "en": "High contrast",
    },
}


def start_screen(window: Window) -> StartScreen:
    screen = window.screens["start"]
    assert isinstance(screen, StartScreen)
    return screen


def shown_words(labels: list[QLabel]) -> list[tuple[str, Qt.LayoutDirection]]:
    """What each label shows (without the right-to-left mark) and the way it runs."""
    return [(label.text().lstrip("\u200f"), label.layoutDirection()) for label in labels]


def in_order(texts: dict[str, str]) -> list[tuple[str, Qt.LayoutDirection]]:
    rtl, ltr = Qt.LayoutDirection.RightToLeft, Qt.LayoutDirection.LeftToRight
    return [(texts[language], rtl if language == "ar" else ltr) for language in LANGUAGES]


def render_start(
    window: Window, texts: Texts, catalogs: dict[str, Texts], settings: Settings | None = None
) -> View:
    view = replace(view_for("start", texts, catalogs), settings=settings or Settings())
    show(window, "start", view)
    return view


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_welcome_is_shown_in_every_language_each_in_its_own_direction(
    window: Window, catalogs: dict[str, Texts], language: str
) -> None:
    render_start(window, catalogs[language], catalogs)
    screen = start_screen(window)
    lines = [screen.welcome[lang] for lang in LANGUAGES]
    assert all(line.isVisible() for line in lines)
    assert shown_words(lines) == in_order(WELCOME)


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_switch_is_named_in_every_language_beside_its_pictogram(
    window: Window, catalogs: dict[str, Texts], language: str
) -> None:
    render_start(window, catalogs[language], catalogs)
    screen = start_screen(window)
    for name, switch in (("speech", screen.speech), ("large", screen.large)):
        assert isinstance(switch, Switch)
        lines = [switch.lines[lang] for lang in LANGUAGES]
        assert all(line.isVisible() for line in lines)
        assert shown_words(lines) == in_order(SWITCHES[name])
        assert not switch.picture.pixmap().isNull()  # the pictogram: no words needed
    contrast = screen.contrast
    assert shown_words([contrast.lines[lang] for lang in LANGUAGES]) == in_order(
        SWITCHES["contrast"]
    )


def test_a_switch_shows_its_state_as_a_ticked_box_and_says_it_in_words(
    window: Window, catalogs: dict[str, Texts]
) -> None:
    render_start(window, catalogs["de"], catalogs)
    screen = start_screen(window)
    off = screen.contrast.state.pixmap().toImage()
    assert not screen.contrast.isChecked()
    assert screen.contrast.accessibleName() == "Hoher Kontrast: aus"
    render_start(window, catalogs["de"], catalogs, Settings(high_contrast=True))
    assert screen.contrast.isChecked()
    assert screen.contrast.accessibleName() == "Hoher Kontrast: an"
    assert screen.contrast.state.pixmap().toImage() != off  # the tick: not colour alone


@pytest.mark.parametrize("switched", ["", "large_text", "high_contrast"])
@pytest.mark.parametrize("language", [*LANGUAGES, PSEUDO])
def test_the_start_screen_fits_at_1920x1080(
    window: Window,
    catalogs: dict[str, Texts],
    pseudo_texts: Texts,
    language: str,
    switched: str,
) -> None:
    settings = Settings(**({switched: True} if switched else {}))
    texts = pseudo_texts if language == PSEUDO else catalogs[language]
    every = {lang: pseudo_texts for lang in LANGUAGES} if language == PSEUDO else catalogs
    assert (window.width(), window.height()) == (1920, 1080)
    render_start(window, texts, every, settings)
    widgets = list(shown(window))
    assert clipped_text(widgets) == []
    assert cut_off(widgets, window) == []
    assert overlaps(widgets, window) == []
    assert small_targets(widgets) == []


def test_high_contrast_is_its_own_switch_apart_from_large_text(ui: Ui) -> None:
    screen = start_screen(ui.window)
    normal = ui.presenter.view()
    assert (normal.palette, normal.fonts) == (NORMAL, SHIPPED.fonts(False))
    ui.qtbot.mouseClick(screen.large, Qt.MouseButton.LeftButton)
    large = ui.presenter.view()
    assert large.palette is NORMAL  # large text keeps the colours
    assert large.fonts == SHIPPED.fonts(True)
    ui.qtbot.mouseClick(screen.large, Qt.MouseButton.LeftButton)
    ui.qtbot.mouseClick(screen.contrast, Qt.MouseButton.LeftButton)
    contrast = ui.presenter.view()
    assert contrast.palette is HIGH_CONTRAST  # high contrast keeps the text size
    assert contrast.fonts == SHIPPED.fonts(False)
    assert HIGH_CONTRAST.background in ui.window.styleSheet()
    ui.qtbot.mouseClick(screen.large, Qt.MouseButton.LeftButton)
    both = ui.presenter.view()
    assert (both.palette, both.fonts) == (HIGH_CONTRAST, SHIPPED.fonts(True))
    assert ui.presenter.settings == Settings(large_text=True, high_contrast=True)


@pytest.mark.parametrize("end", ["timeout", "start over"])
def test_the_next_client_starts_with_normal_colours_and_text(ui: Ui, end: str) -> None:
    screen = start_screen(ui.window)
    ui.qtbot.mouseClick(screen.contrast, Qt.MouseButton.LeftButton)
    ui.qtbot.mouseClick(screen.large, Qt.MouseButton.LeftButton)
    ui.press("English")
    ui.press("Start")
    assert ui.phase == "identify"
    if end == "timeout":
        ui.tick(90.0 + 1)
    else:
        ui.press("Start again")
    assert ui.phase == "idle"
    assert ui.presenter.settings == Settings()
    assert ui.presenter.view().palette is NORMAL
    assert screen.contrast.accessibleName() == "Hoher Kontrast: aus"
    assert screen.large.accessibleName() == "Große Schrift: aus"
