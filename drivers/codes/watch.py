"""Reads codes from a frame source off the GUI thread: newest frame first, drops when busy.

Two threads: the grabber pulls frames at the source's pace into a one-frame slot (a
camera's frame not taken in time is replaced by the next one, so decoding never lags
behind the card in front of the camera); the decoder reads codes from the slot's frame,
so it decodes at most at the camera's frame rate. Qt-free: ``on_codes`` and
``on_state`` are called on the decoder or grabber thread; a Qt front end forwards them
to the GUI thread with a queued signal.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from drivers.camera.frames import FrameSource
from drivers.camera.reconnect import Backoff, FramePump, StateCallback
from drivers.codes.reader import CodeReader, DecodedCode

log = logging.getLogger(__name__)

CodesCallback = Callable[[list[DecodedCode]], None]
# Every decoded frame with what was read in it (confirmed or not): a live preview's feed.
FrameCallback = Callable[[np.ndarray, list[DecodedCode]], None]


@dataclass(frozen=True, slots=True)
class Confirmation:
    """A code is reported once read in ``frames`` frames within ``window_s`` seconds (one
    frame's misread cannot become a case number), and not again while it stays in view."""

    frames: int = 2
    window_s: float = 1.0
    repeat_after_s: float = 3.0  # out of view this long: reported again when shown again


class Confirmer:
    def __init__(self, rule: Confirmation | None = None) -> None:
        self.rule = rule or Confirmation()
        self._seen: dict[str, deque[float]] = {}
        self._reported: dict[str, float] = {}  # text -> when last seen after reporting

    def feed(self, codes: list[DecodedCode], at: float) -> list[DecodedCode]:
        """Codes read from one frame taken at ``at``; returns those to report now."""
        report = []
        for code in codes:
            times = self._seen.setdefault(code.text, deque())
            times.append(at)
            while times and at - times[0] > self.rule.window_s:
                times.popleft()
            last = self._reported.get(code.text)
            if last is not None and at - last <= self.rule.repeat_after_s:
                self._reported[code.text] = at  # still in view
            elif len(times) >= self.rule.frames:
                self._reported[code.text] = at
                report.append(code)
        self._forget_before(at - max(self.rule.window_s, self.rule.repeat_after_s))
        return report

    def _forget_before(self, cutoff: float) -> None:
        self._seen = {t: q for t, q in self._seen.items() if q and q[-1] >= cutoff}
        self._reported = {t: at for t, at in self._reported.items() if at >= cutoff}


@dataclass
class LoopStats:
    frames: int = 0  # delivered by the source
    decoded: int = 0  # handed to the reader
    dropped: int = 0  # replaced by a newer frame before the reader was free


class CodeWatch:
    def __init__(
        self,
        source: FrameSource,
        reader: CodeReader,
        on_codes: CodesCallback,
        *,
        on_state: StateCallback | None = None,
        on_frame: FrameCallback | None = None,
        confirmation: Confirmation | None = None,
        backoff: Backoff | None = None,
        clock: Callable[[], float] = time.monotonic,
        max_rate: float | None = None,
    ) -> None:
        self.source = source
        # A live camera's frames are decoded at most this often (frames/s): a card held up
        # is read as well at 12/s as at 30/s, for less than half the CPU.
        self._min_interval = 1.0 / max_rate if max_rate else 0.0
        self.reader = reader
        self.stats = LoopStats()
        self._on_codes = on_codes
        self._on_state = on_state
        self._on_frame = on_frame
        self._confirmation = confirmation or Confirmation()
        self._confirmer = Confirmer(self._confirmation)
        self._backoff = backoff
        self._clock = clock
        self._stop = threading.Event()
        self._active = threading.Event()
        self._active.set()
        self._cond = threading.Condition()
        self._slot: np.ndarray | None = None
        self._ended = False
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        if self._threads:
            raise RuntimeError("scan loop already started")
        self._threads = [
            threading.Thread(target=self._grab, name="camera-grab", daemon=True),
            threading.Thread(target=self._decode, name="code-decode", daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        for thread in self._threads:
            thread.join(timeout)

    def join(self, timeout: float | None = None) -> bool:
        """Wait for a recording to play out; True if both threads have finished."""
        for thread in self._threads:
            thread.join(timeout)
        return not any(thread.is_alive() for thread in self._threads)

    def pause(self) -> None:
        """Stop decoding (frames are still taken, so the camera's buffer stays fresh and
        no stale frame is decoded after ``resume``)."""
        self._active.clear()

    def resume(self) -> None:
        self._active.set()

    def reset(self) -> None:
        """Forget what was seen (a new session): the next client's card is reported at once."""
        with self._cond:
            self._confirmer = Confirmer(self._confirmation)

    def __enter__(self) -> CodeWatch:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def _grab(self) -> None:
        pump = FramePump(
            self.source, self._stop.wait, backoff=self._backoff, on_state=self._on_state
        )
        try:
            while not self._stop.is_set():
                frame = pump.next_frame()
                if frame is None:
                    break
                self._put(frame)
        finally:
            pump.close()
            with self._cond:
                self._ended = True
                self._cond.notify_all()

    def _put(self, frame: np.ndarray) -> None:
        with self._cond:
            if not self.source.live:  # a recording loses nothing by waiting for the reader
                self._cond.wait_for(lambda: self._slot is None or self._stop.is_set())
            if self._slot is not None:
                self.stats.dropped += 1
            self._slot = frame
            self.stats.frames += 1
            self._cond.notify_all()

    def _take(self) -> np.ndarray | None:
        with self._cond:
            self._cond.wait_for(
                lambda: self._slot is not None or self._ended or self._stop.is_set()
            )
            frame, self._slot = self._slot, None
            self._cond.notify_all()
            return None if self._stop.is_set() else frame

    def _newest(self, frame: np.ndarray) -> np.ndarray:
        with self._cond:
            newer, self._slot = self._slot, None
            self._cond.notify_all()
        return newer if newer is not None else frame

    def _decode(self) -> None:
        last = -float("inf")
        while (frame := self._take()) is not None:
            if not self._active.is_set():
                continue
            if self.source.live and self._min_interval:
                wait = last + self._min_interval - time.monotonic()
                if wait > 0 and self._stop.wait(wait):
                    break
                frame = self._newest(frame)  # frames came in while it waited
                last = time.monotonic()
            at = self._clock()
            try:
                codes = self.reader.read(frame)
            except Exception:  # one bad frame must not end scanning for the whole day
                log.exception("code reader failed on a frame")
                continue
            self.stats.decoded += 1
            if self._on_frame is not None:
                try:
                    self._on_frame(frame, codes)
                except Exception:
                    log.exception("frame callback failed")
            with self._cond:
                report = self._confirmer.feed(codes, at)
            if report:
                try:
                    self._on_codes(report)
                except Exception:
                    log.exception("code callback failed")
