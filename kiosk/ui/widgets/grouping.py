"""Live grouping of a case number while it is typed: ``12345BG0012345`` -> ``12345 BG 0012345``."""

from __future__ import annotations

import re

_BG = re.compile(r"^(\d{1,5})(BG|//|B|/)?(\d*)$")
_KUNDE = re.compile(r"^(\d{3}[A-Z])(\d*)$")


def grouped_input(raw: str) -> str:
    """Spaces where a reader expects them; anything else is shown as typed."""
    text = raw.replace(" ", "").upper()
    kunde = _KUNDE.match(text)
    if kunde:
        return " ".join(part for part in kunde.groups() if part)
    bg = _BG.match(text)
    if bg and (bg.group(2) or len(bg.group(1)) == 5):
        return " ".join(part for part in bg.groups() if part)
    return text
