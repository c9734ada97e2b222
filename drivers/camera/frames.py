"""Frame sources: the FrameSource protocol, USB cameras through OpenCV, recorded frames.

Nothing here opens a device at import or construction time: ``open()`` does. A USB
camera that is unplugged makes ``read()`` raise CameraError; the scan loop closes it,
waits (with backoff) and opens it again (see drivers/camera/reconnect.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import cv2
import numpy as np

log = logging.getLogger(__name__)


class CameraError(Exception):
    """The camera cannot be opened or stopped delivering frames (unplugged, in use)."""


class EndOfFrames(Exception):
    """A recorded source has played all its frames."""


class FrameSource(Protocol):
    fps: float  # frames per second the source delivers (negotiated for a camera)
    live: bool  # True: frames not taken in time are lost (a camera); False: a recording

    def open(self) -> None: ...

    def read(self) -> np.ndarray:
        """The next BGR frame; raises CameraError or EndOfFrames."""
        ...

    def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class CameraConfig:
    """Which camera and what to ask of it.

    ``device``: an index (0 = /dev/video0) or a path. Prefer the stable path
    ``/dev/v4l/by-id/usb-<vendor>_<model>_<serial>-video-index0``: indexes change when
    cameras are replugged or enumerate in another order after a reboot.
    """

    device: int | str = 0
    width: int = 1280
    height: int = 720
    fps: float = 30.0
    # USB 2 webcams deliver 720p at 30 fps only compressed; uncompressed YUYV drops to
    # 5-10 fps at that size on most UVC cameras.
    fourcc: str | None = "MJPG"


@dataclass(frozen=True, slots=True)
class Negotiated:
    width: int
    height: int
    fps: float


CaptureFactory = Callable[..., Any]  # cv2.VideoCapture's signature; replaced in tests


class OpenCvCamera:
    """A USB (UVC) camera through OpenCV's V4L2 backend."""

    live = True

    def __init__(
        self, config: CameraConfig | None = None, *, capture: CaptureFactory = cv2.VideoCapture
    ) -> None:
        self.config = config or CameraConfig()
        self.fps = self.config.fps
        self.negotiated: Negotiated | None = None
        self._capture_factory = capture
        self._capture: Any = None

    def open(self) -> None:
        self.close()
        try:
            capture = self._capture_factory(self.config.device, cv2.CAP_V4L2)
            if not capture.isOpened():
                capture.release()
                raise CameraError(f"cannot open camera {self.config.device!r}")
            self._negotiate(capture)
        except cv2.error as err:  # OpenCV's own exception type for backend failures
            raise CameraError(f"camera {self.config.device!r}: {err}") from err
        self._capture = capture

    def _negotiate(self, capture: Any) -> None:
        """Ask for format, size and rate; keep what the device actually gives."""
        wanted = self.config
        if wanted.fourcc:
            capture.set(cv2.CAP_PROP_FOURCC, cv2.VideoWriter.fourcc(*wanted.fourcc))
        capture.set(cv2.CAP_PROP_FRAME_WIDTH, wanted.width)
        capture.set(cv2.CAP_PROP_FRAME_HEIGHT, wanted.height)
        capture.set(cv2.CAP_PROP_FPS, wanted.fps)
        capture.set(cv2.CAP_PROP_BUFFERSIZE, 1)  # the newest frame, not one from a second ago
        got = Negotiated(
            int(capture.get(cv2.CAP_PROP_FRAME_WIDTH)),
            int(capture.get(cv2.CAP_PROP_FRAME_HEIGHT)),
            float(capture.get(cv2.CAP_PROP_FPS)) or wanted.fps,
        )
        if (got.width, got.height) != (wanted.width, wanted.height):
            log.info(
                "camera %s: asked for %dx%d, got %dx%d",
                wanted.device,
                wanted.width,
                wanted.height,
                got.width,
                got.height,
            )
        self.negotiated = got
        self.fps = got.fps

    def read(self) -> np.ndarray:
        if self._capture is None:
            raise CameraError("camera not open")
        try:
            ok, frame = self._capture.read()
        except cv2.error as err:
            raise CameraError(f"camera {self.config.device!r}: {err}") from err
        if not ok or frame is None:
            raise CameraError(f"camera {self.config.device!r} delivers no frames (unplugged?)")
        return np.asarray(frame)

    def close(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None


class FrameListSource:
    """Frames from memory, through the camera's interface (tests, demos)."""

    def __init__(
        self,
        frames: Sequence[np.ndarray],
        fps: float = 30.0,
        *,
        loop: bool = False,
        live: bool = False,
    ) -> None:
        self.fps = fps
        self.live = live
        self._frames = list(frames)
        self._loop = loop
        self._next: Iterator[np.ndarray] = iter(())

    def open(self) -> None:
        self._next = iter(self._frames)

    def read(self) -> np.ndarray:
        frame = next(self._next, None)
        if frame is None and self._loop and self._frames:
            self.open()
            frame = next(self._next, None)
        if frame is None:
            raise EndOfFrames()
        return frame

    def close(self) -> None:
        self._next = iter(())


class VideoFileSource:
    """A recorded video played through the camera's interface (field diagnosis: record
    what the kiosk camera sees, replay it on a laptop with ``kiosk decode``'s reader)."""

    live = False

    def __init__(self, path: Path, *, loop: bool = False) -> None:
        self.path = path
        self.fps = 30.0
        self._loop = loop
        self._capture: Any = None

    def open(self) -> None:
        self.close()
        capture = cv2.VideoCapture(str(self.path))
        if not capture.isOpened():
            capture.release()
            raise CameraError(f"cannot open video {self.path}")
        self.fps = float(capture.get(cv2.CAP_PROP_FPS)) or 30.0
        self._capture = capture

    def read(self) -> np.ndarray:
        if self._capture is None:
            raise CameraError("video not open")
        ok, frame = self._capture.read()
        if not ok and self._loop:
            self._capture.set(cv2.CAP_PROP_POS_FRAMES, 0)
            ok, frame = self._capture.read()
        if not ok or frame is None:
            raise EndOfFrames()
        return np.asarray(frame)

    def close(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None
