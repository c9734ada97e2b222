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


def threshold(gray: np.ndarray, paper_level: float, ink_level: float) -> int:
    """The gray level between ink and paper, as scanned, below which a pixel is ink."""
    ink = min(ink_level, paper_level * 0.6)
    return int(round(ink + 0.5 * (paper_level - ink)))


def bilevel(gray: np.ndarray, dpi: int, cut: int, report: PageReport) -> EncodedPage:
    """Ink where the (lightly smoothed) gray is below ``cut``: smoothing first keeps
    noise off the paper and the letters' edges smooth, which G4 codes in fewer bytes."""
    smooth = cv2.GaussianBlur(gray, (3, 3), 0)
    ink = smooth < cut
    height, width = ink.shape
    return EncodedPage(
        width, height, dpi, "DeviceGray", 1, "CCITTFaxDecode", encode_g4(ink), report
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
