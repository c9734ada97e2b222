"""The focus ring marks a control of the screen the client sees, after every step (issue 11:
"the focus ring marks the wrong button after some actions").

Whole sessions by keypad (arrows, Enter, typed digits), by finger, and changing between the
two mid-session, through the real window. After each step the focused widget is nothing
(the window itself holds focus: no ring), or a visible, enabled control of the current
screen, its header or the timeout overlay, never one of a screen left behind, a hidden or
a disabled one. After a tap the ring is at most on the button the finger just pressed: a
ring that jumps to a button the client never touched reads as "this one is chosen".
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from kiosk.ui.i18n.texts import Texts
from kiosk.ui.screens.review_tile import PageTile
from tests.ui.driver import Ui, make_backend
from tests.ui.layout_rules import name, scroller_of

MAX_STEPS = 60  # arrow presses allowed to reach any control on a screen


def tile_button(ui: Ui, number: int, words: str) -> QAbstractButton:
    """The button ``words`` on page ``number``'s tile of the review screen."""
    QApplication.processEvents()
    page_id = ui.presenter.session.pages[number - 1].page_id
    for tile in ui.window.screens["review"].findChildren(PageTile):
        if tile.isVisible() and tile.page_id == page_id:
            for button in tile.findChildren(QAbstractButton):
                if button.isVisible() and words == button.accessibleName():
                    return button
    raise LookupError(f"no {words!r} on page {number}")


ON_TILES = ("Delete", "Keep")
# Taps on review tiles go to page 1's tile (top left): Qt's offscreen screen is 800x800, and
# QScroller replays a press inside a scroll area at its screen position, so a press past
# that screen reaches nothing (a test artefact; on a kiosk the screen is the window). The
# arrow keys reach any tile.


def find(ui: Ui, words: str) -> QAbstractButton:
    """A visible button by its words; "Delete page 3": page 3's Delete on the review screen."""
    for action in ON_TILES:
        if words.startswith(f"{action} page "):
            return tile_button(ui, int(words.rsplit(" ", 1)[1]), action)
    return ui.button(words)


def asking(ui: Ui) -> list[int]:
    """The pages whose tile asks a question (Keep?) instead of offering Delete."""
    found = []
    for number in range(1, len(ui.presenter.session.pages) + 1):
        try:
            tile_button(ui, number, "Keep")
        except LookupError:
            continue
        found.append(number)
    return found


class Focus:
    """A session driven by keys and taps, the focus looked at after every step."""

    def __init__(self, ui: Ui) -> None:
        self.ui = ui
        self.tapped: QWidget | None = None
        self.steps: list[str] = []

    def problem(self) -> str | None:
        QApplication.processEvents()
        window = self.ui.window
        focused = QApplication.focusWidget()
        if focused is None or focused is window:
            return None
        what = f"{name(focused)} ({type(focused).__name__})"
        if not focused.isVisible():
            return f"{what} has focus but is hidden"
        if not focused.isEnabled():
            return f"{what} has focus but is disabled"
        overlay = window.overlay
        if overlay.isVisible():
            if not overlay.isAncestorOf(focused):
                return f"{what} has focus under the timeout overlay"
        elif not (window.current.isAncestorOf(focused) or window.header.isAncestorOf(focused)):
            return f"{what} has focus but is not on the screen shown ({self.ui.phase})"
        if not window.input.keys and focused is not self.tapped:
            return f"{what} has the ring after a tap on {name(self.tapped) if self.tapped else '-'}"
        return None

    def check(self, step: str) -> None:
        self.steps.append(step)
        found = self.problem()
        assert found is None, f"after {' → '.join(self.steps)}: {found}"

    # -- fingers ------------------------------------------------------------------------

    def tap(self, words: str) -> None:
        QApplication.processEvents()
        target = find(self.ui, words)
        area = scroller_of(target)
        if isinstance(area, QScrollArea):  # the client scrolls to it first
            area.ensureWidgetVisible(target)
            QApplication.processEvents()
        self.tapped = target
        self.ui.qtbot.mouseClick(target, Qt.MouseButton.LeftButton)
        self.ui.idle()
        self.check(f"tap {words}")

    # -- keypad -------------------------------------------------------------------------

    def reach(self, words: str) -> None:
        """Arrow (Right) to the button showing ``words``, then Enter."""
        for _ in range(MAX_STEPS):
            self.ui.key_target()
            QApplication.processEvents()
            if QApplication.focusWidget() is find(self.ui, words):
                self.ui.key(Qt.Key.Key_Return)
                self.ui.idle()
                self.check(f"Enter on {words}")
                return
            self.ui.key(Qt.Key.Key_Right)
            found = self.problem()
            assert found is None, f"after {' → '.join(self.steps)} → Right: {found}"
        raise AssertionError(f"{words!r} cannot be reached with the arrow keys")

    def type(self, text: str) -> None:
        self.ui.type_like_a_person(text)
        self.check(f"type {text}")


