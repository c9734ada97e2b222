"""What runs inside the scan worker process: python-sane calls for one request.

Only this module imports ``sane``, and only inside the worker, so a backend that
hangs or crashes takes down the worker, never the kiosk.
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Event
from typing import Any

from drivers.scanner import sane_options as so
from drivers.scanner.protocol import (
    Cancelled,
    ColorMode,
    NotFound,
    ScannerError,
    ScanRequest,
    Source,
    Truncated,
)
from drivers.scanner.sane_status import fault_from_message
from kiosk.core.faults import Fault


def child_main(
    conn: Connection,
    config_dir: str | None,
    op: str,
    payload: Any,
    cancel: Event | None,
    heartbeat: float = 0.25,
) -> None:
    """Entry point of the worker process; every outcome is a message on ``conn``.

    From the first moment to the last, the sender thread beats ``("alive", state)``
    whenever it had nothing else to send for ``heartbeat`` seconds: the parent's watchdog
    then knows the process runs, and what it is doing (see ``_Messages``).
    """
    if config_dir:
        os.environ["SANE_CONFIG_DIR"] = config_dir
    out = _Messages(conn, heartbeat)
    try:
        import sane

        sane.init()  # holds the GIL (no beats): the parent's open_timeout is the bound
        if op == "devices":
            out.send(("result", [tuple(d) for d in sane.get_devices()]))
        elif op == "capabilities":
            out.send(("result", _capabilities(sane, payload)))
        elif op == "scan":
            assert cancel is not None
            _scan(sane, out, payload, cancel)
        out.send(("done", None))
    except _Reported:
        pass
    except Exception as err:  # a backend surprise must reach the parent as a fault
        out.send(_error_message(err))
    finally:
        out.close()
        conn.close()


# What the worker is doing, in its heartbeats: (step, page, lines). Pages count from 1.
OPENING, CONFIGURING, STARTING, READING, CLOSING = (
    "opening",  # sane_init, sane_open (and the whole of a devices/capabilities call)
    "configuring",  # setting source, mode, resolution, geometry
    "starting",  # page options, sane_start (the feeder pulls a sheet), sane_get_parameters
    "reading",  # snap(): lines counts the lines read so far
    "closing",  # sane_cancel, sane_close
)
State = tuple[str, int, int]


class _Messages:
    """The worker's side of the pipe, with a sender thread.

    Shipping a 26 MB page (A4, 300 dpi, colour) through the pipe takes about as long as
    SANE takes to read it; the thread sends page N while SANE reads page N+1 (both release
    the GIL). At most two pages wait in the queue. Order is kept: everything goes through it.

    Heartbeat: when the queue stayed empty for ``heartbeat`` seconds, the thread sends
    ``("alive", state)`` itself, so a beat never waits for (or blocks) the main thread and
    always comes after every message queued before it. ``state`` is written by the main
    thread only (and the progress callback on it), as one tuple: a beat never sees half an
    update. A SANE call that holds the GIL (python-sane 2.9: sane_init, option setting,
    sane_cancel, sane_close) stops the beats too, which is right: the parent cannot tell it from a
    frozen process, and its stall timeout is the bound for both.
    """

    def __init__(self, conn: Connection, heartbeat: float) -> None:
        self.conn = conn
        self.heartbeat = heartbeat
        self.state: State = (OPENING, 0, 0)
        self.queue: queue.Queue[tuple[Any, bytes | bytearray | None] | None] = queue.Queue(2)
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            try:
                item = self.queue.get(timeout=self.heartbeat)
            except queue.Empty:
                self._ship(("alive", self.state), None)
                continue
            try:
                if item is None:
                    return
                self._ship(*item)
            finally:
                self.queue.task_done()

    def _ship(self, message: Any, data: bytes | bytearray | None) -> None:
        try:
            self.conn.send(message)
            if data is not None:
                self.conn.send_bytes(data)
        except OSError:
            pass  # the parent is gone (watchdog kill, cancel): nothing to tell

    def doing(self, step: str, page: int = 0, lines: int = 0) -> None:
        self.state = (step, page, lines)

    def flush(self) -> None:
        """Return once everything queued has been handed to the pipe."""
        self.queue.join()

    def send(self, message: Any, data: bytes | bytearray | None = None) -> None:
        self.queue.put((message, data))

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()


class _Reported(Exception):
    """The fault already went to the parent; only clean-up is left."""


def _error_message(err: Exception) -> tuple[str, tuple[str, str]]:
    if isinstance(err, ScannerError):
        return "error", (err.fault.value, err.detail)
    import _sane  # only ever called inside the worker, where python-sane is loaded

    if isinstance(err, _sane.error):
        return "error", (fault_from_message(str(err)).value, str(err))
    return "error", (Fault.FAILED.value, f"{type(err).__name__}: {err}")


def _options(dev: Any) -> list[so.OptionInfo]:
    import _sane

    infos = []
    for index, name, _title, _desc, typ, _unit, _size, cap, constraint in dev.get_options():
        if not name or typ not in (so.TYPE_BOOL, so.TYPE_INT, so.TYPE_FIXED, so.TYPE_STRING):
            continue
        del index
        infos.append(
            so.OptionInfo(
                name=name,
                type=typ,
                constraint=constraint,
                active=bool(_sane.OPTION_IS_ACTIVE(cap)),
                settable=bool(_sane.OPTION_IS_SETTABLE(cap)),
            )
        )
    return infos


def _open(sane: Any, device: str) -> Any:
    import _sane

    try:
        return sane.open(device)
    except _sane.error as err:
        raise NotFound(f"cannot open {device!r}: {err}") from err


def _apply(dev: Any, settings: list[tuple[str, so.Value]]) -> None:
    for name, value in settings:
        # python-sane's attribute setter reloads the option table when the backend says so.
        setattr(dev, name.replace("-", "_"), value)


def _configure(dev: Any, request: ScanRequest) -> None:
    _apply(dev, so.source_settings(_options(dev), request.source))
    _apply(dev, so.mode_settings(_options(dev), request.mode))
    _apply(dev, so.resolution_settings(_options(dev), request.dpi))
    _apply(dev, so.geometry_settings(_options(dev), request.width_mm, request.height_mm))


def _offered(opts: list[so.OptionInfo], wanted: list[Any], settings: Any) -> list[str]:
    """The values (sources, modes) for which the backend's options have a match."""
    found = []
    for value in wanted:
        with contextlib.suppress(ScannerError):
            settings(opts, value)
            found.append(value.value)
    return found


