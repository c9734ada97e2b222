"""Arabic with German terms, numbers and codes: isolated, so they keep their order when shown."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QTextLayout, QTextOption
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from kiosk.core.concerns import CONCERNS
from kiosk.devtools.catalogs import catalog_messages, read_catalog
from kiosk.devtools.screenshots import show, view_for
from kiosk.ui.i18n.bidi import FSI, LRI, PDI, RLM, isolate_latin
from kiosk.ui.i18n.texts import Texts
from kiosk.ui.widgets.basic import label
from kiosk.ui.window import Window

HOUSEHOLD = "تغيير في الأسرة (Änderung der Bedarfsgemeinschaft)"
LATIN = re.compile(r"[A-Za-zÄÖÜäöüß]")
ISOLATED = re.compile(f"[{LRI}{FSI}][^{PDI}]*{PDI}")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("تكاليف السكن (Kosten der Unterkunft)", f"تكاليف السكن {LRI}(Kosten der Unterkunft){PDI}"),
        ("رقم BG (BG-Nummer)", f"رقم {LRI}BG{PDI} {LRI}(BG-Nummer){PDI}"),
        ("على Bürgergeld", f"على {LRI}Bürgergeld{PDI}"),
        ("مثال: 12345 BG 0012345.", f"مثال: {LRI}12345 BG 0012345{PDI}."),  # the dot stays RTL
        ("صفحة {number} من {count}", "صفحة {number} من {count}"),  # placeholders untouched
        ("صفحة 2 من 6", "صفحة 2 من 6"),  # digits alone need nothing
    ],
)
def test_latin_runs_are_isolated_with_their_brackets(text: str, expected: str) -> None:
    assert isolate_latin(text) == expected
    assert isolate_latin(expected) == expected  # applying it twice changes nothing


def outside_isolates(text: str) -> str:
    return ISOLATED.sub("", re.sub(r"\{[^{}]*\}", "", text))


def test_no_arabic_message_shows_latin_outside_an_isolate(catalogs: dict[str, Texts]) -> None:
    ar = catalogs["ar"]
    loose = []
    for message in catalog_messages(read_catalog("ar")):
        if isinstance(message.id, tuple):
            shown = [ar.ngettext(message.id[0], message.id[1], n) for n in (1, 2, 11)]
        else:
            shown = [
                ar.pgettext(message.context, message.id)
                if message.context
                else ar.gettext(message.id)
            ]
        loose += [text for text in shown if LATIN.search(outside_isolates(text))]
    assert loose == []


def test_left_to_right_languages_get_no_control_characters(catalogs: dict[str, Texts]) -> None:
    for language in ("de", "uk", "tr", "en"):
        t = catalogs[language]
        text = t.fill(t.gettext("Your number: {number}"), number="12345BG•••2345")
        subtitle = t.gettext(CONCERNS[3].official)
        assert not set(text + subtitle) & {LRI, FSI, PDI, RLM}
        assert "Kosten der Unterkunft" in subtitle


def shown_texts(window: Window) -> list[str]:
    return [w.text() for w in window.findChildren(QLabel) if w.isVisible() and w.text()]


def test_the_widgets_show_isolated_terms_numbers_and_codes(
    qtbot: QtBot, window: Window, catalogs: dict[str, Texts]
) -> None:
    show(window, "concern", view_for("concern", catalogs["ar"], catalogs))
    texts = shown_texts(window)
    assert f"{RLM}تكاليف السكن {LRI}(Kosten der Unterkunft){PDI}" in texts
    assert f"{RLM}رقمك: {FSI}12345BG•••2345{PDI}" in texts  # the header
    assert not [t for t in texts if LATIN.search(outside_isolates(t))]
    show(window, "receipt-delivered", view_for("receipt-delivered", catalogs["ar"], catalogs))
    texts = shown_texts(window)
    assert f"{RLM}{LRI}K7M-4QX-9TB{PDI}" in texts  # right-aligned like the rest, read LTR
    assert f"{RLM}{LRI}12345BG•••2345{PDI}" in texts
    assert f"{RLM}6" in texts  # a bare number too: the paragraph is right to left


def glyph_x(layout: QTextLayout, index: int) -> float:
    return min(p.x() for run in layout.glyphRuns(index, 1) for p in run.positions())


def brackets_outside(text: str, width: int = 330) -> bool:
    """Laid out right to left and wrapped inside the term: is "(" left of the German word's
    first letter and ")" right of its last, as a reader of the German term expects?"""
    font = QFont()
    font.setFamilies(["Noto Sans", "Noto Naskh Arabic"])
    font.setPixelSize(26)
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setTextDirection(Qt.LayoutDirection.RightToLeft)
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    layout.setTextOption(option)
    layout.beginLayout()
    lines = 0
    while (line := layout.createLine()).isValid():
        line.setLineWidth(width)
        lines += 1
    layout.endLayout()
    assert lines == 2, "the term should wrap for this check"
    opening, closing = text.index("("), text.index(")")
    return glyph_x(layout, opening) < glyph_x(layout, opening + 1) and glyph_x(
        layout, closing
    ) > glyph_x(layout, closing - 1)


def test_a_wrapped_german_term_keeps_its_brackets_only_when_isolated(qtbot: QtBot) -> None:
    assert brackets_outside(RLM + isolate_latin(HOUSEHOLD))
    assert not brackets_outside(RLM + HOUSEHOLD)  # what the screens showed before


def test_screens_fill_placeholders_only_through_texts_fill() -> None:
    """str.format on a translation would skip the isolates around the values."""
    ui = Path(__file__).resolve().parents[2] / "kiosk" / "ui"
    direct = [
        f"{path.name}:{n}"
        for path in ui.rglob("*.py")
        if path.name != "texts.py"
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if ".format(" in line
    ]
    assert direct == []


def test_a_label_follows_its_direction_also_when_it_changes_after_the_text(qtbot: QtBot) -> None:
    words = label()
    qtbot.addWidget(words)
    words.setText("6")
    assert words.text() == "6"
    words.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    assert words.text() == f"{RLM}6"
    words.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    assert words.text() == "6"


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="ab Zä(é) -/.'’\u00ad12شك\u2066\u2069", max_size=24))
def test_a_latin_run_is_what_the_plain_alternation_finds(text: str) -> None:
    """_LATIN_RUN is written with a conditional group, so that the run's pattern compiles
    once: it finds exactly the runs of the plain form `\\(RUN\\)|RUN`."""
    from kiosk.ui.i18n import bidi

    plain = re.compile(rf"\({bidi._RUN}\)|{bidi._RUN}")
    assert [m.group(0) for m in bidi._LATIN_RUN.finditer(text)] == [
        m.group(0) for m in plain.finditer(text)
    ]
