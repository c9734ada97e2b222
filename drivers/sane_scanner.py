"""The Scanner protocol over SANE, with every call in a worker process under a watchdog.

SANE backends can hang in a USB read or crash outright; in a worker process that costs
one scan, not the kiosk. The watchdog kills a worker that sends nothing (no page, no
progress heartbeat) for ``stall_timeout`` seconds, or whose page takes longer than
``page_timeout``; pages that arrived before stay with the raised error.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from drivers.sane_backend import child_main
from drivers.scanner import (
    Capabilities,
    ColorMode,
    DeviceInfo,
    Fault,
    Hung,
    PageCallback,
    ScannedPage,
    ScannerError,
    ScanRequest,
    Source,
    error_for,
)

# "forkserver": workers are forked from a small, clean server process (started once,
# preloaded with python-sane), never from the kiosk itself, which may hold Qt threads.
# Starting a worker then costs milliseconds instead of a fresh interpreter.
_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["drivers.sane_backend", "sane"])
StopCheck = Callable[[], bool]


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
        self._cancel = _CONTEXT.Event()

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
        self._cancel.clear()
        pages: list[ScannedPage] = []
        try:
            self._collect(request, pages, on_page)
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
        self, request: ScanRequest, pages: list[ScannedPage], on_page: PageCallback | None
    ) -> None:
        with _Worker(self, "scan", request) as worker:
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
                # "configured" and "progress" only feed the watchdog

    def cancel(self) -> None:
        """Ask a running scan to stop; it raises Cancelled with the pages so far."""
        self._cancel.set()

    # -- worker plumbing ----------------------------------------------------------------

    def _call(self, op: str, payload: Any) -> Any:
        with _Worker(self, op, payload) as worker:
            kind, body = worker.receive()
            if kind == "error":
                raise error_for(Fault(body[0]), body[1])
            return body


class _Worker:
    """One worker process, and the watchdog that reads its messages."""

    def __init__(self, owner: SaneScanner, op: str, payload: Any) -> None:
        self.owner = owner
        self.conn, child_conn = _CONTEXT.Pipe(duplex=False)
        config = str(owner.config_dir) if owner.config_dir else None
        # Heartbeats come several times per stall timeout, so only a real stall trips it.
        heartbeat = min(0.25, owner.stall_timeout / 4)
        self.process = _CONTEXT.Process(
            target=child_main,
            args=(child_conn, config, op, payload, owner._cancel, heartbeat),
            daemon=True,
        )
        self.process.start()
        child_conn.close()
        self.page_started = time.monotonic()
        self.opened = False  # until the first message, the backend is still opening

    def __enter__(self) -> _Worker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.conn.close()
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()

    def _wait(self) -> None:
        now = time.monotonic()
        stall = self.owner.stall_timeout if self.opened else self.owner.open_timeout
        page_left = self.page_started + self.owner.page_timeout - now
        if not self.conn.poll(max(0.0, min(stall, page_left))):
            self.process.kill()
            if page_left <= stall:
                raise Hung(f"page took longer than {self.owner.page_timeout:g} s")
            raise Hung(f"scanner sent nothing for {stall:g} s")

    def receive(self) -> tuple[str, Any]:
        self._wait()
        try:
            kind, body = self.conn.recv()
        except (EOFError, OSError) as err:
            raise self._died() from err
        self.opened = True
        if kind == "page":
            self.page_started = time.monotonic()
        return kind, body

    def receive_bytes(self) -> bytes:
        self._wait()
        try:
            return self.conn.recv_bytes()
        except (EOFError, OSError) as err:  # killed halfway through sending a page
            raise self._died() from err

    def _died(self) -> ScannerError:
        """The worker is gone (a crashing backend): between messages (EOFError) or in the
        middle of one ("got end of file during message", OSError)."""
        self.process.join(timeout=5)
        return ScannerError(f"scan worker ended unexpectedly (exit {self.process.exitcode})")
