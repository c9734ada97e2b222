"""Is a page of horizontal text lines upside down? Latin script has far more ink above
its x-height band (capitals, ascenders, umlaut dots; German capitalises every noun) than
below it (descenders of g, j, p, q, y): turned by 180 degrees that is the other way round."""

from __future__ import annotations

import numpy as np

_MIN_LINES = 3  # fewer text lines than this: no reliable vote, leave the page as it is
_MARGIN = 0.15  # the vote must lean this far from an even split
_MIN_LINE = 4  # rows (at 150 dpi: 0.7 mm), the least a line of print is tall


def upside_down(ink: np.ndarray) -> bool | None:
    """True when the page's (horizontal) text lines are upside down, False when upright,
    None when it cannot tell (too few lines, no clear lean)."""
    profile = ink.sum(axis=1).astype(np.float32)
    above = below = 0.0
    lines = 0
    for top, bottom in _line_spans(profile):
        band = profile[top:bottom]
        core = band >= 0.45 * band.max()  # the x-height band: the line's densest rows
        rows = np.flatnonzero(core)
        first, last = int(rows[0]), int(rows[-1])
        up, down = float(band[:first].sum()), float(band[last + 1 :].sum())
        if up + down <= 0:
            continue
        above += up
        below += down
        lines += 1
    if lines < _MIN_LINES or above + below <= 0:
        return None
    lean = (above - below) / (above + below)
    if abs(lean) < _MARGIN:
        return None
    return lean < 0


def _line_spans(profile: np.ndarray) -> list[tuple[int, int]]:
    """Runs of rows with ink, each one text line (gaps of empty rows between them)."""
    if profile.max() <= 0:
        return []
    inked = profile > 0.02 * float(np.percentile(profile[profile > 0], 90))
    edges = np.flatnonzero(np.diff(np.concatenate([[0], inked.astype(np.int8), [0]])))
    # Thinner runs are no text line: a rule's remains, a dot, a speck.
    spans = [
        (int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True) if b - a >= _MIN_LINE
    ]
    if not spans:
        return []
    typical = float(np.median([b - a for a, b in spans]))
    # A run far taller than the typical line is a picture or merged lines: no vote.
    return [(a, b) for a, b in spans if 0.5 * typical <= b - a <= 2.0 * typical]
