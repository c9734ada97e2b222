"""Finding the sheet on the scan: the scanner's background (a dark feeder backing or a
white lid) around the paper, so that it can be cut away without cutting into the page."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from kiosk.services.pages.pipeline.levels import level

# The background must differ this much (gray levels) from the sheet to be told apart.
_CONTRAST = 40
# A sheet covers at least this share of the scan; a smaller bright patch is content.
_MIN_AREA = 0.25
# And it fills its own outline: a bright region with holes in its outline is not paper.
_SOLIDITY = 0.9


@dataclass(frozen=True, slots=True)
class Sheet:
    """The paper's outline on the scan, in the analysis image's pixels."""

    corners: np.ndarray  # 4x2 float32 (x, y), the paper's rotated rectangle
    angle: float  # the paper's tilt (degrees, counter-clockwise positive)
    background: float  # the background's gray level


def find_sheet(gray: np.ndarray) -> Sheet | None:
    """The sheet on a small gray scan, or None when the paper fills the scan (or no
    background can be told from it)."""
    h, w = gray.shape
    ring = _ring(gray)
    background = level(ring, 50)
    if float(np.mean(np.abs(ring.astype(np.float32) - background) < _CONTRAST / 2)) < 0.6:
        return None  # no one background colour round most of the scan
    paper_level = level(gray, 75)
    if abs(paper_level - background) < _CONTRAST:
        return None  # the border is the paper itself
    threshold = (paper_level + background) / 2
    # A dark backing (feeders) around a bright sheet, or a white lid around a darker one.
    paper = gray > threshold if paper_level > background else gray < threshold
    kernel = np.ones((5, 5), np.uint8)
    mask = cv2.morphologyEx(paper.astype(np.uint8), cv2.MORPH_CLOSE, kernel)
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    outline = max(contours, key=cv2.contourArea)
    area = cv2.contourArea(outline)
    (cx, cy), (rw, rh), angle = cv2.minAreaRect(outline)
    if area < _MIN_AREA * h * w or area < _SOLIDITY * rw * rh:
        return None
    corners = cv2.boxPoints(((cx, cy), (rw, rh), angle)).astype(np.float32)
    return Sheet(corners, _tilt(angle), background)


def _ring(gray: np.ndarray) -> np.ndarray:
    band = max(2, min(gray.shape) // 100)
    return np.concatenate(
        [
            gray[:band].ravel(),
            gray[-band:].ravel(),
            gray[:, :band].ravel(),
            gray[:, -band:].ravel(),
        ]
    )


def _tilt(angle: float) -> float:
    """minAreaRect's angle (0..90, clockwise in image coordinates) as the rectangle's
    smallest tilt, counter-clockwise positive."""
    tilt = -angle
    while tilt <= -45:
        tilt += 90
    while tilt > 45:
        tilt -= 90
    return tilt
