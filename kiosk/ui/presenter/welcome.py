"""The start screen's welcome, in every language: shown line by line, and read aloud."""

from __future__ import annotations

from kiosk.core.text import N_
from kiosk.ui.presenter.view import View

WELCOME = N_("Scan your documents for the job centre: tap your language.")


def spoken_welcome(view: View) -> list[tuple[str, str]]:
    """The welcome for read-aloud: the screen's language first, then the others in turn,
    each to be spoken in its own voice."""
    lines = [(text, language) for text, language, _ in view.in_every_language(WELCOME)]
    first = view.texts.language
    return sorted(lines, key=lambda line: line[1] != first)
