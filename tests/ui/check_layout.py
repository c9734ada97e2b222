"""KNOWN FAILING, not collected by default (run: pytest tests/ui/check_layout.py): every screen
in every language and the pseudo-locale, checked for clipped text and touch targets < 90 px.
It finds real problems not fixed yet: bottom-row buttons squeezed to 84 px, tight labels."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from kiosk.core.session import LANGUAGES
from kiosk.ui.i18n import PSEUDO, Texts
from kiosk.ui.samples import SCREENS
from kiosk.ui.screenshots import show, view_for
from kiosk.ui.theme import SCREEN, TOUCH_TARGET
from kiosk.ui.window import Window


@pytest.fixture(scope="module")
def window() -> Window:
    app = QApplication.instance() or QApplication([])
    assert app is not None
    win = Window(kiosk_mode=False)
    win.setFixedSize(*SCREEN)
    win.show()
    return win


def in_scroll_area(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def clipped(window: Window) -> list[str]:
    problems = []
    for label in window.findChildren(QLabel):
        if not label.isVisible() or not label.text():
            continue
        room = label.contentsRect()
        if label.wordWrap():
            needed = label.heightForWidth(room.width())
            if needed > room.height() + 2:
                problems.append(f"{label.text()!r}: needs {needed} px, has {room.height()}")
        else:
            needed = label.fontMetrics().horizontalAdvance(label.text())
            if needed > room.width() + 2:
                problems.append(f"{label.text()!r}: needs {needed} px wide, has {room.width()}")
    return problems


def small_targets(window: Window) -> list[str]:
    return [
        f"{b.accessibleName() or b.text()!r} {b.width()}x{b.height()}"
        for b in window.findChildren(QAbstractButton)
        if b.isVisible()
        and not in_scroll_area(b) | False
        and min(b.width(), b.height()) < TOUCH_TARGET
    ]


@pytest.mark.parametrize("language", [*LANGUAGES, PSEUDO])
@pytest.mark.parametrize("screen", SCREENS)
def test_nothing_is_clipped_and_targets_are_large(
    qtbot: QtBot,
    window: Window,
    catalogs: dict[str, Texts],
    pseudo_texts: Texts,
    language: str,
    screen: str,
) -> None:
    texts = pseudo_texts if language == PSEUDO else catalogs[language]
    show(window, screen, view_for(screen, texts, catalogs))
    assert clipped(window) == []
    assert small_targets(window) == []
    expected = (
        Qt.LayoutDirection.RightToLeft if language == "ar" else Qt.LayoutDirection.LeftToRight
    )
    assert window.layoutDirection() == expected
