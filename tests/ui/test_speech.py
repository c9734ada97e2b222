"""Speech output through the presenter: what is read aloud, when, in which language, and
that it stops (a recording Speech; tests/drivers/test_speech.py runs espeak-ng itself)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.ui.i18n.texts import Texts
from kiosk.ui.presenter.backend import KioskBackend
from kiosk.ui.presenter.intents import EnterCase
from tests.ui.driver import Ui, make_backend

# Expected words are written out (from the catalogs' .po files), not asked of the screens.
# The start screen: nobody has chosen a language, so its welcome is read in each of the five
# languages in turn, each in its own voice, the screen's language first.
WELCOME = (
    ("Unterlagen für das Jobcenter scannen: Tippen Sie auf Ihre Sprache.", "de"),
    ("Скануйте документи для джобцентру: торкніться своєї мови.", "uk"),
    ("امسح مستنداتك لمركز العمل: المس لغتك.", "ar"),
    ("Jobcenter için belgelerinizi tarayın: dilinize dokunun.", "tr"),
    ("Scan your documents for the job centre: tap your language.", "en"),
)
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


def test_the_start_screen_is_read_in_every_language_in_turn(ui: Ui) -> None:
    toggle_speech(ui)
    # One request (a later screen or stop cuts all of it off), five parts, five voices.
    assert ui.speech.requests == [WELCOME]
    ui.clock.now += 5
    ui.presenter.touched()
    ui.qtbot.mouseClick(ui.window.screens["start"].large, Qt.MouseButton.LeftButton)
    assert ui.speech.requests == [WELCOME]  # the same screen: not read again


def test_the_start_screen_begins_with_the_home_language(
    qtbot: QtBot, sane_config: Path, tmp_path: Path, catalogs: dict[str, Texts]
) -> None:
    class TurkishHome(KioskBackend):  # [kiosk] language = "tr"
        @property
        def home_language(self) -> str:
            return "tr"

    backend = make_backend(sane_config, tmp_path, [])
    ui = Ui(qtbot, TurkishHome(backend.station, inbox=backend.inbox), catalogs)
    try:
        toggle_speech(ui)
        (request,) = ui.speech.requests
        assert [language for _, language in request] == ["tr", "de", "uk", "ar", "en"]
        assert set(request) == set(WELCOME)
    finally:
        ui.close()


def test_each_new_screen_is_read_once_in_the_current_language(ui: Ui) -> None:
    toggle_speech(ui)
    assert ui.speech.said == list(WELCOME)  # the start screen, every language
    ui.press("English")
    ui.press("Start")
    ui.clock.now += 5
    ui.presenter.touched()  # activity re-renders the screen: nothing new to say
    ui.tick(1)
    ui.type_like_a_person("123")  # typing changes the screen, not what is read
    ui.qtbot.mouseClick(ui.window.header.languages["uk"], Qt.MouseButton.LeftButton)
    assert ui.speech.said == [
        *WELCOME,
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
    assert ui.speech.said == list(WELCOME)
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
