"""Does a page seem empty? Flagged for the client, never dropped here: a page holding
anything of the size of a character (a page number, one short line) is not empty, while
sensor noise, dust, punch holes and the front's text shining through are nothing."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

# Ink is darker than this on the normalised page (paper 255): show-through of a printed
# front reaches ~220, a pale gray page number ~150.
_INK = 185
_EDGE_MM = 4.0  # scanner shadows and the sheet's edge: not content
_MIN_MARK_MM = 1.0  # smaller than this across: dust, a speck
# A punch hole (filing holes, 5-8 mm) near an edge is a solid round blob: not content.
_HOLE_MM = (4.0, 9.0)
_HOLE_REACH_MM = 30.0


@dataclass(frozen=True, slots=True)
class Emptiness:
    blank: bool
    score: float  # share of the page with ink on it, 0..1
    marks: int  # character-sized marks found


def emptiness(gray: np.ndarray, dpi: float) -> Emptiness:
    """Judge a normalised gray page (paper 255) at ``dpi``."""
    per_mm = dpi / 25.4
    # No smoothing: at 150 dpi sensor noise is averaged far from the ink level, and a
    # median filter would erase a small page number's thin strokes.
    ink = (gray < _INK).astype(np.uint8)
    edge = max(1, round(_EDGE_MM * per_mm))
    ink[:edge], ink[-edge:], ink[:, :edge], ink[:, -edge:] = 0, 0, 0, 0
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    h, w = gray.shape
    marks = 0
    inked = 0
    for x, y, cw, ch, area in stats[1:count]:
        if max(cw, ch) < _MIN_MARK_MM * per_mm:
            continue
        if _punch_hole(int(x), int(y), int(cw), int(ch), int(area), w, h, per_mm):
            continue
        if ch > 0.8 * h and cw < per_mm or cw > 0.8 * w and ch < per_mm:
            continue  # a streak from dust on the scanner's glass, across the whole page
        marks += 1
        inked += int(area)
    return Emptiness(marks == 0, inked / float(h * w), marks)


def _punch_hole(x: int, y: int, cw: int, ch: int, area: int, w: int, h: int, per_mm: float) -> bool:
    low, high = (_HOLE_MM[0] * per_mm, _HOLE_MM[1] * per_mm)
    if not (low <= cw <= high and low <= ch <= high and abs(cw - ch) < 0.25 * max(cw, ch)):
        return False
    if area < 0.6 * cw * ch:
        return False  # a ring or a character, not a hole
    reach = _HOLE_REACH_MM * per_mm
    return x < reach or y < reach or x + cw > w - reach or y + ch > h - reach
