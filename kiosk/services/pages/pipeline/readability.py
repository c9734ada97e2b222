"""Can a case worker read the page? Too dark, blurred, or cut off at an edge: each a
reason to suggest scanning that sheet again."""

from __future__ import annotations

import cv2
import numpy as np

DARK = "dark"
BLURRED = "blurred"
CUT_EDGE = "cut_edge"
_DARK_PAPER = 150  # the paper's gray (0..255) below which the scan is too dark
_MIN_EDGES = 2000  # fewer text edges than this (at 150 dpi): sharpness is not measured
# Sharp print's steepest edges rise ~0.45 of black-to-white per pixel at 150 dpi, a real
# scanner's slightly soft ones ~0.35; a 2-pixel blur (at 300 dpi) falls to ~0.23.
_SHARP = 0.2
_BORDER_MM = (1.0, 3.0)  # ink through both strips along an edge: content runs off it
_CUT_SHARE = 0.01


def problems(paper_level: float, gray: np.ndarray, dpi: float, blank: bool) -> tuple[str, ...]:
    """``gray``: the page at ~150 dpi, normalised (paper 255); ``paper_level`` the paper's
    gray as scanned."""
    found = []
    if paper_level < _DARK_PAPER:
        found.append(DARK)
    if not blank and sharpness(gray, dpi) < _SHARP:
        found.append(BLURRED)
    # A sheet larger than the scan, or fed crooked, loses its corners' margins: only
    # content running off the page's edge counts.
    if not blank and _content_cut(gray, dpi):
        found.append(CUT_EDGE)
    return tuple(found)


def sharpness(gray: np.ndarray, dpi: float) -> float:
    """How steep the page's ink edges are: the 90th percentile of the gradient over the
    strong edges, as a share of black-to-white per 1/150 inch. Inf without text edges."""
    scale = 150.0 / dpi
    dx = cv2.Sobel(gray, cv2.CV_32F, 1, 0, ksize=3)
    dy = cv2.Sobel(gray, cv2.CV_32F, 0, 1, ksize=3)
    magnitude = cv2.magnitude(dx, dy) / (8.0 * 255.0 * scale)
    edges = magnitude[magnitude > 0.08]
    if edges.size < _MIN_EDGES:
        return float("inf")
    return float(np.percentile(edges, 90))


def _content_cut(gray: np.ndarray, dpi: float) -> bool:
    per_mm = dpi / 25.4
    outer, inner = (max(1, round(mm * per_mm)) for mm in _BORDER_MM)
    ink = gray < 128
    strips = (
        (ink[:outer], ink[outer:inner]),
        (ink[-outer:], ink[-inner:-outer]),
        (ink[:, :outer], ink[:, outer:inner]),
        (ink[:, -outer:], ink[:, -inner:-outer]),
    )
    running = sum(bool(a.mean() > _CUT_SHARE and b.mean() > _CUT_SHARE) for a, b in strips)
    # Content over every edge is a full-bleed design (a tinted form, a pattern), not a
    # sheet fed crooked or a page larger than the scan: that cuts one or two sides.
    return 1 <= running <= 2
