"""A USB barcode reader that types like a keyboard (HID wedge), on the real window: its burst
is a code and never typing; a person's keys still reach the screen, in order, promptly."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget
from pytestqt.qtbot import QtBot

from drivers.codes.wedge import WedgeTiming
from kiosk.ui.i18n.texts import Texts
from kiosk.ui.screens.identify import IdentifyScreen
from tests.ui.driver import Clock, Ui, make_backend

CODE = "12345BG0012345"
SHOWN = "12345 BG 0012345"


class KeyLog(QObject):
    """Key presses that reach the widget it watches: (key, text, modifiers)."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.presses: list[tuple[int, str, Qt.KeyboardModifier]] = []
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            self.presses.append((event.key(), event.text(), event.modifiers()))
        return False

    @property
    def text(self) -> str:
        return "".join(text for _, text, _ in self.presses)


def on_identify(ui: Ui) -> IdentifyScreen:
    ui.press("English")
    ui.press("Start")
    assert ui.phase == "identify"
    ui.key_target()  # the window active, as on the kiosk
    screen = ui.window.screens["identify"]
    assert isinstance(screen, IdentifyScreen)
    return screen


def keypad_to_the_screen(ui: Ui) -> QAbstractButton:
    """Arrow keys until a button of the current screen (not the header) has focus."""
    for _ in range(20):
        ui.key(Qt.Key.Key_Right)
        focused = QApplication.focusWidget()
        if isinstance(focused, QAbstractButton) and ui.window.current.isAncestorOf(focused):
            return focused
    raise AssertionError("no button of the screen reached with the arrow keys")


@pytest.mark.parametrize("focus", ["touch", "keypad"])
def test_a_reader_burst_on_identify_is_the_number_and_types_nothing(ui: Ui, focus: str) -> None:
    screen = on_identify(ui)
    if focus == "keypad":  # a keypad button focused: Enter would press it
        keypad_to_the_screen(ui)
    ui.scan_like_a_reader(CODE)
    assert ui.phase == "confirm" and ui.shows(SHOWN)
    assert screen.raw == "" and "1" not in screen.number.text()
    assert ui.presenter.activity.keys.recogniser.deadline is None  # nothing left held
    ui.press("No, change it")  # back on identify: the field is as the client left it, empty
    assert ui.phase == "identify" and screen.raw == ""


def test_a_person_typing_reaches_the_number_in_order_even_after_pauses(ui: Ui) -> None:
    screen = on_identify(ui)
    arrived = KeyLog(ui.window)  # the window holds focus and passes keys to the screen
    ui.type_keys("12345", 0.3)
    assert screen.raw == "1234"  # the last key waits out the reader's gap...
    ui.let_go()
    assert screen.raw == "12345"  # ...and then arrives by itself
    ui.clock.now += 20.0  # looking for the letter
    ui.type_like_a_person("bg")
    ui.clock.now += 5.0
    ui.type_like_a_person("0012345")
    assert screen.raw == CODE and ui.shows(SHOWN)
    assert arrived.text == "12345bg0012345"  # each key once, in order: nothing re-captured
    ui.clock.now += 1.0
    ui.key(Qt.Key.Key_Return)  # a person's Enter submits, as ever
    assert ui.phase == "confirm"


def test_given_back_keys_are_the_keys_that_were_pressed(ui: Ui) -> None:
    on_identify(ui)
    arrived = KeyLog(ui.window)
    ui.type_like_a_person("aB/")
    shift = Qt.KeyboardModifier.ShiftModifier
    typed = [p for p in arrived.presses if p[0] != Qt.Key.Key_Shift]
    assert typed == [
        (Qt.Key.Key_A, "a", Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_B, "B", shift),
        (Qt.Key.Key_Slash, "/", Qt.KeyboardModifier.NoModifier),
    ]


def test_keys_just_before_backspace_or_a_touch_arrive_before_it(ui: Ui) -> None:
    screen = on_identify(ui)
    ui.type_like_a_person("123")
    ui.type_keys("4", 0.3)  # held for the reader's gap...
    ui.key(Qt.Key.Key_Backspace)  # ...when Backspace comes at once: it erases the 4
    assert screen.raw == "123"
    ui.type_keys("5", 0.3)
    ui.press("6")  # a finger on the keypad right after a key
    assert screen.raw == "12356"
    ui.type_keys("/", 0.3)  # (a 6th digit before BG cannot go: the keypad refuses it)
    ui.key(Qt.Key.Key_Left)  # a key without text, and not a modifier
    assert screen.raw == "12356//"


