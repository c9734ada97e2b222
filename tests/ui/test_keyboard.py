"""A whole session with a keyboard only (a tactile keypad): arrows, digits, letters, Enter."""

from __future__ import annotations

from pathlib import Path

import pypdf
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication
from pytestqt.qtbot import QtBot

from kiosk.ui.i18n.texts import Texts
from tests.ui.driver import Ui, make_backend

MAX_STEPS = 60  # arrow presses allowed to reach any control on a screen


def reach_and_press(ui: Ui, words: str) -> None:
    """Arrow (Right) to the button showing ``words``, then Enter; fails if unreachable."""
    for _ in range(MAX_STEPS):
        ui.key_target()
        focused = QApplication.focusWidget()
        if isinstance(focused, QAbstractButton) and words in (
            focused.text(),
            focused.accessibleName(),
        ):
            ui.key(Qt.Key.Key_Return)
            return
        ui.key(Qt.Key.Key_Right)
    raise AssertionError(f"{words!r} cannot be reached with the arrow keys")


def test_a_whole_session_by_keyboard_alone(
    qtbot: QtBot, sane_config: Path, tmp_path: Path, catalogs: dict[str, Texts]
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    ui = Ui(qtbot, make_backend(sane_config, inbox, []), catalogs)
    try:
        ui.window.activateWindow()
        ui.qtbot.waitUntil(lambda: QApplication.activeWindow() is ui.window, timeout=5000)
        reach_and_press(ui, "English")
        assert ui.phase == "identify"
        reach_and_press(ui, "Start")  # past "How it works"
        ui.type_like_a_person("12345bg0012345")  # typed, not tapped; lower case is fine
        assert ui.shows("12345 BG 0012345")
        reach_and_press(ui, "Next")
        ui.idle()  # the test clock stands still: the keys look like a code reader's burst
        assert ui.phase == "confirm"
        reach_and_press(ui, "Yes, this is my number")
        assert ui.phase == "concern"
        reach_and_press(ui, "I am sick")
        assert ui.phase == "scan"
        reach_and_press(ui, "Scan")
        qtbot.waitUntil(lambda: ui.phase == "review", timeout=60_000)
        ui.idle()
        reach_and_press(ui, "Send 10 pages")
        qtbot.waitUntil(lambda: ui.phase == "receipt", timeout=60_000)
        ui.idle()
        (pdf,) = inbox.glob("*.pdf")
        assert len(pypdf.PdfReader(pdf).pages) == 10
        for escape in ((Qt.Key.Key_Escape,), (Qt.Key.Key_F4,)):  # nothing leaves the kiosk
            ui.key(*escape)
        assert ui.window.isVisible() and ui.phase == "receipt"
    finally:
        ui.close()


def test_touch_clients_see_no_preselected_choice(ui: Ui) -> None:
    # A highlighted first tile reads as "pick this": clients under stress do (Düsseldorf's
    # first online forms). Only a keypad user gets a focused control placed for them.
    ui.press("English")
    ui.press("Start")
    for key_ in ("1", "2", "3", "4", "5", "BG", "1", "2", "3", "4", "5"):
        ui.press(key_)
    ui.press("Next")
    ui.press("Yes, this is my number")
    assert ui.phase == "concern"
    concern = ui.window.stack.currentWidget()
    focused = QApplication.focusWidget()
    assert focused is None or not concern.isAncestorOf(focused)


def test_nothing_is_highlighted_on_the_first_screen_and_typing_still_reaches_the_number(
    ui: Ui,
) -> None:
    start = ui.window.stack.currentWidget()
    focused = QApplication.focusWidget()
    assert focused is None or not start.isAncestorOf(focused)  # "Deutsch" not pre-chosen
    ui.press("English")
    ui.press("Start")
    assert ui.phase == "identify"
    ui.type_like_a_person("12345//12345")  # a physical keyboard after touching the screen
    assert ui.shows("12345 // 12345")  # grouped as typed; canonical on the next screen


def test_a_client_who_touched_then_types_the_number_and_enter_on_a_keyboard(ui: Ui) -> None:
    # Every key is activity and re-renders the screen (the clock moves, as it does on a
    # kiosk). Typing must not make a keypad button focused under the client's fingers: it
    # took the next key away from the number, and Enter pressed the button instead.
    ui.press("English")
    ui.press("Start")
    ui.type_like_a_person("12345bg12345")
    assert ui.window.screens["identify"].raw == "12345BG12345"
    focused = QApplication.focusWidget()
    assert not isinstance(focused, QAbstractButton)  # nothing highlighted
    ui.clock.now += 0.5
    ui.key(Qt.Key.Key_Return)
    assert ui.phase == "confirm" and ui.shows("12345 BG 0012345")


def test_a_keypad_user_types_a_customer_number_on_the_letter_page(ui: Ui) -> None:
    # The letter page stays until "123" (it fell back to digits after one letter), and the
    # keys that cannot come next are skipped by the arrows: disabled, not silently dead.
    ui.window.activateWindow()
    ui.qtbot.waitUntil(lambda: QApplication.activeWindow() is ui.window, timeout=5000)
    reach_and_press(ui, "English")
    reach_and_press(ui, "Start")
    for key in "123":
        reach_and_press(ui, key)
    reach_and_press(ui, "Letters")
    reach_and_press(ui, "K")
    identify = ui.window.screens["identify"]
    assert identify.raw == "123K" and ui.button("Digits").isVisible()  # still the letters
    for _ in range(MAX_STEPS):  # no disabled key takes the focus
        ui.key(Qt.Key.Key_Right)
        focused = QApplication.focusWidget()
        assert not isinstance(focused, QAbstractButton) or focused.isEnabled()
    reach_and_press(ui, "Digits")
    for key in "456789":
        reach_and_press(ui, key)
    reach_and_press(ui, "Next")
    assert ui.phase == "confirm" and ui.shows("123K 456789")
