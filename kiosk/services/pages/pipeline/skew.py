"""The tilt of a page's text lines and which way they run, from projection profiles of
its ink: lines are sharpest in the profile taken along them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAX_TILT = 8.0  # degrees either way; a sheet tilted more is fed crooked: rescanned
_COARSE_STEP = 0.5
_FINE_STEP = 0.05
_MAX_POINTS = 60_000
_MIN_POINTS = 300  # less ink than this: no lines to measure


@dataclass(frozen=True, slots=True)
class Lines:
    """How the text lines lie: ``tilt`` degrees counter-clockwise, running across the
    page (``vertical`` False) or up and down it (turned by 90 degrees)."""

    tilt: float
    vertical: bool
    sharpness: float  # the winning profile's peakiness over a shapeless one's (1 = none)


def find_lines(ink: np.ndarray, seed: int = 0) -> Lines | None:
    """The lines' direction on a binary ink image (True where ink), or None when there is
    too little ink to tell."""
    ys, xs = np.nonzero(ink)
    if len(ys) < _MIN_POINTS:
        return None
    if len(ys) > _MAX_POINTS:
        pick = np.random.default_rng(seed).choice(len(ys), _MAX_POINTS, replace=False)
        ys, xs = ys[pick], xs[pick]
    x = xs.astype(np.float32) - ink.shape[1] / 2
    y = ys.astype(np.float32) - ink.shape[0] / 2
    best: tuple[float, float, bool] = (0.0, 0.0, False)
    for vertical in (False, True):
        # A vertical line tilted counter-clockwise by a is a horizontal one tilted by a,
        # seen with x and y swapped (and one flipped).
        u, v = (x, y) if not vertical else (-y, x)
        angle, score = _search(u, v)
        score /= _uniform(len(x), ink.shape, vertical)
        if score > best[0]:
            best = (score, angle, vertical)
    score, angle, vertical = best
    return Lines(angle, vertical, score)


def _search(u: np.ndarray, v: np.ndarray) -> tuple[float, float]:
    """The tilt (degrees) whose profile across ``v`` is sharpest, and its score."""
    coarse = np.arange(-MAX_TILT, MAX_TILT + 1e-6, _COARSE_STEP)
    scores = [_score(v, a, u) for a in coarse]
    centre = float(coarse[int(np.argmax(scores))])
    fine = np.arange(centre - _COARSE_STEP, centre + _COARSE_STEP + 1e-6, _FINE_STEP)
    fine_scores = np.array([_score(v, a, u) for a in fine])
    i = int(np.argmax(fine_scores))
    angle = float(fine[i])
    if 0 < i < len(fine) - 1:  # the parabola's vertex through the peak and its neighbours
        left, mid, right = fine_scores[i - 1], fine_scores[i], fine_scores[i + 1]
        curve = left - 2 * mid + right
        if curve < 0:
            angle += 0.5 * (left - right) / curve * _FINE_STEP
    return angle, float(fine_scores[i])


def _score(v: np.ndarray, degrees: float, u: np.ndarray) -> float:
    """Sum of squared bin counts of the profile across lines tilted by ``degrees``: high
    when the ink falls into few, full rows."""
    a = np.deg2rad(degrees)
    # A point of a line tilted counter-clockwise (y grows downwards) satisfies
    # v = v0 - u * tan(a): project on the normal to undo it.
    rows = v * np.cos(a) + u * np.sin(a)
    offset = rows.min()
    counts = np.bincount((rows - offset).astype(np.int32))
    return float(np.dot(counts, counts))


def _uniform(points: int, shape: tuple[int, ...], vertical: bool) -> float:
    """The score of the same ink spread evenly over the page."""
    bins = shape[1] if vertical else shape[0]
    return points * points / max(bins, 1)
