"""Keeps frames coming from a camera that may be unplugged: reopen with backoff, no busy loop."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from drivers.camera.frames import CameraError, EndOfFrames, FrameSource
from drivers.camera.preview import CameraState
from kiosk.core.log_events import emit

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Backoff:
    """Waits between attempts to reopen: 0.5 s, 1 s, 2 s, ... at most ``maximum``."""

    initial: float = 0.5
    factor: float = 2.0
    maximum: float = 10.0

    def delay(self, failures: int) -> float:
        """The wait after the ``failures``-th failure in a row (1-based)."""
        return float(min(self.maximum, self.initial * self.factor ** max(0, failures - 1)))


# wait(seconds) -> True when asked to stop meanwhile: threading.Event.wait in production.
Wait = Callable[[float], bool]
StateCallback = Callable[[CameraState], None]


class FramePump:
    """Pulls frames from a source; on CameraError closes it and reopens after a backoff."""

    def __init__(
        self,
        source: FrameSource,
        wait: Wait,
        *,
        backoff: Backoff | None = None,
        on_state: StateCallback | None = None,
    ) -> None:
        self.source = source
        self.backoff = backoff or Backoff()
        self.failures = 0  # attempts in a row that failed
        self._wait = wait
        self._on_state = on_state
        self._open = False

    def next_frame(self) -> np.ndarray | None:
        """The next frame; None once a recording ends or a stop was asked for while waiting."""
        while True:
            try:
                if not self._open:
                    self.source.open()
                    self._open = True
                    self._report(CameraState.CONNECTED)
                frame = self.source.read()
                self.failures = 0
                return frame
            except EndOfFrames:
                self.close()
                self._report(CameraState.ENDED)
                return None
            except CameraError as err:
                if self._failed(err):
                    return None

    def _failed(self, err: CameraError) -> bool:
        """Close, report, wait; True if a stop was asked for during the wait."""
        was_open = self._open
        self.close()
        self.failures += 1
        delay = self.backoff.delay(self.failures)
        if was_open or self.failures == 1:
            emit(log, "camera.lost", detail=str(err), delay_s=delay)
            self._report(CameraState.DISCONNECTED)
        return self._wait(delay)

    def close(self) -> None:
        if self._open:
            self._open = False
            with contextlib.suppress(CameraError):  # closing a vanished device may fail
                self.source.close()

    def _report(self, state: CameraState) -> None:
        if self._on_state is not None:
            self._on_state(state)
