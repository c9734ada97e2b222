"""A finger scrolls the page grid by dragging it, and the scroll bar is wide enough to grab
(issue 11: a drag on the grid did nothing, the bar was about 10 mm wide)."""

from __future__ import annotations

import time

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QScrollArea
from pytestqt.qtbot import QtBot

from kiosk.core.events import PageRef
from kiosk.core.records import replace
from kiosk.devtools.samples import sample_pages
from kiosk.devtools.screenshots import show, view_for
from kiosk.ui.i18n.texts import Texts
from kiosk.ui.widgets.theme import SCROLL_BAR
from kiosk.ui.window import Window


def review_of_ten_pages(window: Window, catalogs: dict[str, Texts]) -> QScrollArea:
    view = view_for("review", catalogs["de"], catalogs)
    pages = sample_pages(10)
    session = replace(view.session, pages=tuple(PageRef(p.page_id) for p in pages))
    show(window, "review", replace(view, session=session, pages=pages))
    (area,) = [a for a in window.findChildren(QScrollArea) if a.isVisible()]
    assert area.verticalScrollBar().maximum() > 0  # ten pages do not fit: the grid scrolls
    return area


def drag(qtbot: QtBot, area: QScrollArea, start: QPoint, end: QPoint) -> None:
    """Press, move in small steps as a finger does, release."""
    viewport = area.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    steps = 12
    for i in range(1, steps + 1):
        point = start + (end - start) * i / steps
        QTest.mouseMove(viewport, point)
        QApplication.processEvents()
        time.sleep(0.015)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
    qtbot.wait(600)  # the scroller glides on, then stops


def test_dragging_the_page_grid_up_scrolls_it(
    qtbot: QtBot, window: Window, catalogs: dict[str, Texts]
) -> None:
    area = review_of_ten_pages(window, catalogs)
    bar = area.verticalScrollBar()
    bar.setValue(0)
    middle = area.viewport().rect().center()
    # On the gap between two tiles, as on a tile: a drag scrolls either way.
    drag(qtbot, area, middle + QPoint(0, 250), middle - QPoint(0, 250))
    assert bar.value() > 200


def test_the_scroll_bar_is_a_finger_wide(window: Window, catalogs: dict[str, Texts]) -> None:
    area = review_of_ten_pages(window, catalogs)
    bar = area.verticalScrollBar()
    assert bar.isVisible() and bar.width() - 16 >= SCROLL_BAR >= 60  # 15 mm at 21.5" 1080p
