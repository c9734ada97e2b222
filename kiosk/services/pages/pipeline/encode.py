"""Encoding a finished page: black-and-white as CCITT Group 4, gray and colour as JPEG
with the paper cleaned to white (sensor noise on blank paper costs bytes, shows nothing)."""

from __future__ import annotations

import cv2
import numpy as np

from kiosk.services.pages.imaging import EncodedPage, PageReport, _jpeg
from kiosk.services.pages.pipeline.g4 import encode_g4

BUDGET = 240_000  # bytes per gray or colour page; above it, the next step down is taken
# (dpi, JPEG quality), tried in order until a page fits the budget. Photos fit at the
# first step; dense print in colour (a letter with a stamp) costs JPEG the most. 150 dpi
# still reads 8 pt print and a stamp's small letters.
GRAY_STEPS = ((300, 70), (200, 70), (150, 65))
COLOUR_STEPS = ((200, 70), (150, 60), (150, 45))
_WHITE_LIFT = 1.05  # paper this much above white: its noise saturates to a flat 255
# Black-and-white: each ink is cut midway between its own darkness and the paper's, so a
# stroke keeps its printed width whatever it is printed in (black text, a form's red print
# or a stamp scanned in gray). A pixel's ink is the darkest pixel within this disc: wider
# than an edge's blur, so every edge pixel sees its stroke's core; narrow enough that black
# text beside a light stamp leaves the stamp its own cut.
_INK_REACH_MM = 1.25  # diameter: 15 pixels at 300 dpi
_DENOISE = 1.0  # Gaussian sigma in pixels at 300 dpi: noise off the paper, smooth edges
_MIN_CONTRAST = 0.25  # of the paper's gray: a fainter mark (show-through, dust) is paper


def ink(gray: np.ndarray, paper_level: float, dpi: int) -> np.ndarray:
    """Where the page has ink (True): darker than midway between the paper and
    the darkest pixel within reach, that pixel itself clearly darker than the paper.

    One cut for the whole page cannot be right for every ink: placed between the black
    text and the paper it loses light inks, placed for them it makes black text bold (a
    "G" closes into a "6"); and a cut taken from a dark share of the page's pixels drifts
    with how much ink the page has.
    """
    scale = dpi / 300.0
    smooth = cv2.GaussianBlur(gray, (0, 0), _DENOISE * scale)
    reach = max(3, round(_INK_REACH_MM * dpi / 25.4) | 1)
    disc = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (reach, reach))
    darkest = cv2.erode(smooth, disc)
    cut = ((darkest.astype(np.uint16) + round(paper_level)) >> 1).astype(np.uint8)
    cut[darkest >= paper_level * (1.0 - _MIN_CONTRAST)] = 0  # nothing within reach is ink
    return np.asarray(smooth < cut, dtype=bool)


def bilevel(gray: np.ndarray, dpi: int, paper_level: float, report: PageReport) -> EncodedPage:
    """The page as CCITT Group 4: ink (see ``ink``) black, the rest white."""
    mask = ink(gray, paper_level, dpi)
    height, width = mask.shape
    return EncodedPage(
        width, height, dpi, "DeviceGray", 1, "CCITTFaxDecode", encode_g4(mask), report
    )


def gray_jpeg(gray: np.ndarray, dpi: int, paper_level: float, report: PageReport) -> EncodedPage:
    lifted = cv2.convertScaleAbs(gray, alpha=255.0 * _WHITE_LIFT / max(paper_level, 1.0))
    return _fitted(lifted, dpi, GRAY_STEPS, "DeviceGray", report)


def colour_jpeg(rgb: np.ndarray, dpi: int, paper: np.ndarray, report: PageReport) -> EncodedPage:
    gains = np.diag((255.0 * _WHITE_LIFT / paper).astype(np.float32))
    return _fitted(cv2.transform(rgb, gains), dpi, COLOUR_STEPS, "DeviceRGB", report)


def _fitted(
    pixels: np.ndarray,
    dpi: int,
    steps: tuple[tuple[int, int], ...],
    space: str,
    report: PageReport,
) -> EncodedPage:
    """The first (dpi, quality) step whose JPEG fits the budget, else the last one."""
    from PIL import Image

    mode = "RGB" if pixels.ndim == 3 else "L"
    shown, shown_dpi, data = pixels, dpi, b""
    for step_dpi, quality in steps:
        if step_dpi < shown_dpi:
            scale = step_dpi / dpi
            shown = cv2.resize(pixels, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
            shown_dpi = step_dpi
        data = _jpeg(Image.fromarray(shown, mode), quality, shown_dpi)
        if len(data) <= BUDGET:
            break
    height, width = shown.shape[:2]
    return EncodedPage(width, height, shown_dpi, space, 8, "DCTDecode", data, report)