def _capabilities(sane: Any, device: str) -> dict[str, Any]:
    dev = _open(sane, device)
    try:
        opts = _options(dev)
        sources = _offered(opts, list(Source), so.source_settings)
        modes = _offered(opts, list(ColorMode), so.mode_settings)
        res = next((o for o in opts if o.name == "resolution"), None)
        dpis = (
            sorted({int(so.snap_value(res.constraint, d)) for d in (150, 200, 300, 600)})
            if res
            else []
        )
        return {"sources": sources, "modes": modes, "resolutions": dpis}
    finally:
        dev.close()


def _scan(sane: Any, out: _Messages, request: ScanRequest, cancel: Event) -> None:
    dev = _open(sane, request.device)
    try:
        _scan_pages(dev, out, request, cancel)
    except Exception as err:
        # Tell the parent first: sane_cancel() itself can block (seen with the test
        # backend after an injected status), and the parent must not mistake that for a
        # hung scan. The parent kills this process if clean-up takes too long.
        out.send(_error_message(err))
        # Wait until it is really sent: the clean-up below can block, and python-sane 2.9
        # calls sane_close() without releasing the GIL, so the sender thread would never
        # run and the parent would see a "hung" scanner (seen: SANE test backend, CI).
        out.flush()
        raise _Reported() from err
    finally:
        out.doing(CLOSING)
        try:
            dev.cancel()
        finally:
            dev.close()


class _Progress:
    """python-sane's per-line callback: the line count for the heartbeat, and the way to
    cancel."""

    def __init__(self, dev: Any, out: _Messages, cancel: Event, page: int):
        self.dev, self.out, self.cancel, self.page = dev, out, cancel, page
        self.cancelled = False

    def __call__(self, line: int, total: int) -> None:
        # Never raise in here: python-sane 2.9 dereferences the callback's NULL result and
        # segfaults. sane_cancel() makes the next read fail instead.
        if self.cancel.is_set() and not self.cancelled:
            self.cancelled = True
            self.dev.cancel()
        self.out.doing(READING, self.page, line)


def _scan_pages(dev: Any, out: _Messages, request: ScanRequest, cancel: Event) -> None:
    out.doing(CONFIGURING)
    _configure(dev, request)
    mode = request.mode
    dpi = so.effective_dpi(so.resolution_settings(_options(dev), request.dpi), request.dpi)
    out.send(("configured", {"dpi": dpi}))
    index = 0
    while True:
        if cancel.is_set():
            raise Cancelled(f"cancelled before page {index + 1}")
        out.doing(STARTING, index + 1)
        _apply(dev, list(request.page_options.get(index, {}).items()))
        dev.start()  # an empty feeder raises NO_PAPER here; the parent decides what it means
        expected = dev.get_parameters()[2][1]  # lines, or -1 for a hand scanner
        out.doing(READING, index + 1)
        progress = _Progress(dev, out, cancel, index + 1)
        data, width, height, samples, _size = dev.dev.snap(True, False, progress)
        if height == 0 or (expected > 0 and height < expected):
            # A cancelled or broken transfer can end early without an error.
            raise Truncated(f"page {index + 1}: {height} of {expected} lines")
        page_mode = (
            ColorMode.COLOR
            if samples == 3
            else (ColorMode.BW if mode is ColorMode.BW else ColorMode.GRAY)
        )
        meta = {"width": width, "height": height, "mode": page_mode.value, "dpi": dpi}
        out.send(("page", meta), data)  # python-sane's bytearray, sent without a copy
        index += 1
        if request.source is Source.FLATBED or index >= request.max_pages:
            break
