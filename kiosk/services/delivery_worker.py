"""Drains the outbox in the background, each item on its own schedule."""

from __future__ import annotations

import logging
import threading
import time

from kiosk.services.outbox import Delivery, Outbox

log = logging.getLogger(__name__)


class DeliveryWorker:
    """A thread that delivers due items, sleeps until the next one is due (at most
    ``poll`` seconds, so new items from other processes are seen), and wakes at once
    when this process spools something new (``wake``)."""

    def __init__(self, outbox: Outbox, poll: float = 30.0) -> None:
        self.outbox = outbox
        self.poll = poll
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self) -> list[Delivery]:
        return [self.outbox.deliver(status.item_id) for status in self.outbox.due()]

    def _seconds_to_next(self) -> float:
        upcoming = [s.next_attempt for s in self.outbox.items() if s.state == "pending"]
        if not upcoming:
            return self.poll
        return min(self.poll, max(0.0, min(upcoming) - time.time()))

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
                pause = self._seconds_to_next()
            except Exception:  # the drain must outlive any single bad item or disk hiccup
                log.exception("delivery worker round failed")
                pause = self.poll
            self._wake.wait(pause)
            self._wake.clear()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="delivery", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
