"""The one helper that runs work off the GUI thread and brings results back as a signal."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot


class Background(QObject):
    """``run(work, done, failed)``: ``work()`` on a worker thread; ``done(result)`` or
    ``failed(exception)`` later on the GUI thread. Widgets are never touched off it."""

    _arrived = Signal(object, object, bool)  # (callback, value, ends a job): queued

    def __init__(self, workers: int = 2, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ui-work")
        self._arrived.connect(self._deliver)
        self.running = 0  # jobs whose result has not reached the GUI thread yet
        self.closed = False

    def run(
        self,
        work: Callable[[], Any],
        done: Callable[[Any], None],
        failed: Callable[[BaseException], None],
    ) -> None:
        if self.closed:
            # The kiosk is ending: a result that arrives now may still ask for more work
            # (a card code read next); there is no one left to hand it to.
            return
        self.running += 1

        def call() -> None:
            try:
                result = work()
            except Exception as err:  # handed to the GUI thread, which decides
                self._arrived.emit(failed, err, True)
            else:
                self._arrived.emit(done, result, True)

        self._pool.submit(call)

    def post(self, callback: Callable[[Any], None], value: Any) -> None:
        """From any thread: ``callback(value)`` on the GUI thread (e.g. once per page)."""
        self._arrived.emit(callback, value, False)

    @Slot(object, object, bool)
    def _deliver(self, callback: Callable[[Any], None], value: Any, ends_job: bool) -> None:
        if ends_job:
            self.running -= 1
        callback(value)

    def shutdown(self) -> None:
        self.closed = True
        self._pool.shutdown(wait=True, cancel_futures=True)
