"""Speech output through the presenter: what is read aloud, when, in which language, and
that it stops (a recording Speech; tests/drivers/test_speech.py runs espeak-ng itself)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from kiosk.ui.presenter.intents import EnterCase
from tests.ui.driver import Ui

# Expected words are written out (from the catalogs' .po files), not asked of the screens.
START_DE = "Wählen Sie Ihre Sprache. Tippen Sie auf eine Taste."
EXPLAIN_EN = (
    "Enter your number. It is on letters from the job centre. "
    "Choose what your documents are about. "
    "Put your papers into the scanner and scan them. "
    "Check the pages and send them. You get a receipt."
)
IDENTIFY_EN = "Enter your number. Your number is at the top right of job centre letters."
IDENTIFY_UK = "Введіть свій номер. Ваш номер стоїть угорі праворуч у листах від джобцентру."
IDENTIFY_TIMEOUT = 90.0
WARN_BEFORE = 20.0


def toggle_speech(ui: Ui) -> None:
    ui.qtbot.mouseClick(ui.window.screens["start"].speech, Qt.MouseButton.LeftButton)


def to_identify(ui: Ui) -> None:
    ui.press("English")
    ui.press("Start")
    assert ui.phase == "identify"


def test_nothing_is_read_aloud_unless_the_client_asks(ui: Ui) -> None:
    to_identify(ui)
    assert ui.speech.said == [] and ui.speech.stopped == 0


def test_each_new_screen_is_read_once_in_the_current_language(ui: Ui) -> None:
    toggle_speech(ui)
    assert ui.speech.said == [(START_DE, "de")]  # the start screen, in the home language
    ui.press("English")
    ui.press("Start")
    ui.clock.now += 5
    ui.presenter.touched()  # activity re-renders the screen: nothing new to say
    ui.tick(1)
    ui.type_like_a_person("123")  # typing changes the screen, not what is read
    ui.qtbot.mouseClick(ui.window.header.languages["uk"], Qt.MouseButton.LeftButton)
    assert ui.speech.said == [
        (START_DE, "de"),
        (EXPLAIN_EN, "en"),
        (IDENTIFY_EN, "en"),
        (IDENTIFY_UK, "uk"),  # another language: the same screen again, in Ukrainian
    ]


def test_switching_speech_off_stops_it_at_once_and_keeps_it_quiet(ui: Ui) -> None:
    toggle_speech(ui)
    assert ui.window.screens["start"].speech.accessibleName() == "Vorlesen: an"
    toggle_speech(ui)
    assert ui.speech.stopped == 1
    ui.press("English")
    assert ui.speech.said == [(START_DE, "de")]
    assert ui.presenter.settings.speech is False


def test_the_timeout_warning_is_read_once_not_every_second(ui: Ui) -> None:
    toggle_speech(ui)
    to_identify(ui)
    before = len(ui.speech.said)
    ui.tick(IDENTIFY_TIMEOUT - WARN_BEFORE + 1)
    ui.tick(1)
    ui.tick(1)  # the countdown changes on screen every second
    warnings = ui.speech.said[before:]
    assert len(warnings) == 1
    text, language = warnings[0]
    assert language == "en" and text.startswith("Are you still there? In 19 seconds")
    ui.press("Yes, I need more time")
    assert ui.speech.said[-1] == (IDENTIFY_EN, "en") and len(ui.speech.said) == before + 2


@pytest.mark.parametrize("end", ["timeout", "start over"])
def test_the_next_client_starts_with_speech_off_and_hears_nothing_of_the_last(
    ui: Ui, end: str
) -> None:
    toggle_speech(ui)
    to_identify(ui)
    said = len(ui.speech.said)
    if end == "timeout":
        ui.tick(IDENTIFY_TIMEOUT + 1)
    else:
        ui.press("Start again")
    assert ui.phase == "idle"
    # The last screen's words are cut off: the next client hears nothing of the last one.
    assert ui.speech.stopped == 1
    assert ui.presenter.settings.speech is False
    assert ui.window.screens["start"].speech.accessibleName() == "Vorlesen: aus"
    ui.press("English")
    assert len(ui.speech.said) == said


def test_a_wrong_number_and_a_refused_card_are_read_out_then_the_number_to_check(
    ui: Ui,
) -> None:
    toggle_speech(ui)
    to_identify(ui)
    ui.presenter.handle(EnterCase("12345BG0000000"))
    assert ui.speech.said[-1] == (
        "The last part of the BG number cannot be all zeros. Enter your number.",
        "en",
    )
    ui.presenter.code_read("https://shop.example/offer")
    ui.idle()
    assert ui.speech.said[-1][0].startswith("This code is not from the job centre.")
    ui.presenter.code_read("12345//12345")
    ui.idle()
    assert ui.speech.said[-1] == (
        "Is this your number? 1 2 3 4 5, B G, 0 0 1 2 3 4 5",
        "en",
    )
