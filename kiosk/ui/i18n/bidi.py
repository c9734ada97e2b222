"""Directional isolates: German terms, numbers and codes inside right-to-left (Arabic) text."""

from __future__ import annotations

import re

LRI = "\u2066"  # left-to-right isolate: a run known to read left to right
FSI = "\u2068"  # first-strong isolate: a value whose direction its first letter decides
PDI = "\u2069"  # pop directional isolate: ends either
RLM = "\u200f"  # right-to-left mark: makes a paragraph right to left from its first character

_LETTER = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"  # Latin, with ä, ö, ü, ß, é, ğ, ş ...
# A word starts and ends with a letter or digit and may hold joiners (hyphen, soft hyphen,
# slash, dot, apostrophe) between: "BG-Nummer", "Arbeitsunfähigkeits\xadbescheinigung".
_WORD = rf"[{_LETTER}0-9](?:[{_LETTER}0-9\u00ad'’/.\-]*[{_LETTER}0-9])?"
# A run holds at least one Latin letter; words joined by spaces; brackets around it belong to
# it, so the whole "(Kosten der Unterkunft)" reads left to right even when the line wraps.
# Written `(\()?RUN(?(1)\))`, not `\(RUN\)|RUN`: the same matches (tests/ui/test_bidi.py),
# the run's pattern compiled once, not twice (0.8 ms of the start, before the first paint).
_RUN = rf"{_WORD}(?: +{_WORD})*"
_LATIN_RUN = re.compile(rf"(\()?{_RUN}(?(1)\))")
_HAS_LETTER = re.compile(rf"[{_LETTER}]")
_PLACEHOLDER_OR_ISOLATE = re.compile(rf"(\{{[^{{}}]*\}}|[{LRI}{FSI}\u2067][^{PDI}]*{PDI})")


def isolate(value: object) -> str:
    """A value put into a sentence: it keeps its own direction and does not move the words."""
    return f"{FSI}{value}{PDI}"


def isolate_ltr(value: object) -> str:
    """A value that always reads left to right: a case number, a receipt number."""
    return f"{LRI}{value}{PDI}"


def _isolate_run(match: re.Match[str]) -> str:
    run = match.group(0)
    return isolate_ltr(run) if _HAS_LETTER.search(run) else run


def isolate_latin(text: str) -> str:
    """Every run of Latin script in a right-to-left text, isolated as left to right.

    ``تكاليف السكن (Kosten der Unterkunft)`` -> ``تكاليف السكن ⁦(Kosten der Unterkunft)⁩``.
    Placeholders (``{number}``) and runs already isolated stay as they are; plain numbers too
    (digits take the direction around them anyway).
    """
    parts = _PLACEHOLDER_OR_ISOLATE.split(text)
    return "".join(
        part if _PLACEHOLDER_OR_ISOLATE.fullmatch(part) else _LATIN_RUN.sub(_isolate_run, part)
        for part in parts
    )
