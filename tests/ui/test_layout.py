"""Every screen in every language, the pseudo-locale and large text, on every kiosk display
size: no clipped, cut-off or overlapping text, no touch target under 90 px (under the
smaller screens' floor, never below 60 px), no scrolling where it is not wanted, Arabic
mirrored. Each screen is rendered once per display, language and text size."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication
from pytestqt.qtbot import QtBot

from kiosk.core.session import LANGUAGES
from kiosk.devtools.samples import SCREENS
from kiosk.devtools.screenshots import Look, look_of, show, view_for
from kiosk.services.config import load_config
from kiosk.ui.i18n.texts import PSEUDO, Texts
from kiosk.ui.widgets.site import SiteBanner
from kiosk.ui.widgets.theme import SCREEN, TOUCH_FLOOR
from kiosk.ui.window import Window, screen_name
from tests.ui.layout_rules import (
    clipped_text,
    cut_off,
    key,
    name,
    not_mirrored,
    overlaps,
    oversized_icons,
    scrolling,
    shown,
    sides,
    small_targets,
    wrong_way,
)

ROOT = Path(__file__).resolve().parents[2]
T = TypeVar("T")

# Many pages scroll; every other screen fits, the 13 concerns too. Large text (the client's
# choice on the start screen) makes 13 concern tiles taller than one screen: those scroll.
MAY_SCROLL = {
    "normal": {"review", "page-deleted", "review-flagged", "review-notices", "diagnostics"},
    "large": {"review", "page-deleted", "review-flagged", "review-notices", "concern"}
    | {"diagnostics"},
}
# (display, text size, screen) -> sides, and how the header was arranged
GERMAN_SIDES: dict[tuple[str, str, str], dict[tuple[int, ...], int]] = {}
GERMAN_HEADER: dict[tuple[str, str, str], tuple[bool, int]] = {}
# ./dev.sh test --fast keeps the pseudo-locale (every string longer: the worst case for
# clipping) and Arabic (right to left); the other languages are in the slow tier.
FAST_LANGUAGES = {PSEUDO, "ar"}
# The kiosk displays the layout fits (issue 11): 1080p, the small landscape panels (smaller
# type, targets at least 60 px), and the 1080p panel turned for a floor-standing kiosk.
DISPLAYS = ["1920x1080", "1366x768", "1280x1024", "1080x1920"]


def every_layout(screens: tuple[str, ...]) -> Callable[[T], T]:
    """Each screen x language (the pseudo-locale and Arabic fast, the others slow) x text
    size x display (1080p fast, the small panels slow)."""
    languages = [
        language if language in FAST_LANGUAGES else pytest.param(language, marks=pytest.mark.slow)
        for language in [*LANGUAGES, PSEUDO]
    ]
    displays = [
        d if d == "1920x1080" else pytest.param(d, marks=pytest.mark.slow) for d in DISPLAYS
    ]

    def mark(test: T) -> T:
        # pytest runs the first-applied parameter slowest: screens change every case, the
        # window's style (text size, a language's font scale) only between groups. Restyling
        # the whole window costs ~0.25 s; in the old order every case paid it (1,824 times
        # in the whole matrix, now 80), two thirds of the matrix's time.
        for argument, values in (
            ("display", displays), ("size", ["normal", "large"]), ("language", languages),
            ("screen", screens),
        ):  # fmt: skip
            test = pytest.mark.parametrize(argument, values)(test)
        return test

    return mark


@pytest.fixture(scope="module")
def displays() -> Iterator[dict[str, Window]]:
    """One kiosk window per display size, shared by the module's render tests."""
    windows: dict[str, Window] = {}
    yield windows
    for win in windows.values():
        win.close()


def window_for(displays: dict[str, Window], display: str) -> Window:
    if display not in displays:
        win = Window(kiosk_mode=False)
        win.setFixedSize(*(int(side) for side in display.split("x")))
        win.show()
        displays[display] = win
    return displays[display]


def low_targets(widgets: list, window: Window) -> list[str]:
    """Buttons under the display's touch floor (90 px at 1080p, never under 60)."""
    floor = window.metrics.touch
    assert floor >= TOUCH_FLOOR
    return [
        f"{name(b)} {b.width()}x{b.height()}"
        for b in widgets
        if isinstance(b, QAbstractButton) and min(b.width(), b.height()) < floor
    ]


