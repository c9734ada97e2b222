"""The Scanner protocol over SANE, with every call in a worker process under a watchdog.

SANE backends can hang in a USB read or crash outright; in a worker process that costs
one scan, not the kiosk. The worker beats ``("alive", (step, page, lines))`` for its whole
life (drivers/scanner/sane_worker.py). The watchdog kills a worker that sends nothing at all for
``stall_timeout`` seconds (a frozen process, or a SANE call holding the GIL), one that says
it is reading but reads no new line for ``stall_timeout`` seconds, one whose page takes
longer than ``page_timeout`` in any step (a sane_start() that never returns), and one that
is not configured ``open_timeout`` seconds after it started; pages that arrived before
stay with the raised error.
"""

from __future__ import annotations

import multiprocessing
import os
import struct
import threading
import time
from collections.abc import Callable
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Any

from drivers.scanner.protocol import (
    Capabilities,
    ColorMode,
    DeviceInfo,
    Hung,
    PageCallback,
    ScannedPage,
    ScannerError,
    ScanRequest,
    Source,
    error_for,
)
from drivers.scanner.sane_worker import CONFIGURING, OPENING, READING, STARTING, State, child_main
from kiosk.core.faults import Fault

# "forkserver": workers are forked from a small, clean server process (started once,
# preloaded with python-sane), never from the kiosk itself, which may hold Qt threads.
# Starting a worker then costs milliseconds instead of a fresh interpreter.
_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["drivers.scanner.sane_worker", "sane"])
StopCheck = Callable[[], bool]
# The parent's own step: a real message ("configured", a page) arrived, no heartbeat since.
_AFTER = "after"
_READ_CHUNK = 1 << 20  # a page arrives in pieces this large, each one a sign of life


class SaneScanner:
    def __init__(
        self,
        config_dir: Path | None = None,
        *,
        open_timeout: float = 30.0,
        stall_timeout: float = 20.0,
        page_timeout: float = 180.0,
    ) -> None:
        self.config_dir = config_dir
        self.open_timeout = open_timeout
        self.stall_timeout = stall_timeout
        self.page_timeout = page_timeout
        # Made on first use: a multiprocessing Event is a set of semaphores, and a process
        # that never scans (kiosk deliver) would leave them to the resource tracker, which
        # warns about "leaked semaphore objects" when that process is stopped by SIGTERM.
        self._cancel: Event | None = None
        self._cancel_lock = threading.Lock()

    # -- Scanner protocol -------------------------------------------------------------

    def devices(self) -> list[DeviceInfo]:
        rows = self._call("devices", None)
        return [DeviceInfo(name, vendor, model, kind) for name, vendor, model, kind in rows]

    def capabilities(self, device: str) -> Capabilities:
        caps = self._call("capabilities", device)
        return Capabilities(
            sources=tuple(Source(s) for s in caps["sources"]),
            modes=tuple(ColorMode(m) for m in caps["modes"]),
            resolutions=tuple(caps["resolutions"]),
        )

    def scan(self, request: ScanRequest, on_page: PageCallback | None = None) -> list[ScannedPage]:
        cancel = self._cancel_event()
        cancel.clear()
        pages: list[ScannedPage] = []
        try:
            self._collect(request, pages, on_page, cancel)
        except ScannerError as err:
            if err.pages or not pages:
                raise
            # The watchdog and a dying worker raise without pages: attach what arrived.
            raise err.with_pages(tuple(pages)) from err.__cause__
        if not pages:
            # An empty feeder may end a batch without any error status: never an empty success.
            raise error_for(Fault.NO_PAPER, "no page was scanned")
        return pages

    def _collect(
        self,
        request: ScanRequest,
        pages: list[ScannedPage],
        on_page: PageCallback | None,
        cancel: Event,
    ) -> None:
        with _Worker(self, "scan", request, cancel) as worker:
            while True:
                kind, body = worker.receive()
                if kind == "page":
                    page = ScannedPage(
                        body["width"],
                        body["height"],
                        ColorMode(body["mode"]),
                        body["dpi"],
                        worker.receive_bytes(),
                    )
                    pages.append(page)
                    if on_page is not None:
                        on_page(page)
                elif kind == "error":
                    fault, detail = body
                    if fault == Fault.NO_PAPER and pages:
                        break  # the feeder ran empty after some pages: the batch is complete
                    raise error_for(Fault(fault), detail, tuple(pages))
                elif kind == "done":
                    break
                # "configured" only feeds the watchdog

    def cancel(self) -> None:
        """Ask a running scan to stop; it raises Cancelled with the pages so far.

        Before any scan there is nothing to stop (and a scan clears the request as it
        starts), so no event is made for it."""
        with self._cancel_lock:
            event = self._cancel
        if event is not None:
            event.set()

    def _cancel_event(self) -> Event:
        with self._cancel_lock:
            if self._cancel is None:
                self._cancel = _CONTEXT.Event()
            return self._cancel

    # -- worker plumbing ----------------------------------------------------------------

    def _call(self, op: str, payload: Any) -> Any:
        with _Worker(self, op, payload) as worker:
            kind, body = worker.receive()
            if kind == "error":
                raise error_for(Fault(body[0]), body[1])
            return body


