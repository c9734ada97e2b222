"""Large text ("Große Schrift", issue 11): the client's reading text (body, hints, buttons)
is drawn at least 1.5 times as large as in normal text, on every kiosk display, and the
switch changes sizes only, never the colours.

Measured as drawn: the same widget of a real window, rendered in normal and then in large
text, its font's pixel size as Qt resolved it (QFontInfo: after the style sheet, the
display's scale and the Arabic script's own scale).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from kiosk.devtools.screenshots import show, view_for
from kiosk.ui.i18n.texts import Texts
from kiosk.ui.widgets.theme import NORMAL
from kiosk.ui.window import Window
from tests.ui.test_layout import DISPLAYS

LEAST = 1.5

# (screen, what, the widget): the reading text a client of that screen reads.
Find = Callable[[Window], QWidget]
READING: list[tuple[str, str, Find]] = [
    ("identify", "body", lambda w: w.screens["identify"].subtitle),  # type: ignore[attr-defined]
    ("identify", "hint", lambda w: w.screens["identify"].problem.text),  # type: ignore[attr-defined]
    ("identify", "button", lambda w: w.screens["identify"].keypad.done.title),  # type: ignore[attr-defined]
    ("objection-hint", "hint", lambda w: w.screens["scan"].hint.text),  # type: ignore[attr-defined]
    ("scan-progress", "button", lambda w: w.screens["scan"].stop.title),  # type: ignore[attr-defined]
    ("receipt-queued", "body", lambda w: w.screens["receipt"].status),  # type: ignore[attr-defined]
    ("receipt-queued", "official term", lambda w: w.screens["receipt"].names[0]),  # type: ignore[attr-defined]
    ("receipt-queued", "notice", lambda w: w.screens["receipt"].papers.text),  # type: ignore[attr-defined]
    ("receipt-queued", "button", lambda w: w.screens["receipt"].finish.title),  # type: ignore[attr-defined]
]


@pytest.fixture(scope="module")
def displays() -> Iterator[dict[str, Window]]:
    windows: dict[str, Window] = {}
    yield windows
    for window in windows.values():
        window.close()


def window_for(displays: dict[str, Window], display: str) -> Window:
    if display not in displays:
        window = Window(kiosk_mode=False)
        window.setFixedSize(*(int(side) for side in display.split("x")))
        window.show()
        displays[display] = window
    return displays[display]


def drawn(window: Window, screen: str, texts: Texts, catalogs: dict[str, Texts], large: bool,
          find: Find) -> int:  # fmt: skip
    show(window, screen, view_for(screen, texts, catalogs, large=large))
    QApplication.processEvents()
    widget = find(window)
    assert widget.isVisible(), f"{screen}: the measured widget is not shown"
    return widget.fontInfo().pixelSize()


@pytest.mark.parametrize("display", DISPLAYS)
@pytest.mark.parametrize("language", ["de", "ar"])
def test_large_text_is_at_least_one_and_a_half_times_normal(
    qtbot: QtBot,
    displays: dict[str, Window],
    catalogs: dict[str, Texts],
    display: str,
    language: str,
) -> None:
    window = window_for(displays, display)
    texts = catalogs[language]
    found = []
    for screen, what, find in READING:
        normal = drawn(window, screen, texts, catalogs, False, find)
        large = drawn(window, screen, texts, catalogs, True, find)
        found.append((screen, what, normal, large))
    assert [f for f in found if f[3] < LEAST * f[2]] == []
    assert min(normal for *_, normal, _large in found) >= 12  # a real size was read


def test_large_text_leaves_the_colours_alone(
    qtbot: QtBot, displays: dict[str, Window], catalogs: dict[str, Texts]
) -> None:
    window = window_for(displays, DISPLAYS[0])
    styles = []
    for large in (False, True):
        show(window, "identify", view_for("identify", catalogs["de"], catalogs, large=large))
        styles.append(window.styleSheet())
    assert styles[0] != styles[1]  # the sizes changed
    for style in styles:
        assert f"background: {NORMAL.background}" in style
        assert f"color: {NORMAL.text}" in style
