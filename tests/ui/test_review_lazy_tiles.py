"""Memory bounded by design (issue 15): the review screen keeps a tile (~0.5 MiB of
widgets) only for the pages near what it shows; every page keeps its place in the grid."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.core.session import Phase
from kiosk.devtools.samples import sample_pages
from kiosk.ui.i18n.texts import Texts
from kiosk.ui.screens.review import ReviewScreen, TileSlot
from kiosk.ui.screens.review_tile import PageTile
from kiosk.ui.window import Window
from tests.ui.test_review_tiles import view_of

PAGES = 60
BUILT = 24  # at most: the rows on the screen and half a screen above and below it


def settle() -> None:
    for _ in range(4):
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QApplication.processEvents()


def built(screen: ReviewScreen) -> set[str]:
    return {tile.page_id for tile in screen.findChildren(PageTile) if tile.parent() is not None}


def reviewing(qtbot: QtBot, catalogs: dict[str, Texts], count: int) -> tuple[Window, ReviewScreen]:
    """A window on the review screen with ``count`` pages."""
    window = Window(kiosk_mode=False)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    (first,) = sample_pages(1)
    pages = tuple(
        replace(first, page_id=f"page-{n}", preview=None) for n in range(1, count + 1)
    )  # one thumbnail shared: a hundred sample pictures would be large themselves
    window.show_view(view_of(catalogs, Phase.REVIEW, pages))
    settle()
    screen = window.screens["review"]
    assert isinstance(screen, ReviewScreen)
    return window, screen


def test_only_the_pages_near_what_is_shown_have_a_tile(
    qtbot: QtBot, catalogs: dict[str, Texts]
) -> None:
    _, screen = reviewing(qtbot, catalogs, PAGES)
    assert len(screen.findChildren(TileSlot)) == PAGES  # every page has its place
    top = built(screen)
    assert "page-1" in top and 3 <= len(top) <= BUILT
    bar = screen.pages_area.verticalScrollBar()
    bar.setValue(bar.maximum())  # the last page, as a finger scrolls there
    settle()
    bottom = built(screen)
    assert f"page-{PAGES}" in bottom and "page-1" not in bottom and len(bottom) <= BUILT
    last = next(t for t in screen.findChildren(PageTile) if t.page_id == f"page-{PAGES}")
    assert last.isVisible() and last.caption.text().endswith(str(PAGES))
    bar.setValue(0)
    settle()
    assert "page-1" in built(screen) and len(built(screen)) <= BUILT


def test_the_arrow_keys_go_through_every_page_in_order(
    qtbot: QtBot, catalogs: dict[str, Texts]
) -> None:
    """A keypad user reaches page 30 too: the tiles of pages scrolled to are made later,
    and still come in the pages' order, before Undo, Add pages and Send."""
    pages = 30
    window, screen = reviewing(qtbot, catalogs, pages)

    def active() -> None:  # Qt's offscreen platform drops activation (tests/ui/driver.py)
        if QApplication.activeWindow() is not window:
            window.activateWindow()
            qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)

    assert len(built(screen)) < pages  # the later ones are made as they are reached
    start = next(t for t in screen.findChildren(PageTile) if t.page_id == "page-1")
    active()
    start.open.setFocus()
    seen: list[int] = []
    for _ in range(pages * 12):
        active()
        focused = QApplication.focusWidget()
        assert focused is not None
        if focused is screen.send:
            break
        tile = focused.parent()
        while tile is not None and not isinstance(tile, PageTile):
            tile = tile.parent()
        if isinstance(tile, PageTile) and (not seen or seen[-1] != tile.number):
            seen.append(tile.number)
        qtbot.keyClick(focused, Qt.Key.Key_Right)
        settle()
    assert seen == list(range(1, pages + 1))
    assert QApplication.focusWidget() is screen.send