class _Worker:
    """One worker process, and the watchdog that reads its messages.

    ``receive`` returns real messages only; heartbeats ("alive") are read in here. Bounds
    (each a deadline; the nearest one is what ``poll`` waits for):

    - until the worker is configured (or, for devices/capabilities, answers): the whole
      opening within ``open_timeout`` of the start (sane_init holds the GIL, and USB or
      network discovery takes its time);
    - then anything at all from the worker every ``stall_timeout`` seconds: silence is a
      frozen process or a SANE call that holds the GIL;
    - while it says it is reading, a new line every ``stall_timeout`` seconds: a backend
      that is alive but stuck in a read;
    - each page, from the previous one (or from configured) through start() and reading,
      within ``page_timeout``.
    """

    def __init__(self, owner: SaneScanner, op: str, payload: Any, cancel: Event | None = None):
        self.owner = owner
        self.conn, child_conn = _CONTEXT.Pipe(duplex=False)
        config = str(owner.config_dir) if owner.config_dir else None
        # Heartbeats come several times per stall timeout, so only a real stall trips it.
        heartbeat = min(0.25, owner.stall_timeout / 4)
        self.process = _CONTEXT.Process(
            target=child_main,
            args=(child_conn, config, op, payload, cancel, heartbeat),
            daemon=True,
        )
        self.process.start()
        child_conn.close()
        self.started = time.monotonic()
        self.opened = False  # until configured (or answered), the backend is still opening
        self.state: State = (OPENING, 0, 0)  # the last one the worker reported
        self.pages = 0
        self.heard = self.moved = self.page_started = self.started

    def __enter__(self) -> _Worker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.conn.close()
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()

    def _limits(self) -> list[tuple[float, str]]:
        """(deadline, what hung) for every bound that applies now, silence first."""
        owner = self.owner
        step, page, _lines = self.state
        if not self.opened:
            what = "was not ready" if step == CONFIGURING else "did not open"
            return [
                (
                    self.started + owner.open_timeout,
                    f"scanner {what} within {owner.open_timeout:g} s",
                )
            ]
        stall, late = f"{owner.stall_timeout:g} s", f"{owner.page_timeout:g} s"
        silent = (
            self.heard + owner.stall_timeout,
            f"scanner sent nothing for {stall} {self._doing()}",
        )
        deadline = self.page_started + owner.page_timeout
        if step == READING:
            return [
                silent,
                (
                    self.moved + owner.stall_timeout,
                    f"scanner sent no data for {stall} while reading page {page}",
                ),
                (deadline, f"page {page} took longer than {late}"),
            ]
        if step == STARTING:
            return [silent, (deadline, f"scanner did not start page {page} within {late}")]
        return [silent, (deadline, f"scanner took longer than {late} {self._doing()}")]

    def _doing(self) -> str:
        step, page, _lines = self.state
        if step == _AFTER:  # no heartbeat since the last real message
            return f"after page {page}" if page else "after configuring the scanner"
        if step in (STARTING, READING):
            return f"while {step} page {page}"
        return f"while {step} the scanner"

    def _wait(self) -> None:
        # The first of the nearest: on a tie, silence (the plainer finding) is what is said.
        deadline, what = min(self._limits(), key=lambda limit: limit[0])
        if not self.conn.poll(max(0.0, deadline - time.monotonic())):
            self.process.kill()
            raise Hung(what)

    def receive(self) -> tuple[str, Any]:
        """The next real message; heartbeats only feed the watchdog."""
        while True:
            self._wait()
            try:
                kind, body = self.conn.recv()
            except (EOFError, OSError) as err:
                raise self._died() from err
            self.heard = time.monotonic()
            if kind == "alive":
                step, page, lines = body
                state = (str(step), int(page), int(lines))
                if state != self.state:
                    self.moved = self.heard  # a new step, page or line
                self.state = state
                continue
            self.moved = self.heard
            self.opened = True
            if kind == "configured":
                self.page_started = self.heard
                self.state = (_AFTER, 0, 0)
            elif kind == "page":
                self.pages += 1
                self.page_started = self.heard
                self.state = (_AFTER, self.pages, 0)
            return kind, body

    def receive_bytes(self) -> bytes | bytearray:
        """A page's pixels, under the watchdog to the last byte.

        Connection.recv_bytes() would wait forever for the rest of a message the worker
        stopped sending halfway (frozen, or its sender thread starved by a SANE call that
        holds the GIL): the message is read here, chunk by chunk, each chunk a sign of life.
        The framing is multiprocessing's (a "!i" length, or -1 and a "!Q" length)."""
        try:
            (size,) = struct.unpack("!i", self._read_exactly(4))
            if size == -1:
                (size,) = struct.unpack("!Q", self._read_exactly(8))
            return self._read_exactly(size)
        except (EOFError, OSError) as err:  # killed halfway through sending a page
            raise self._died() from err

    def _read_exactly(self, size: int) -> bytearray:
        data = bytearray(size)
        view, got, fd = memoryview(data), 0, self.conn.fileno()
        while got < size:
            self._wait()
            count = os.readv(fd, [view[got : got + _READ_CHUNK]])
            if count == 0:
                raise EOFError("got end of file during message")
            got += count
            # Heard with every chunk: 26 MB take a while under load, and the next
            # heartbeat cannot leave before the page has.
            self.heard = self.moved = time.monotonic()
        return data  # read in place: a page's megabytes are never copied

    def _died(self) -> ScannerError:
        """The worker is gone (a crashing backend): between messages (EOFError) or in the
        middle of one ("got end of file during message", OSError)."""
        self.process.join(timeout=5)
        return ScannerError(f"scan worker ended unexpectedly (exit {self.process.exitcode})")