def render(
    window: Window,
    display: str,
    screen: str,
    size: str,
    texts: Texts,
    catalogs: dict[str, Texts],
) -> None:
    show(window, screen, view_for(screen, texts, catalogs, large=size == "large"))
    if texts.language == "de":
        GERMAN_SIDES[display, size, screen] = sides(list(shown(window)), window)
        GERMAN_HEADER[display, size, screen] = window.header.arranged


def german_sides(window: Window, display: str, size: str, screen: str) -> dict:
    """Where German has its buttons. Where the header is arranged otherwise (Arabic's names
    are a tenth larger: below the number instead of beside it, or two a row instead of
    three) its buttons are in other places, not unmirrored: they are left out."""
    german = GERMAN_SIDES[display, size, screen]
    if window.header.arranged == GERMAN_HEADER[display, size, screen]:
        return german
    header = key(window.header, window)
    return {path: side for path, side in german.items() if path[: len(header)] != header}


@every_layout(SCREENS)
def test_nothing_is_clipped_and_targets_are_large(
    qtbot: QtBot,
    displays: dict[str, Window],
    catalogs: dict[str, Texts],
    pseudo_texts: Texts,
    display: str,
    size: str,
    screen: str,
    language: str,
) -> None:
    window = window_for(displays, display)
    texts = pseudo_texts if language == PSEUDO else catalogs[language]
    if language == "ar" and (display, size, screen) not in GERMAN_SIDES:
        render(window, display, screen, size, catalogs["de"], catalogs)
    render(window, display, screen, size, texts, catalogs)
    widgets = list(shown(window))
    assert clipped_text(widgets) == []
    assert cut_off(widgets, window) == []
    assert overlaps(widgets, window) == []
    assert oversized_icons(widgets) == []
    if display == DISPLAYS[0]:
        assert small_targets(widgets) == []  # 90 px at 1080p
    assert low_targets(widgets, window) == []
    if screen not in MAY_SCROLL[size]:
        assert scrolling(widgets) == []
    rtl = language == "ar"
    direction = Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
    assert window.layoutDirection() == direction
    if rtl:
        assert (
            not_mirrored(sides(widgets, window), german_sides(window, display, size, screen)) == []
        )
    assert wrong_way(widgets, rtl) == []


def test_a_scrolled_screen_restyled_while_hidden_is_laid_out_when_shown_again(
    qtbot: QtBot, catalogs: dict[str, Texts]
) -> None:
    """Another screen in large text restyles the hidden diagnostics page; back in normal text
    its scrolled rows are laid out at the content's new size, not at a stale one-line height
    (QScrollArea's resize of its content during the pending resize on show was swallowed)."""
    win = Window(kiosk_mode=False)
    qtbot.addWidget(win)
    win.setFixedSize(*SCREEN)
    win.show()
    english = catalogs["en"]
    for screen, large in (("diagnostics", False), ("out-of-order", True), ("diagnostics", False)):
        show(win, screen, view_for(screen, english, catalogs, large=large))
    assert clipped_text(list(shown(win))) == []


# A job centre's own look (deploy/site-example: logo, name, green palette, its own send
# pictogram) on the screens that show the logo: the same rules.
SITE_SCREENS = ("start", "receipt-delivered", "receipt-held", "receipt-queued", "review")


@pytest.fixture(scope="module")
def site_look() -> Iterator[Look]:
    look = look_of(load_config(ROOT / "deploy" / "site-example" / "kiosk.toml"))
    yield look
    look_of(None)  # the shipped pictograms again for the other tests


@every_layout(SITE_SCREENS)
def test_a_site_logo_and_palette_fit_too(
    qtbot: QtBot,
    displays: dict[str, Window],
    catalogs: dict[str, Texts],
    pseudo_texts: Texts,
    site_look: Look,
    display: str,
    size: str,
    screen: str,
    language: str,
) -> None:
    window = window_for(displays, display)
    texts = pseudo_texts if language == PSEUDO else catalogs[language]
    view = view_for(screen, texts, catalogs, large=size == "large", look=site_look)
    show(window, screen, view)
    widgets = list(shown(window))
    banner = window.screens[screen_name(view)].findChild(SiteBanner)
    if screen != "review":
        assert banner is not None and banner.isVisible() and banner.logo.isVisible()
        assert banner.name.text().lstrip("\u200f") == "Jobcenter Musterstadt"
    assert "#1d6b3a" in window.styleSheet()  # the site's primary colour
    assert clipped_text(widgets) == []
    assert cut_off(widgets, window) == []
    assert overlaps(widgets, window) == []
    assert low_targets(widgets, window) == []
    if screen not in MAY_SCROLL[size]:
        assert scrolling(widgets) == []
    assert wrong_way(widgets, language == "ar") == []


