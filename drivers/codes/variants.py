"""Cheap image variants that rescue codes a decoder misses on the plain camera image."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import cv2
import numpy as np

Point = tuple[float, float]

# Upscaling pays off for small images only; a 1280x720 frame doubled costs more than
# a whole frame's budget and its codes are large enough anyway.
UPSCALE_MAX_SIDE = 800
# A QR code on a card held up to a 720p camera is 100+ pixels wide: at 640 pixels on
# the long side its modules are still 2+ pixels, and zxing needs a quarter of the time.
FIT_SIDE = 640


@dataclass(frozen=True, slots=True)
class Prepared:
    """A variant of the source image: ``variant = source * scale + shift`` (per axis)."""

    image: np.ndarray
    scale: float = 1.0
    shift: Point = (0.0, 0.0)

    def to_source(self, point: Point) -> Point:
        return ((point[0] - self.shift[0]) / self.scale, (point[1] - self.shift[1]) / self.scale)


Variant = Callable[[np.ndarray], Prepared | None]


def to_gray(image: np.ndarray) -> np.ndarray:
    """A 2-D uint8 image from gray, BGR or BGRA input (OpenCV's channel order)."""
    if image.dtype != np.uint8:
        raise ValueError(f"expected an 8-bit image, got {image.dtype}")
    if image.ndim == 2:
        return image
    if image.ndim == 3 and image.shape[2] == 1:
        return image[:, :, 0]
    if image.ndim == 3 and image.shape[2] == 3:
        return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    if image.ndim == 3 and image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_BGRA2GRAY)
    raise ValueError(f"unsupported image shape {image.shape}")


def as_is(gray: np.ndarray) -> Prepared:
    return Prepared(gray)


def inverted(gray: np.ndarray) -> Prepared:
    """Light code on a dark ground: a card shown on a phone in dark mode."""
    return Prepared(cv2.bitwise_not(gray))


def padded(gray: np.ndarray) -> Prepared:
    """A white quiet zone around the image: codes printed or cropped to the edge."""
    border = max(16, max(gray.shape) // 8)
    image = cv2.copyMakeBorder(gray, border, border, border, border, cv2.BORDER_CONSTANT, value=255)
    return Prepared(image, 1.0, (float(border), float(border)))


def fitted(gray: np.ndarray) -> Prepared:
    """At most ``FIT_SIDE`` pixels on the long side: a camera frame at working size."""
    side = max(gray.shape)
    if side <= FIT_SIDE:
        return Prepared(gray)
    scale = FIT_SIDE / side
    return Prepared(cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA), scale)


def reduced(gray: np.ndarray) -> Prepared | None:
    """Like ``fitted`` but only for large images: the fast first look at a camera frame."""
    return fitted(gray) if max(gray.shape) > FIT_SIDE else None


def halved(gray: np.ndarray) -> Prepared:
    """Half size by area averaging: evens out noise, halftone dots and JPEG blocks."""
    image = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    return Prepared(image, 0.5)


def doubled(gray: np.ndarray) -> Prepared | None:
    """Twice the size: modules of 1-2 pixels in a small image become readable."""
    if max(gray.shape) > UPSCALE_MAX_SIDE:
        return None
    return Prepared(cv2.resize(gray, None, fx=2.0, fy=2.0, interpolation=cv2.INTER_CUBIC), 2.0)


def smoothed(gray: np.ndarray) -> Prepared:
    """A small median filter: sensor noise, speckle, textured or photo-filled modules."""
    return Prepared(cv2.medianBlur(gray, 3))


def _unsharp(gray: np.ndarray, sigma: float, amount: float) -> np.ndarray:
    return cv2.addWeighted(gray, 1.0 + amount, cv2.GaussianBlur(gray, (0, 0), sigma), -amount, 0)


def sharpened(gray: np.ndarray) -> Prepared:
    """An unsharp mask: a slightly defocused camera."""
    return Prepared(_unsharp(gray, 2.0, 0.8))


def deblurred(gray: np.ndarray) -> Prepared:
    """Noise smoothed away first, then a strong unsharp mask: a defocused, noisy camera
    (sharpening alone would amplify the noise into false module edges)."""
    return Prepared(_unsharp(cv2.GaussianBlur(gray, (0, 0), 1.0), 2.0, 1.5))


def binarised(gray: np.ndarray) -> Prepared:
    """A global Otsu threshold: low contrast where zxing's local binariser sees texture."""
    _, image = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return Prepared(image)


def equalised(gray: np.ndarray) -> Prepared:
    """Local contrast equalisation (CLAHE): glare and shadow across the card."""
    clahe = cv2.createCLAHE(clipLimit=3.0, tileGridSize=(8, 8))
    return Prepared(clahe.apply(gray))


def crop_around(
    gray: np.ndarray, corners: Sequence[Point], margin: float = 0.25, target_side: int = 400
) -> Prepared | None:
    """The region of a code found by another decoder, with margin, scaled to about
    ``target_side`` pixels: lets one decoder check what the other read."""
    if not corners:
        return None
    xs, ys = [p[0] for p in corners], [p[1] for p in corners]
    side = max(max(xs) - min(xs), max(ys) - min(ys), 1.0)
    pad = side * margin
    x0, y0 = max(0, int(min(xs) - pad)), max(0, int(min(ys) - pad))
    x1, y1 = min(gray.shape[1], int(max(xs) + pad) + 1), min(gray.shape[0], int(max(ys) + pad) + 1)
    if x1 - x0 < 8 or y1 - y0 < 8:
        return None
    scale = min(4.0, max(1.0, target_side / max(x1 - x0, y1 - y0)))
    region = cv2.resize(gray[y0:y1, x0:x1], None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    return Prepared(region, scale, (-x0 * scale, -y0 * scale))
