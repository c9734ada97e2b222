"""Drains the outbox in the background, each item on its own schedule."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable

from kiosk.core.log_events import emit
from kiosk.services.spool.outbox import PENDING, Delivery, Outbox

log = logging.getLogger(__name__)


class DeliveryWorker:
    """A thread that delivers due items and then sleeps until the next one is due.

    It wakes early when this process spools something (``wake``) and when another process
    does: the spool directory changes (every item and status file is renamed into place),
    which a stat every ``watch`` seconds sees. ``poll`` bounds any sleep, in case a change
    went unseen (a clock step, a coarse file system timestamp).
    """

    def __init__(
        self,
        outbox: Outbox,
        poll: float = 30.0,
        watch: float = 0.5,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.outbox = outbox
        self.poll = poll
        self.watch = watch
        self._clock = clock
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self) -> list[Delivery]:
        """Deliver every item that is due now (until asked to stop)."""
        results = []
        for status in self.outbox.due():
            if self._stop.is_set():
                break
            results.append(self.outbox.deliver(status.item_id))
        return results

    def seconds_to_next(self) -> float:
        upcoming = [s.next_attempt for s in self.outbox.items() if s.state is PENDING]
        if not upcoming:
            return self.poll
        return min(self.poll, max(0.0, min(upcoming) - self._clock()))

    def _spool_version(self) -> int:
        try:
            return os.stat(self.outbox.directory).st_mtime_ns
        except OSError:
            return -1

    def _sleep(self, pause: float, seen: int) -> None:
        """Until ``pause`` is over, ``wake``/``stop`` is called or the spool changes."""
        end = time.monotonic() + pause
        while not self._stop.is_set():
            left = end - time.monotonic()
            if left <= 0 or self._wake.wait(min(self.watch, left)):
                break
            if self._spool_version() != seen:
                break
        self._wake.clear()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
                # Our own round changed the spool (status files): only later changes
                # count, and anything spooled before this point is in the schedule below.
                seen = self._spool_version()
                pause = self.seconds_to_next()
            except Exception as err:  # the drain must outlive a disk hiccup or a bad file
                emit(log, "delivery.round_failed", error=type(err).__name__, detail=str(err))
                seen, pause = self._spool_version(), self.poll
            self._sleep(pause, seen)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="delivery", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> bool:
        """Ask the thread to end; True when it did within ``timeout`` (an attempt in flight
        is left to its deadline otherwise: it is safe to abandon, delivery is idempotent)."""
        self._stop.set()
        self._wake.set()
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()
