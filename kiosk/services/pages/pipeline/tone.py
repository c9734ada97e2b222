"""The paper's colour and what the page holds: colour content (a stamp, a photo), gray
content (a black-and-white photo, shading), or only ink on paper. Tinted paper is not
colour: every pixel is judged after the paper has been balanced to white."""

from __future__ import annotations

import cv2
import numpy as np

from kiosk.services.pages.pipeline.levels import level

# A pixel is coloured when its channels differ this much after white balance (0..255);
# at the analysis scale (75 dpi) sensor noise is averaged far below it.
_CHROMA = 40
_COLOUR_SHARE = 0.0004  # of the page: a stamp, a logo, a signature in blue ink
_TOO_DARK_TO_TELL = 50  # near black, chroma is noise amplified by the balance
# Gray content: flat mid-tones (not the anti-aliased edges of text: those sit between
# black and white neighbours) over this share of the page.
_MID_LOW, _MID_HIGH = 50, 205
_FLAT_RANGE = 70
_GRAY_SHARE = 0.04


def paper_colour(rgb_small: np.ndarray) -> np.ndarray:
    """The paper's RGB (float32): the median of the brightest tenth of the page."""
    top = rgb_small.max(axis=2)
    bright = rgb_small[top >= level(top, 90)]
    colour = np.median(bright.reshape(-1, 3), axis=0).astype(np.float32)
    return np.asarray(np.maximum(colour, 1.0), dtype=np.float32)


def colour_share(rgb_small: np.ndarray, paper: np.ndarray) -> float:
    """The share of the page with colour on it, the paper's own tint balanced away."""
    balanced = cv2.transform(rgb_small, np.diag(255.0 / paper).astype(np.float32))
    top = balanced.max(axis=2)
    chroma = top - balanced.min(axis=2)
    coloured = (chroma > _CHROMA) & (top > _TOO_DARK_TO_TELL)
    # A lone pixel is noise or a scanner's colour fringe at a black edge: colour comes
    # in patches.
    coloured = cv2.erode(coloured.astype(np.uint8), np.ones((2, 2), np.uint8))
    return float(coloured.mean())


def has_colour(rgb_small: np.ndarray, paper: np.ndarray) -> bool:
    return colour_share(rgb_small, paper) >= _COLOUR_SHARE


def gray_share(gray: np.ndarray) -> float:
    """The share of flat mid-tones on a normalised gray page (paper 255) at ~150 dpi."""
    mid = (gray > _MID_LOW) & (gray < _MID_HIGH)
    kernel = np.ones((9, 9), np.uint8)  # 1.5 mm: text always has paper this near
    spread = cv2.dilate(gray, kernel).astype(np.int16) - cv2.erode(gray, kernel)
    return float((mid & (spread < _FLAT_RANGE)).mean())


def has_gray(gray: np.ndarray) -> bool:
    return gray_share(gray) >= _GRAY_SHARE


def normalise(gray: np.ndarray, level: float) -> np.ndarray:
    """Gray with the paper at white (``level`` the paper's gray)."""
    return cv2.convertScaleAbs(gray, alpha=255.0 / max(level, 1.0))
