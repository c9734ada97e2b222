"""The reader thread a backend begins for each page, seen from the scan worker: which
threads a sane_start() began, and waiting for them to end before the page's last line is
read.

Why: SANE backends read a page in a thread of their own (sanei_thread), with asynchronous
cancellation, and many cancel it the moment sane_read has handed out the page's last byte
(the test backend's finish_pass, then pthread_join). The reader is just finishing then: its
free() of the picture buffer, its return. Cancelled inside free(), it dies holding its
malloc arena's lock, and its own exit (glibc hands its thread cache back to that arena)
waits for that lock for ever; so does the worker's main thread, joining it inside sane_read.
Seen with gdb in a hung worker: the reader "Exiting" in tcache_thread_shutdown, waiting for
an arena lock; the main thread in pthread_join under sane_test_read. The parent's watchdog
then reports "scanner sent no data for 20 s while reading page N": about once in 6,000 pages
with the test backend on a loaded machine, and once in CI.

Before the last line is read, less than a line of the page is left in the pipe, so the
reader has written all of it: waiting until it has ended costs only the moment it takes to
exit, and the cancellation then finds no thread to cancel. A backend whose reader does not
end by itself (it waits to be cancelled) is waited for once per batch, ``GRACE`` long.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

TASKS = "/proc/self/task"  # one entry per thread of this process, gone when it has exited
GRACE = 0.5  # seconds: how long a reader may take to end once its page is written
_POLL = 0.001


def threads() -> frozenset[int]:
    """The thread ids of this process now (none where there is no /proc)."""
    try:
        return frozenset(int(name) for name in os.listdir(TASKS))
    except OSError:
        return frozenset()


class Readers:
    """The threads one page's sane_start() began, for one batch's pages in turn."""

    def __init__(self, grace: float = GRACE) -> None:
        self.grace = grace
        self.began: frozenset[int] = frozenset()

    def start(self, start: Callable[[], None]) -> None:
        """Call ``start`` (the device's sane_start) and note the threads it began."""
        before = threads()
        start()
        self.began = threads() - before

    def wait_ended(self) -> bool:
        """Wait until the threads the last start began have ended; False when one is still
        there after the grace (from then on this batch does not wait again)."""
        deadline = time.monotonic() + self.grace
        while self.began and self.grace > 0:
            self.began &= threads()
            if not self.began:
                break
            if time.monotonic() >= deadline:
                self.grace = 0.0  # this backend's reader waits to be cancelled
                return False
            time.sleep(_POLL)
        self.began = frozenset()
        return True
