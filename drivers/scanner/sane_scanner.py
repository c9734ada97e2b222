"""The Scanner protocol over SANE, with every call in a worker process under a watchdog.

SANE backends can hang in a USB read or crash outright; in a worker process that costs
one scan, not the kiosk. The worker beats ``Alive(step, page, lines)`` for its whole life
(drivers/scanner/sane_worker.py; the messages are in drivers/scanner/messages.py). The
watchdog kills a worker that sends nothing at all for
``stall_timeout`` seconds (a frozen process, or a SANE call holding the GIL), one that says
it is reading but reads no new line for ``stall_timeout`` seconds, one whose page takes
longer than ``page_timeout`` in any step (a sane_start() that never returns), and one that
is not configured ``open_timeout`` seconds after it started; pages that arrived before
stay with the raised error. A worker that dies (a crashing backend) is noticed at once, at
any step: by the end of its pipe, or by its exit when something else still holds the pipe.
"""

from __future__ import annotations

import multiprocessing
import os
import struct
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import wait
from pathlib import Path
from typing import TypeVar

from drivers.scanner.messages import (
    MESSAGE_TYPES,
    Alive,
    Configured,
    Describe,
    Described,
    Devices,
    Done,
    Failed,
    Job,
    ListDevices,
    PageHeader,
    Reply,
    Scan,
    Step,
)
from drivers.scanner.protocol import (
    Capabilities,
    DeviceInfo,
    Hung,
    NotSet,
    PageCallback,
    ScannedPage,
    ScannerError,
    ScanRequest,
    error_for,
)
from drivers.scanner.sane_worker import CancelFlag, child_main
from kiosk.core.faults import Fault

# "forkserver": workers are forked from a small, clean server process (started once,
# preloaded with python-sane), never from the kiosk itself, which may hold Qt threads.
# Starting a worker then costs milliseconds instead of a fresh interpreter.
_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["drivers.scanner.sane_worker", "sane"])
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
        # The cancel request (a byte of shared memory, see CancelFlag), made on first use: a
        # process that never scans (kiosk deliver) has no use for it. (It used to be a
        # multiprocessing Event, whose semaphores the resource tracker reported as "leaked"
        # when such a process was stopped by SIGTERM.)
        self._cancel: CancelFlag | None = None
        self._cancel_lock = threading.Lock()

    # -- Scanner protocol -------------------------------------------------------------

    def devices(self) -> list[DeviceInfo]:
        return list(self._ask(ListDevices(), Devices).devices)

    def capabilities(self, device: str) -> Capabilities:
        return self._ask(Describe(device), Described).capabilities

    def scan(self, request: ScanRequest, on_page: PageCallback | None = None) -> list[ScannedPage]:
        cancel = self._cancel_flag()
        cancel.value = False
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
        cancel: CancelFlag,
    ) -> None:
        not_set: tuple[NotSet, ...] = ()
        with _Worker(self, Scan(request), cancel) as worker:
            while True:
                match worker.receive():
                    case PageHeader(width=width, height=height, mode=mode, dpi=dpi):
                        pixels = worker.receive_bytes()
                        page = ScannedPage(width, height, mode, dpi, pixels, not_set)
                        if on_page is not None:
                            on_page(page)
                            page = page.handed_over()  # the pixels are the callback's now
                        pages.append(page)
                    case Failed(fault=Fault.NO_PAPER) if pages:
                        break  # the feeder ran empty after some pages: the batch is complete
                    case Failed(fault=fault, detail=detail):
                        raise error_for(fault, detail, tuple(pages))
                    case Done():
                        break
                    case Configured(not_set=missing):
                        not_set = missing  # what the pages will say they lack
                    case other:
                        raise _unexpected(other)

    def cancel(self) -> None:
        """Ask a running scan to stop; it raises Cancelled with the pages so far.

        Before any scan there is nothing to stop (and a scan clears the request as it
        starts), so no flag is made for it."""
        with self._cancel_lock:
            flag = self._cancel
        if flag is not None:
            flag.value = True

    def _cancel_flag(self) -> CancelFlag:
        with self._cancel_lock:
            if self._cancel is None:
                self._cancel = _CONTEXT.RawValue(CancelFlag, False)
            return self._cancel

    # -- worker plumbing ----------------------------------------------------------------

    def _ask(self, job: ListDevices | Describe, answer: type[_Answer]) -> _Answer:
        with _Worker(self, job) as worker:
            reply = worker.receive()
            if isinstance(reply, Failed):
                raise error_for(reply.fault, reply.detail)
            if not isinstance(reply, answer):
                raise _unexpected(reply)
            return reply


_Answer = TypeVar("_Answer", Devices, Described)


def _unexpected(message: object) -> ScannerError:
    return ScannerError(f"scan worker sent an unexpected {type(message).__name__}")


