"""One affine warp that straightens, crops and turns a page: the full-size pixels are
resampled once (or not at all when nothing needs doing)."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

_INSET_MM = 0.8  # inside the sheet's edge: its shadow and the backing's last pixels


@dataclass(frozen=True, slots=True)
class Layout:
    """Where the upright page lies on the scan: ``matrix`` (2x3) maps scan pixels to
    page pixels of ``size`` (width, height); None when the scan is the page as it is."""

    matrix: np.ndarray | None
    size: tuple[int, int]
    quarter_turns: int  # clockwise
    cropped: bool


def layout(
    shape: tuple[int, int],
    tilt: float,
    quarter_turns: int,
    corners: np.ndarray | None,
    dpi: float,
) -> Layout:
    """``corners``: the sheet on the scan (full-size pixels), None when it fills the scan."""
    h, w = shape
    if tilt == 0 and corners is None:
        size = (w, h) if quarter_turns % 2 == 0 else (h, w)
        return Layout(None, size, quarter_turns, False)
    rotate = np.vstack([cv2.getRotationMatrix2D((w / 2, h / 2), -tilt, 1.0), [0, 0, 1]])
    if corners is None:
        x0, y0, cw, ch = 0.0, 0.0, float(w), float(h)
    else:
        moved = cv2.transform(corners.reshape(-1, 1, 2).astype(np.float64), rotate[:2])
        xs, ys = np.sort(moved[:, 0, 0]), np.sort(moved[:, 0, 1])
        inset = _INSET_MM * dpi / 25.4
        x0, y0 = max(0.0, xs[1] + inset), max(0.0, ys[1] + inset)
        cw, ch = min(float(w), xs[2] - inset) - x0, min(float(h), ys[2] - inset) - y0
    crop = np.array([[1, 0, -x0], [0, 1, -y0], [0, 0, 1]], dtype=np.float64)
    width, height = max(1, int(round(cw))), max(1, int(round(ch)))
    turn = _turn(quarter_turns, width, height)
    size = (width, height) if quarter_turns % 2 == 0 else (height, width)
    return Layout((turn @ crop @ rotate)[:2], size, quarter_turns, corners is not None)


def _turn(quarter_turns: int, width: int, height: int) -> np.ndarray:
    """Page pixels turned clockwise by ``quarter_turns`` quarters."""
    k = quarter_turns % 4
    if k == 0:
        return np.eye(3)
    if k == 1:  # (x, y) -> (height - 1 - y, x)
        return np.array([[0, -1, height - 1], [1, 0, 0], [0, 0, 1]], dtype=np.float64)
    if k == 2:
        return np.array([[-1, 0, width - 1], [0, -1, height - 1], [0, 0, 1]], dtype=np.float64)
    return np.array([[0, 1, 0], [-1, 0, width - 1], [0, 0, 1]], dtype=np.float64)


def apply(pixels: np.ndarray, plan: Layout, fill: tuple[float, ...]) -> np.ndarray:
    """The page's pixels laid out as ``plan`` says."""
    if plan.matrix is None:
        if plan.quarter_turns % 4 == 0:
            return pixels
        return np.ascontiguousarray(np.rot90(pixels, k=-(plan.quarter_turns % 4)))
    return cv2.warpAffine(pixels, plan.matrix, plan.size, flags=cv2.INTER_LINEAR, borderValue=fill)


def scaled(plan: Layout, factor: float) -> Layout:
    """The same layout for a copy of the scan scaled by ``factor`` (analysis images)."""
    size = (max(1, round(plan.size[0] * factor)), max(1, round(plan.size[1] * factor)))
    if plan.matrix is None:
        return Layout(None, size, plan.quarter_turns, plan.cropped)
    scale = np.diag([factor, factor, 1.0])
    matrix = scale @ np.vstack([plan.matrix, [0, 0, 1]]) @ np.linalg.inv(scale)
    return Layout(matrix[:2], size, plan.quarter_turns, plan.cropped)
