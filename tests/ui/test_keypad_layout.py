"""The identify screen's keys stay where a finger aims, whatever the screen says.

Tried in a real window: after a wrong number every key moved ~100 px down (the warning
appeared above the keypad), so the next tap on "Löschen" typed "//"; the 4-line German hint
pushed "Weiter" off the screen; in Arabic the bottom of "التالي" was cut. The hint now has a
place of its own, as tall as the longest thing it can say."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QAbstractButton, QApplication

from drivers.camera.preview import CameraState
from kiosk.core import cards, identity
from kiosk.core.records import replace
from kiosk.core.session import LANGUAGES
from kiosk.devtools.screenshots import view_for
from kiosk.ui.i18n.texts import PSEUDO, Texts
from kiosk.ui.presenter.view import View
from kiosk.ui.screens.identify import IdentifyScreen, slot_texts
from kiosk.ui.window import Window
from tests.ui.layout_rules import clipped_text, cut_off, shown, small_targets

LONGEST_REFUSAL = max(
    (value for name, value in vars(cards).items() if name.startswith("REASON_")), key=len
)
# What the screen can say while the client types: (what is typed, the session's error,
# a card being checked). The tester's case first: a wrong number and its long reason.
STATES = [
    ("12345BG00", identity.REASON_SHAPE, False),
    ("", identity.REASON_EMPTY, False),
    ("123", identity.REASON_SHAPE, False),  # the longest hint: BG, or a customer number's letter
    ("12345", identity.REASON_SHAPE, False),
    ("12345BG0", identity.REASON_BG_ZERO, False),
    ("123A45", identity.REASON_SHAPE, False),
    ("12345BG0012345", None, False),
    ("123A456789", None, False),
    ("1", None, False),
    ("", None, True),  # "Checking your card ..."
]


def render(window: Window, view: View, typed: str) -> IdentifyScreen:
    window.wipe()
    screen = window.screens["identify"]
    assert isinstance(screen, IdentifyScreen)
    screen.type(typed)
    window.show_view(view)
    for _ in range(3):
        QApplication.processEvents()
    return screen


def keys(screen: IdentifyScreen) -> dict[str, QRect]:
    """Every visible button of the keypad where the screen shows it (global coordinates)."""
    found = {}
    for button in screen.keypad.findChildren(QAbstractButton):
        if button.isVisible():
            name = button.accessibleName() or button.text()
            found[name] = QRect(button.mapToGlobal(button.rect().topLeft()), button.size())
    return found


def identify_view(texts: Texts, catalogs: dict[str, Texts], large: bool) -> View:
    return view_for("identify", texts, catalogs, large=large)


def texts_for(language: str, catalogs: dict[str, Texts], pseudo_texts: Texts) -> Texts:
    return pseudo_texts if language == PSEUDO else catalogs[language]


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("language", [*LANGUAGES, PSEUDO])
def test_keys_keep_their_places_whatever_the_hint_says(
    window: Window,
    catalogs: dict[str, Texts],
    pseudo_texts: Texts,
    language: str,
    large: bool,
) -> None:
    texts = texts_for(language, catalogs, pseudo_texts)
    calm = identify_view(texts, catalogs, large)
    screen = render(window, calm, "")
    where = keys(screen)
    assert texts.gettext("Next") in where and texts.gettext("Delete") in where
    for typed, error, checking in STATES:
        session = replace(calm.session, identify_error=error)
        view = replace(calm, session=session, checking_card=checking)
        screen = render(window, view, typed)
        state = f"{typed!r} {error!r} checking={checking}"
        assert keys(screen) == where, state
        widgets = list(shown(window))
        assert clipped_text(widgets) == [], state
        assert cut_off(widgets, window) == [], state
        assert small_targets(widgets) == [], state
        if error:
            assert screen.problem.warning, state  # the hint says why Next did not go on


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("language", [*LANGUAGES, PSEUDO])
def test_the_hint_has_room_for_the_longest_thing_it_can_say(
    window: Window,
    catalogs: dict[str, Texts],
    pseudo_texts: Texts,
    language: str,
    large: bool,
) -> None:
    texts = texts_for(language, catalogs, pseudo_texts)
    screen = render(window, identify_view(texts, catalogs, large), "")
    where, slot = keys(screen), screen.problem.geometry()
    longest = max(slot_texts(texts), key=len)
    for text in [longest, *slot_texts(texts)]:
        screen.problem.text.setText(text)
        for _ in range(2):
            QApplication.processEvents()
        assert keys(screen) == where and screen.problem.geometry() == slot, text
        assert clipped_text([screen.problem.text]) == [], text


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_refused_card_moves_no_key(
    window: Window, catalogs: dict[str, Texts], language: str, large: bool
) -> None:
    texts = catalogs[language]
    calm = replace(identify_view(texts, catalogs, large), camera=CameraState.CONNECTED)
    where = keys(render(window, calm, ""))
    refused = replace(
        calm, session=replace(calm.session, identify_error=LONGEST_REFUSAL, card_refused=True)
    )
    screen = render(window, refused, "")
    assert keys(screen) == where
    widgets = list(shown(window))
    assert clipped_text(widgets) == [] and cut_off(widgets, window) == []


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_delete_clear_and_next_stay_put_on_the_letter_page(
    window: Window, catalogs: dict[str, Texts], language: str, large: bool
) -> None:
    texts = catalogs[language]
    screen = render(window, identify_view(texts, catalogs, large), "123")
    digits = keys(screen)
    letters_name = texts.gettext("Letters")
    switch = next(
        b for b in screen.keypad.findChildren(QAbstractButton) if b.accessibleName() == letters_name
    )
    switch.click()
    for _ in range(2):
        QApplication.processEvents()
    letters = keys(screen)
    shared = [texts.gettext(name) for name in ("Clear all", "Delete", "Next")]
    for name in shared:
        assert letters[name] == digits[name], name
    digits_name = texts.gettext("Digits")
    assert letters[digits_name] == digits[letters_name]  # the switch back is where it was
    widgets = list(shown(window))
    assert clipped_text(widgets) == [] and small_targets(widgets) == []
    assert cut_off(widgets, window) == []
