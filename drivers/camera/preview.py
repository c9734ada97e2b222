"""What the card camera hands a front end: preview frames, a hint, its state.

No OpenCV here: the touch UI imports this at start, and OpenCV (about 0.2 s to import)
is loaded only where a camera is built (drivers/camera/frames.py, drivers/camera/feed.py).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from msgspec import Struct

if TYPE_CHECKING:  # numpy costs 0.1 s to import: only where frames are made
    import numpy as np


class CameraState(StrEnum):
    CONNECTED = "connected"
    DISCONNECTED = "disconnected"  # retrying; field support sees this in diagnostics
    ENDED = "ended"  # a recording has played out


Point = tuple[float, float]  # x, y as fractions of the preview's width and height


class Hint(StrEnum):
    SHOW = "show"  # no code in view: hold the card in the frame
    CLOSER = "closer"  # a code too small or too far to read
    STILL = "still"  # a code in view: hold still while it is read


class PreviewFrame(Struct, frozen=True):
    """One preview image (RGB, C-contiguous) with what the client should do."""

    rgb: np.ndarray
    hint: Hint
    codes: tuple[tuple[Point, ...], ...] = ()  # outlines of the codes seen, in the preview

    @property
    def width(self) -> int:
        return int(self.rgb.shape[1])

    @property
    def height(self) -> int:
        return int(self.rgb.shape[0])

    def __repr__(self) -> str:
        return f"PreviewFrame({self.width}x{self.height}, {self.hint}, {len(self.codes)} codes)"