def test_a_fast_burst_without_enter_is_typing(ui: Ui) -> None:
    # A reader set up without an Enter suffix, or a hand on the keys: not a code.
    screen = on_identify(ui)
    ui.type_keys("12345", 0.004)
    assert screen.raw == ""
    ui.let_go()
    assert screen.raw == "12345"
    assert ui.phase == "identify"


def test_a_reader_burst_on_the_concern_screen_presses_nothing(ui: Ui) -> None:
    on_identify(ui)
    ui.scan_like_a_reader(CODE)
    ui.press("Yes, this is my number")
    assert ui.phase == "concern"
    focused = keypad_to_the_screen(ui)  # a keypad user: a concern button has focus
    # A code as printed on letters, with spaces: Space and Enter press a focused button.
    ui.scan_like_a_reader("12345 BG 0012345")
    assert ui.phase == "concern" and ui.presenter.session.concern is None
    assert QApplication.focusWidget() is focused
    ui.clock.now += 1.0
    ui.type_like_a_person(" ")  # a person's Space still presses it
    assert ui.phase == "scan"


def test_the_keys_that_would_leave_the_kiosk_do_nothing(ui: Ui) -> None:
    screen = on_identify(ui)
    arrived = KeyLog(ui.window)
    ui.type_keys("1", 0.3)  # held when the others come
    alt, ctrl = Qt.KeyboardModifier.AltModifier, Qt.KeyboardModifier.ControlModifier
    for key, mods in ((Qt.Key.Key_Escape, None), (Qt.Key.Key_F4, alt), (Qt.Key.Key_Q, ctrl)):
        ui.clock.now += 0.3
        if mods is None:
            ui.key(key)
        else:
            ui.key(key, mods)
    ui.let_go()
    pressed = [key for key, _, _ in arrived.presses]
    assert Qt.Key.Key_Escape not in pressed and Qt.Key.Key_F4 not in pressed
    assert Qt.Key.Key_Q not in pressed
    assert ui.window.isVisible() and ui.phase == "identify" and screen.raw == "1"


class WallClock(Clock):
    def __call__(self) -> float:
        return time.monotonic()


def test_a_persons_key_shows_promptly_on_the_real_clock(
    qtbot: QtBot, sane_config: Path, tmp_path: Path, catalogs: dict[str, Texts]
) -> None:
    ui = Ui(qtbot, make_backend(sane_config, tmp_path, []), catalogs, clock=WallClock())
    try:
        screen = on_identify(ui)
        qtbot.keyClick(ui.key_target(), "7")
        assert screen.raw == ""  # held: a reader's next key could follow within 35 ms
        qtbot.waitUntil(lambda: screen.raw == "7", timeout=1000)  # the timer, not a key
    finally:
        ui.close()


def test_no_key_is_given_back_after_the_presenter_stopped(ui: Ui) -> None:
    screen = on_identify(ui)
    ui.type_keys("12", 0.3)
    keys = ui.presenter.activity.keys
    ui.close()
    assert not keys.timer.isActive() and keys.recogniser.deadline is None
    assert screen.raw == "1"


def test_a_slower_reader_is_read_with_its_own_timing(
    qtbot: QtBot, sane_config: Path, tmp_path: Path, catalogs: dict[str, Texts]
) -> None:
    # Some readers are set to type slowly (60 ms a key) for old PCs: a 35 ms gap takes
    # them for a person; the kiosk can be told their pace.
    slow = WedgeTiming(max_gap_s=0.08)
    ui = Ui(qtbot, make_backend(sane_config, tmp_path, []), catalogs, wedge_timing=slow)
    try:
        screen = on_identify(ui)
        ui.type_keys(CODE + "\r", 0.06)
        ui.idle()
        assert ui.phase == "confirm" and screen.raw == ""
    finally:
        ui.close()