@pytest.fixture
def focus(
    qtbot: QtBot, sane_config: Path, tmp_path: Path, catalogs: dict[str, Texts]
) -> Iterator[Focus]:
    ui = Ui(qtbot, make_backend(sane_config, tmp_path, []), catalogs)
    ui.window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is ui.window, timeout=5000)
    try:
        yield Focus(ui)
    finally:
        ui.close()


def scanned(f: Focus, how: str) -> None:
    """The scanner's 10 pages are on the review screen; a page the pipeline asks about is
    kept (its question box goes away under the focus)."""
    f.ui.qtbot.waitUntil(lambda: f.ui.phase == "review", timeout=60_000)
    f.ui.idle()
    f.check(f"scanned ({how})")
    if how == "keys":
        for number in asking(f.ui)[:3]:
            f.reach(f"Keep page {number}")
    elif 1 in asking(f.ui):
        f.tap("Keep page 1")  # page 1: see ON_TILES
    for number in asking(f.ui):  # the rest: the same step again
        tile_button(f.ui, number, "Keep").click()
    f.ui.idle()
    f.check("kept")


def test_by_keypad_alone(focus: Focus) -> None:
    f = focus
    f.check("start")
    f.reach("English")
    f.reach("Start")
    f.type("12")
    f.reach("Next")  # not complete: the error hint, the keypad stays
    assert f.ui.phase == "identify"
    f.reach("Delete")
    f.reach("Delete")
    f.type("12345bg0012345")
    f.reach("Next")
    f.reach("No, change it")  # back to the number
    assert f.ui.phase == "identify"
    f.reach("Next")
    f.reach("Yes, this is my number")
    f.reach("Deutsch")  # the language mid-session: the same screen, rebuilt
    f.reach("English")
    f.reach("I am sick")
    f.reach("Scan")
    scanned(f, "keys")
    f.reach("Delete page 3")
    f.reach("Bring back page 3")
    f.reach("Page 1")
    f.reach("Back to all pages")
    f.reach("Send 10 pages")
    f.ui.qtbot.waitUntil(lambda: f.ui.phase == "receipt", timeout=60_000)
    f.check("sent")
    f.reach("Finish")
    assert f.ui.phase == "idle"


def test_by_finger_alone(focus: Focus) -> None:
    f = focus
    f.check("start")
    f.tap("English")
    f.tap("Start")
    for key in ("1", "2", "Next"):  # not complete: the error hint
        f.tap(key)
    f.tap("Clear all")
    for key in ("1", "2", "3", "ABC", "A", "Digits", "4", "5", "6", "Delete"):
        f.tap(key)
    f.tap("Clear all")
    for key in ("1", "2", "3", "4", "5", "BG", *"0012345", "Next"):
        f.tap(key)
    f.tap("No, change it")
    f.tap("Next")
    f.tap("Yes, this is my number")
    f.tap("Start again")  # the header's: back to the start, wiped
    f.tap("English")
    f.tap("Start")
    f.ui.window.screens["identify"].type("12345BG0012345")  # type: ignore[attr-defined]
    f.tap("Next")
    f.tap("Yes, this is my number")
    f.tap("I am sick")
    f.tap("Scan")
    scanned(f, "taps")
    f.tap("Delete page 1")
    f.tap("Bring back page 1")
    f.tap("Page 1")
    f.tap("Back to all pages")
    f.tap("Add more pages")
    f.tap("Check the pages and send them")
    f.tap("Send 10 pages")
    f.ui.qtbot.waitUntil(lambda: f.ui.phase == "receipt", timeout=60_000)
    f.check("sent")
    f.tap("Finish")


def test_keys_and_fingers_in_turn(focus: Focus) -> None:
    f = focus
    f.tap("English")
    f.reach("Start")
    f.tap("1")
    f.tap("2")
    f.reach("Next")  # the error hint while a key was focused
    f.type("345bg0012345")
    f.tap("Next")
    f.reach("Yes, this is my number")
    f.tap("I am sick")
    f.reach("Scan")
    scanned(f, "keys")
    f.tap("Delete page 1")  # the tile under the finger goes
    f.reach("Bring back page 1")
    f.reach("Delete page 4")  # the focused tile goes: focus stays on this screen
    f.tap("Bring back page 4")
    f.reach("Send 10 pages")
    f.ui.qtbot.waitUntil(lambda: f.ui.phase == "receipt", timeout=60_000)
    f.check("sent")
    f.tap("Finish")
    assert f.ui.phase == "idle"
