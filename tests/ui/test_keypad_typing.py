"""Typing the number on the real window: the letter page stays, keys that cannot come next
are disabled (and look it), the hint says what is missing, a keyboard follows the same rule,
and only a kiosk with a camera asks for the card."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QRect, Qt
from PySide6.QtGui import QImage, QKeyEvent
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from drivers.camera.feed import CameraFeed
from drivers.camera.frames import FrameListSource
from drivers.codes.reader import CombinedReader
from kiosk.services.assets.theme import Palette, contrast
from kiosk.ui.i18n.texts import Texts
from kiosk.ui.screens.identify import IdentifyScreen
from kiosk.ui.widgets.keypad import dim
from kiosk.ui.widgets.theme import PALETTES
from tests import codes_synth as synth
from tests.ui.driver import Ui, make_backend

CARD_LINE = "Or hold your customer card with the QR code to the camera."


def on_identify(ui: Ui) -> IdentifyScreen:
    ui.press("English")
    ui.press("Start")
    assert ui.phase == "identify"
    screen = ui.window.screens["identify"]
    assert isinstance(screen, IdentifyScreen)
    return screen


def tap(ui: Ui, *keys: str) -> None:
    for key in keys:
        ui.press(key)


def enabled(ui: Ui, key: str) -> bool:
    return ui.button(key).isEnabled()


def hint(screen: IdentifyScreen) -> str:
    return screen.problem.text.text()


def test_the_letter_page_stays_until_the_client_switches_back(ui: Ui) -> None:
    # Tried: A, B, C on the letter page typed "A12" (the page fell back to digits after one
    # letter, under the finger) and the page had neither Delete nor Next.
    screen = on_identify(ui)
    tap(ui, "1", "2", "3", "ABC", "A")
    assert screen.raw == "123A" and ui.button("Digits").isVisible()
    assert ui.button("B").isVisible() and not enabled(ui, "B")  # one letter only, and it says so
    assert not enabled(ui, "C") and "After the letter: 0 of 6 digits." in hint(screen)
    for key in ("Delete", "Clear all", "Next"):  # on the letter page too
        assert ui.button(key).isVisible()
    ui.press("Delete")
    assert screen.raw == "123" and ui.button("B").isVisible() and enabled(ui, "B")
    ui.press("B")
    ui.press("Digits")
    tap(ui, *"456789")
    assert screen.raw == "123B456789" and ui.shows("123B 456789")
    ui.press("Next")
    assert ui.phase == "confirm"


def test_next_works_from_the_letter_page(ui: Ui) -> None:
    screen = on_identify(ui)
    tap(ui, "1", "2", "3", "ABC", "Z")
    screen.type("456789")
    assert ui.button("A").isVisible()
    ui.press("Next")
    assert ui.phase == "confirm" and ui.shows("123Z 456789")


def test_no_digit_where_none_can_go_and_no_second_bg(ui: Ui) -> None:
    # Tried: the keypad took an 8th digit after BG, and "BG" plus "//", without a word.
    screen = on_identify(ui)
    assert not enabled(ui, "BG") and not enabled(ui, "//")  # BG needs the 5 digits first
    assert not enabled(ui, "Delete") and not enabled(ui, "Clear all")  # nothing to remove
    assert not enabled(ui, "ABC")  # a letter only after a customer number's 3 digits
    tap(ui, "1", "2", "3")
    assert enabled(ui, "ABC") and not enabled(ui, "BG")
    tap(ui, "4", "5")
    assert enabled(ui, "BG") and enabled(ui, "//") and not enabled(ui, "6")
    assert "Now tap BG (or //)." in hint(screen)
    ui.press("//")
    assert not enabled(ui, "BG") and not enabled(ui, "//") and enabled(ui, "0")
    tap(ui, "0", "0", "1", "2", "3", "4")
    assert "After BG: 6 of 7 digits." in hint(screen)
    ui.press("5")
    assert screen.raw == "12345//0012345"
    assert not any(enabled(ui, digit) for digit in "0123456789")
    assert "Your number is complete. Tap Next." in hint(screen)
    ui.press("Next")
    assert ui.phase == "confirm" and ui.shows("12345 BG 0012345")


def test_seven_zeros_after_bg_cannot_be_typed(ui: Ui) -> None:
    screen = on_identify(ui)
    screen.type("12345BG000000")
    assert not enabled(ui, "0") and enabled(ui, "1")


def test_clear_all_empties_the_number(ui: Ui) -> None:
    screen = on_identify(ui)
    tap(ui, "1", "2", "3", "4", "5", "BG", "7")
    ui.press("Clear all")
    assert screen.raw == "" and ui.shows("_____ BG _______")
    assert "For example 12345 BG 0012345 or 123A456789." in hint(screen)
    assert not enabled(ui, "Clear all")


def test_the_hint_says_what_is_missing_as_the_client_types_and_after_next(ui: Ui) -> None:
    screen = on_identify(ui)
    assert hint(screen) == "For example 12345 BG 0012345 or 123A456789."
    tap(ui, "1", "2")
    assert hint(screen) == "2 of 5 digits, then BG."
    ui.press("Next")
    assert ui.phase == "identify" and screen.problem.warning
    assert hint(screen) == "Your number is not complete yet. 2 of 5 digits, then BG."
    ui.press("3")  # typing on: the hint is a hint again, for the number as it is now
    assert not screen.problem.warning
    assert hint(screen) == "3 of 5 digits, then BG. Or now the letter (ABC)."


def test_a_wrong_submit_is_read_out_as_the_hint_says_it(ui: Ui) -> None:
    ui.qtbot.mouseClick(ui.window.screens["start"].speech, Qt.MouseButton.LeftButton)
    on_identify(ui)
    tap(ui, "1", "2", "3", "4", "5", "BG")
    ui.press("Next")
    assert ui.speech.said[-1] == ("Your number is not complete yet. After BG: 0 of 7 digits.", "en")
    assert hint(ui.window.screens["identify"]) == ui.speech.said[-1][0]  # as the screen says


@pytest.mark.parametrize(
    ("typed", "raw"),
    [
        pytest.param("12345bg00123456", "12345BG0012345", id="an-8th-digit-after-BG"),
        pytest.param("12345//bg1", "12345//1", id="BG-after-slashes"),
        pytest.param("12345bgbg1", "12345BG1", id="a-second-BG"),
        pytest.param("1234bg5", "12345", id="BG-before-5-digits"),
        pytest.param("123456", "12345", id="a-6th-digit-before-BG"),
        pytest.param("a123", "123", id="a-letter-first"),
        pytest.param("123ab456789", "123A456789", id="a-second-letter"),
        pytest.param("12345-bg-12", "12345BG12", id="hyphens-are-no-keys"),
    ],
)
def test_the_keyboard_follows_the_same_rule(ui: Ui, typed: str, raw: str) -> None:
    screen = on_identify(ui)
    ui.type_like_a_person(typed)
    assert screen.raw == raw


def test_keyboard_characters_are_read_as_parse_case_number_reads_them(ui: Ui) -> None:
    # An Arabic or Ukrainian layout types Arabic-Indic digits and Cyrillic letters (QTest
    # types Latin-1 only: the events are made here).
    screen = on_identify(ui)
    for char in "١٢٣٤٥вg٠٠١":
        event = QKeyEvent(
            QEvent.Type.KeyPress, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char
        )
        screen.keyPressEvent(event)
        assert event.isAccepted(), char
    assert screen.raw == "12345BG001"


def test_a_refused_keyboard_key_is_said_not_swallowed(ui: Ui) -> None:
    screen = on_identify(ui)
    ui.type_like_a_person("12345")
    ui.type_like_a_person("6")
    assert screen.raw == "12345" and screen.problem.warning
    assert hint(screen) == "That cannot go here. Now tap BG (or //)."
    ui.type_like_a_person("/")  # one / where // goes is //; the second / is its other half
    assert screen.raw == "12345//" and not screen.problem.warning
    ui.type_like_a_person("/")
    assert screen.raw == "12345//"
    ui.type_like_a_person("/")
    assert screen.raw == "12345//" and screen.problem.warning


def test_the_letter_b_where_bg_goes_is_bg(ui: Ui) -> None:
    screen = on_identify(ui)
    tap(ui, "1", "2", "3", "4", "5", "ABC", "B")
    assert screen.raw == "12345BG" and ui.shows("12345 BG")
    assert not enabled(ui, "G")


def as_shown(ui: Ui, widget: QWidget) -> QImage:
    """The widget as the screen shows it (what is behind it too)."""
    return ui.window.grab(QRect(widget.mapTo(ui.window, QPoint(0, 0)), widget.size())).toImage()


def _ink_contrast(image: QImage, ground: str) -> float:
    """The strongest contrast of any pixel in ``image`` against the colour ``ground``."""
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    pixels = np.frombuffer(rgb.constBits(), np.uint8).reshape(rgb.height(), -1)
    pixels = pixels[:, : rgb.width() * 3].reshape(-1, 3)
    unique = np.unique(pixels, axis=0)
    return max(contrast("#{:02x}{:02x}{:02x}".format(*map(int, p)), ground) for p in unique)


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
def test_disabled_keys_look_disabled_and_stay_readable(ui: Ui, large: bool) -> None:
    if large:
        ui.qtbot.mouseClick(ui.window.screens["start"].large, Qt.MouseButton.LeftButton)
    screen = on_identify(ui)
    palette = ui.presenter.view().palette
    bg, zero = screen.keypad.keys["BG"], screen.keypad.keys["0"]
    assert not bg.isEnabled() and zero.isEnabled()
    off, on = as_shown(ui, bg), as_shown(ui, zero)
    # A dashed edge (ink and gaps along the top) where an enabled key has a solid one, no key
    # face, faded ink: not colour alone.
    edge = {off.pixelColor(x, 1).name() for x in range(30, off.width() - 30)}
    solid = {on.pixelColor(x, 1).name() for x in range(30, on.width() - 30)}
    assert len(edge) > len(solid)
    inside = off.pixelColor(12, off.height() // 2).name()
    assert inside == palette.background  # the screen shows through: no key face
    assert _ink_contrast(off, palette.background) >= 4.5  # still readable (WCAG's 4.5:1)
    assert _ink_contrast(off, palette.background) < _ink_contrast(on, palette.background)


@pytest.mark.parametrize("palette", PALETTES, ids=lambda p: p.name)
def test_the_faded_ink_of_disabled_keys_reads_on_every_palette(palette: Palette) -> None:
    ink = dim(palette)
    assert contrast(ink, palette.background) >= 4.5 and contrast(ink, palette.surface) >= 4.5
    assert contrast(ink, palette.background) < contrast(palette.text, palette.background)


def test_no_camera_no_card_prompt(ui: Ui) -> None:
    # Tried: the number screen asked for a card at a camera the kiosk does not have.
    on_identify(ui)
    assert ui.presenter.view().camera is None
    assert not ui.shows(CARD_LINE)


def test_a_kiosk_with_a_camera_asks_for_the_card(
    qtbot: QtBot, sane_config: Path, tmp_path: Path, catalogs: dict[str, Texts]
) -> None:
    rng = np.random.default_rng(7)
    source = FrameListSource([synth.empty_frame(rng)], fps=15, loop=True, live=True)
    feed = CameraFeed(source, CombinedReader(), preview_fps=30)
    ui = Ui(qtbot, make_backend(sane_config, tmp_path, []), catalogs, feed)
    try:
        on_identify(ui)
        qtbot.waitUntil(lambda: ui.presenter.view().camera is not None, timeout=30_000)
        qtbot.waitUntil(lambda: ui.shows(CARD_LINE), timeout=5000)
    finally:
        ui.close()