@dataclass(frozen=True, slots=True)
class _After:
    """The parent's own state: a real message (configured, a page) arrived, and no
    heartbeat since. ``page``: the pages received so far."""

    page: int


class _Worker:
    """One worker process, and the watchdog that reads its messages.

    ``receive`` returns real messages only; heartbeats (``Alive``) are read in here. Bounds
    (each a deadline; the nearest one is what ``_wait`` waits for):

    - until the worker is configured (or, for ListDevices/Describe, answers): the whole
      opening within ``open_timeout`` of the start (sane_init holds the GIL, and USB or
      network discovery takes its time);
    - then anything at all from the worker every ``stall_timeout`` seconds: silence is a
      frozen process or a SANE call that holds the GIL;
    - while it says it is reading, a new line every ``stall_timeout`` seconds: a backend
      that is alive but stuck in a read;
    - each page, from the previous one (or from configured) through start() and reading,
      within ``page_timeout``.

    Whatever the bound, a worker that dies ends the wait at once (see ``_wait``).
    """

    def __init__(self, owner: SaneScanner, job: Job, cancel: CancelFlag | None = None):
        self.owner = owner
        self.conn, child_conn = _CONTEXT.Pipe(duplex=False)
        config = str(owner.config_dir) if owner.config_dir else None
        # Heartbeats come several times per stall timeout, so only a real stall trips it.
        heartbeat = min(0.25, owner.stall_timeout / 4)
        self.process = _CONTEXT.Process(
            target=child_main,
            args=(child_conn, config, job, cancel, heartbeat),
            daemon=True,
        )
        self.process.start()
        child_conn.close()  # the worker's end: only the worker holds it now
        self.started = time.monotonic()
        self.opened = False  # until configured (or answered), the backend is still opening
        self.state: Alive | _After = Alive(Step.OPENING)  # the last one the worker reported
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
        if not self.opened:
            configuring = isinstance(self.state, Alive) and self.state.step is Step.CONFIGURING
            what = "was not ready" if configuring else "did not open"
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
        match self.state:
            case Alive(step=Step.READING, page=page):
                return [
                    silent,
                    (
                        self.moved + owner.stall_timeout,
                        f"scanner sent no data for {stall} while reading page {page}",
                    ),
                    (deadline, f"page {page} took longer than {late}"),
                ]
            case Alive(step=Step.STARTING, page=page):
                return [silent, (deadline, f"scanner did not start page {page} within {late}")]
        return [silent, (deadline, f"scanner took longer than {late} {self._doing()}")]

    def _doing(self) -> str:
        match self.state:
            case _After(page=page):  # no heartbeat since the last real message
                return f"after page {page}" if page else "after configuring the scanner"
            case Alive(step=Step.STARTING | Step.READING as step, page=page):
                return f"while {step} page {page}"
            case Alive(step=step):
                return f"while {step} the scanner"

    def _wait(self) -> None:
        """Return once the pipe has something to read: a message, the next piece of a page,
        or its end (EOF: the worker is gone). Raise ``Hung`` when the nearest bound passes
        first, and the worker's death when it ended with nothing left in the pipe.

        The worker's exit is watched as well as its pipe: a process it forked (a backend's
        reader process, a helper) inherits the pipe's other end and would keep EOF from
        ever coming, leaving a dead worker to the stall timeout."""
        # The first of the nearest: on a tie, silence (the plainer finding) is what is said.
        deadline, what = min(self._limits(), key=lambda limit: limit[0])
        ready = wait([self.conn, self.process.sentinel], max(0.0, deadline - time.monotonic()))
        if self.conn in ready or (ready and self.conn.poll(0)):
            return  # read it; after an exit, what the worker sent before still counts
        if ready:  # the process ended (the forkserver told), and its pipe is silent
            raise self._died()
        self.process.kill()
        raise Hung(what)

    def receive(self) -> Reply:
        """The next real message; heartbeats only feed the watchdog."""
        while True:
            self._wait()
            try:
                message = self.conn.recv()
            except (EOFError, OSError) as err:
                raise self._died() from err
            if not isinstance(message, MESSAGE_TYPES):
                raise _unexpected(message)
            self.heard = time.monotonic()
            if isinstance(message, Alive):
                if message != self.state:
                    self.moved = self.heard  # a new step, page or line
                self.state = message
                continue
            self.moved = self.heard
            self.opened = True
            if isinstance(message, Configured):
                self.page_started = self.heard
                self.state = _After(0)
            elif isinstance(message, PageHeader):
                self.pages += 1
                self.page_started = self.heard
                self.state = _After(self.pages)
            return message

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
        """The worker is gone (a crashing backend): between messages, in the middle of one
        (EOFError, "got end of file during message"), or with its pipe still held open by
        a process it forked (its exit, from ``_wait``)."""
        self.process.join(timeout=5)
        return ScannerError(f"scan worker ended unexpectedly (exit {self.process.exitcode})")
