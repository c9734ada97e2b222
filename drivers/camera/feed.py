"""The card camera as the touch UI needs it: codes read, a small live preview, guidance.

Wraps CodeWatch (which reads and confirms codes) and turns decoded frames into preview
frames: scaled down on the decoder thread, mirrored like a mirror (the card moves on
screen the way the hand moves), at most ``preview_fps`` a second, each with a hint for
the client: nothing seen yet, a code seen but too small (hold it closer), or a code
seen (hold still). Qt-free; every callback comes from a camera thread, and the UI
brings it to the GUI thread. Preview frames are never stored: the UI shows the newest
one and drops it when the session ends.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import cv2
import numpy as np

from drivers.camera.frames import FrameSource
from drivers.camera.preview import CameraState, Hint, Point, PreviewFrame
from drivers.camera.reconnect import Backoff
from drivers.codes.reader import CodeReader, DecodedCode
from drivers.codes.watch import CodeWatch, Confirmation

log = logging.getLogger(__name__)

SMALL_CODE = 0.14  # a code narrower than this share of the frame: "hold it closer"
LOCATE_EVERY = 0.25  # s: OpenCV's QR locator costs 15-30 ms a frame, so not every frame


class CameraFeed:
    """``start(on_text, on_preview, on_state)``; ``set_active`` while a card may be shown."""

    def __init__(
        self,
        source: FrameSource,
        reader: CodeReader,
        *,
        preview_width: int = 480,
        preview_fps: float = 12.0,
        decode_fps: float = 12.0,
        mirror: bool = True,
        confirmation: Confirmation | None = None,
        backoff: Backoff | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.preview_width = preview_width
        self.mirror = mirror
        self._interval = 1.0 / preview_fps
        self._decode_fps = decode_fps
        self._clock = clock
        self._source, self._reader = source, reader
        self._confirmation, self._backoff = confirmation, backoff
        self._loop: CodeWatch | None = None
        self._last_preview = -float("inf")
        self._last_locate = -float("inf")
        self._located_before: tuple[Point, ...] | None = None
        self._detector = cv2.QRCodeDetector()
        self._active = True
        self._on_text: Callable[[str], None] = lambda _text: None
        self._on_preview: Callable[[PreviewFrame], None] = lambda _frame: None

    @property
    def loop(self) -> CodeWatch | None:
        return self._loop

    def start(
        self,
        on_text: Callable[[str], None],
        on_preview: Callable[[PreviewFrame], None],
        on_state: Callable[[CameraState], None],
    ) -> None:
        self._on_text, self._on_preview = on_text, on_preview
        self._loop = CodeWatch(
            self._source,
            self._reader,
            self._codes,
            on_state=on_state,
            on_frame=self._frame,
            confirmation=self._confirmation,
            backoff=self._backoff,
            clock=self._clock,
            max_rate=self._decode_fps,
        )
        self.set_active(self._active)  # what was asked before the start holds from frame one
        self._loop.start()

    def set_active(self, active: bool) -> None:
        """Decode and preview only while the client may show a card (saves a core)."""
        self._active = active
        if self._loop is None:
            return
        if active:
            self._loop.resume()
        else:
            self._loop.pause()

    def reset(self) -> None:
        """A new session: the next client's card is read at once, even the same card."""
        if self._loop is not None:
            self._loop.reset()

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.stop()

    def _codes(self, codes: list[DecodedCode]) -> None:
        for code in codes:
            self._on_text(code.text)

    def _frame(self, frame: np.ndarray, codes: list[DecodedCode]) -> None:
        """On the decoder thread, the only caller: no lock needed for the pacing."""
        now = self._clock()
        if now - self._last_preview < self._interval:
            return
        self._last_preview = now
        self._on_preview(self.preview(frame, codes))

    def preview(self, frame: np.ndarray, codes: list[DecodedCode]) -> PreviewFrame:
        """The preview of one camera frame (BGR or gray) and the codes read in it."""
        height, width = frame.shape[:2]
        scale = self.preview_width / width
        size = (self.preview_width, max(1, round(height * scale)))
        small = cv2.resize(frame, size, interpolation=cv2.INTER_AREA)
        if small.ndim == 2:
            rgb = cv2.cvtColor(small, cv2.COLOR_GRAY2RGB)
        else:
            rgb = cv2.cvtColor(small, cv2.COLOR_BGR2RGB)
        outlines = [self._outline(code.corners, width, height) for code in codes if code.corners]
        hint = Hint.STILL if codes else Hint.SHOW
        if not codes:
            found = self._locate(rgb)
            if found is not None:
                outlines, hint = [found], Hint.CLOSER if _span(found) < SMALL_CODE else Hint.STILL
        if self.mirror:
            rgb = cv2.flip(rgb, 1)
            outlines = [tuple((1.0 - x, y) for x, y in outline) for outline in outlines]
        return PreviewFrame(np.ascontiguousarray(rgb), hint, tuple(outlines))

    def _outline(
        self, corners: tuple[tuple[float, float], ...], w: int, h: int
    ) -> tuple[Point, ...]:
        return tuple((float(x) / w, float(y) / h) for x, y in corners)

    def _locate(self, rgb: np.ndarray) -> tuple[Point, ...] | None:
        """Where a QR code is in view though none could be read (for "hold it closer");
        between two runs of the locator, what it found last."""
        now = self._clock()
        if now - self._last_locate >= LOCATE_EVERY:
            self._last_locate = now
            self._located_before = self._located(rgb)
        return self._located_before

    def _located(self, rgb: np.ndarray) -> tuple[Point, ...] | None:
        gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
        try:
            ok, points = self._detector.detect(gray)
        except cv2.error:
            return None
        if not ok or points is None:
            return None
        h, w = gray.shape
        return tuple((float(x) / w, float(y) / h) for x, y in np.asarray(points).reshape(-1, 2))


def _span(outline: tuple[Point, ...]) -> float:
    xs = [x for x, _ in outline]
    return max(xs) - min(xs)