# The check itself: it must fail when a layout is broken on purpose.


@pytest.fixture
def explained(qtbot: QtBot, catalogs: dict[str, Texts]) -> Iterator[Window]:
    """A fresh window on the explanation screen, free to be broken."""
    win = Window(kiosk_mode=False)
    qtbot.addWidget(win)
    win.setFixedSize(*SCREEN)
    win.show()
    show(win, "explain", view_for("explain", catalogs["en"], catalogs))
    assert clipped_text(list(shown(win))) == [] and small_targets(list(shown(win))) == []
    yield win


def settle(window: Window) -> list:
    for _ in range(3):
        QApplication.processEvents()
    return list(shown(window))


def test_the_check_sees_a_squeezed_button(explained: Window) -> None:
    explained.screens["explain"].start.setFixedWidth(150)  # type: ignore[attr-defined]
    assert any("'Start' needs" in p for p in clipped_text(settle(explained)))


def test_the_check_sees_a_label_that_cannot_wrap(explained: Window) -> None:
    papers = explained.screens["explain"].papers  # type: ignore[attr-defined]
    papers.setWordWrap(False)
    papers.setFixedWidth(300)
    assert any("take all your papers" in p for p in clipped_text(settle(explained)))


def test_the_check_sees_one_word_too_long_for_its_wrapped_label(explained: Window) -> None:
    papers = explained.screens["explain"].papers  # type: ignore[attr-defined]
    papers.setText("Arbeitsunfähigkeitsbescheinigung")
    papers.setFixedWidth(200)
    assert any("Arbeitsunfähigkeits" in p for p in clipped_text(settle(explained)))


def test_the_check_sees_a_low_touch_target(explained: Window) -> None:
    explained.screens["explain"].start.setFixedHeight(80)  # type: ignore[attr-defined]
    assert small_targets(settle(explained)) == ["'Start' 520x80"]


def test_the_check_sees_text_pushed_off_the_screen(explained: Window) -> None:
    explained.screens["explain"].start.move(1800, 950)  # type: ignore[attr-defined]
    assert any("reaches past" in p for p in cut_off(list(shown(explained)), explained))


def test_the_check_sees_a_screen_that_stays_left_to_right_in_arabic(
    qtbot: QtBot, explained: Window, catalogs: dict[str, Texts]
) -> None:
    german = sides(list(shown(explained)), explained)
    show(explained, "explain", view_for("explain", catalogs["ar"], catalogs))
    assert not_mirrored(sides(list(shown(explained)), explained), german) == []
    explained.stack.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    assert not_mirrored(sides(settle(explained), explained), german) != []


def test_the_check_sees_ink_cut_off_at_a_label_edge(explained: Window) -> None:
    papers = explained.screens["explain"].papers  # type: ignore[attr-defined]
    papers.setText("Ja, das ist meine Nummer")  # the hook of the J reaches left of its advance
    assert clipped_text(settle(explained)) == []
    papers.setContentsMargins(0, 0, 0, 0)
    assert any("cut off by" in p for p in clipped_text(settle(explained)))


def test_the_session_checks_measure_words_laid_out_also_deep_in_a_screen(qtbot: QtBot) -> None:
    """The real-window and cage sessions measure a screen right after a wait, when its
    words may have changed in that same turn (the printer's answer): `laid_out` carries the
    layout requests out first, up through every level above the label."""
    from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

    from kiosk.ui.widgets.basic import label
    from tests.ui.session_steps import laid_out

    window = QWidget()
    qtbot.addWidget(window)
    inner = window
    QVBoxLayout(window)
    for _ in range(12):  # deeper than any screen of the kiosk nests its labels
        frame = QFrame()
        QVBoxLayout(frame)
        inner.layout().addWidget(frame)
        inner = frame
    words = label()
    words.setText("Bitte nehmen Sie alle Ihre Papiere mit.")
    inner.layout().addWidget(words)
    window.layout().addStretch(1)
    window.resize(800, 600)
    window.show()
    qtbot.waitExposed(window)
    words.setText(words.words + "\nBitte nehmen Sie Ihre gedruckte Eingangsbestätigung mit.")
    assert clipped_text([words]) != []  # measured at once: against the old layout
    laid_out(window)
    assert clipped_text([words]) == []
