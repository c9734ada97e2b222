"""What runs inside the scan worker process: python-sane calls for one job.

Only this module imports ``sane``, and only inside the worker, so a backend that
hangs or crashes takes down the worker, never the kiosk. What goes over the pipe is
defined in drivers/scanner/messages.py.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import queue
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Protocol, TypeVar

from drivers.scanner import sane_options as so
from drivers.scanner.messages import (
    Alive,
    Configured,
    Describe,
    Described,
    Devices,
    Done,
    Failed,
    Job,
    ListDevices,
    Message,
    PageHeader,
    Scan,
    Step,
)
from drivers.scanner.protocol import (
    Cancelled,
    Capabilities,
    ColorMode,
    DeviceInfo,
    NotFound,
    NotSet,
    ScannerError,
    ScanRequest,
    Setting,
    Source,
    Truncated,
)
from drivers.scanner.reader_threads import Readers
from drivers.scanner.sane_status import fault_from_message
from kiosk.core.faults import Fault

# A request to stop the scan: one byte of shared memory, set by the parent, read here before
# each page and with every line. No lock: a multiprocessing Event takes one for every look,
# and a worker killed while it holds it (the watchdog, a crash, a test's SIGSTOP) would block
# the parent's next scan for ever, outside any watchdog.
CancelFlag = ctypes.c_bool

# -- the part of python-sane 2.9 this module uses (it ships no type information) ----------

Progress = Callable[[int, int], None]  # (lines read so far, lines expected)
# (index, name, title, description, type, unit, size, capabilities, constraint)
OptionRow = tuple[int, str, str, str, int, int, int, int, so.Constraint]


class _RawDevice(Protocol):  # _sane.SaneDev
    def snap(
        self, no_cancel: bool, allow_partial: bool, progress: Progress | None
    ) -> tuple[bytearray, int, int, int, int]: ...  # (data, width, height, samples, size)


class _Device(Protocol):  # sane.SaneDev; options are set as attributes ("br_x")
    @property
    def dev(self) -> _RawDevice: ...

    def get_options(self) -> list[OptionRow]: ...

    def start(self) -> None: ...

    # (format, last_frame, (pixels_per_line, lines), depth, bytes_per_line)
    def get_parameters(self) -> tuple[str, int, tuple[int, int], int, int]: ...

    def cancel(self) -> None: ...

    def close(self) -> None: ...


class _Sane(Protocol):  # the sane module
    def init(self) -> object: ...

    def get_devices(self) -> list[tuple[str, str, str, str]]: ...

    def open(self, devname: str) -> _Device: ...


def child_main(
    conn: Connection,
    config_dir: str | None,
    job: Job,
    cancel: CancelFlag | None,
    heartbeat: float = 0.25,
) -> None:
    """Entry point of the worker process; every outcome is a message on ``conn``.

    From the first moment to the last, the sender thread beats ``Alive`` whenever it had
    nothing else to send for ``heartbeat`` seconds: the parent's watchdog then knows the
    process runs, and what it is doing (see ``_Messages``).
    """
    _load_unwinder()  # before any thread exists: see there
    if config_dir:
        os.environ["SANE_CONFIG_DIR"] = config_dir
    out = _Messages(conn, heartbeat)
    try:
        import sane

        sane.init()  # holds the GIL (no beats): the parent's open_timeout is the bound
        match job:
            case ListDevices():
                found = tuple(DeviceInfo(*row) for row in sane.get_devices())
                out.send(Devices(found))
            case Describe(device=device):
                out.send(Described(_capabilities(sane, device)))
            case Scan(request=request):
                assert cancel is not None
                _scan(sane, out, request, cancel)
        out.send(Done())
    except _Reported:
        pass
    except Exception as err:  # a backend surprise must reach the parent as a fault
        out.send(_failed(err))
    finally:
        out.close()
        conn.close()


def _load_unwinder() -> None:
    """Have glibc load its stack unwinder (libgcc_s) now, while this process has one thread.

    SANE backends read in a thread (sanei_thread) that runs with *asynchronous*
    cancellation, and cancel it with pthread_cancel() when a page ends. glibc (2.34+)
    loads libgcc_s on the first pthread_exit() or pthread_cancel() of a process, with
    dlopen(). At the end of the first page both happen at once: the reader thread's
    pthread_exit() and the main thread's pthread_cancel() dlopen concurrently, and when
    the cancellation lands while the reader is inside dlopen(), it dies holding the
    dynamic linker's TLS lock. The next pthread_create() (sane_start of page 2) then
    waits for that lock forever while the heartbeats go on, and the watchdog reports "did
    not start page 2" after page_timeout (seen with the test backend, Debian 12's glibc
    2.36: the lock's owner was the dead reader thread). backtrace() loads the unwinder
    through the same, cached, path; afterwards neither call dlopens anything.
    """
    with contextlib.suppress(OSError, AttributeError):  # no glibc (musl): nothing to load
        frames = (ctypes.c_void_p * 1)()
        ctypes.CDLL(None).backtrace(frames, 1)


class _Messages:
    """The worker's side of the pipe, with a sender thread.

    Shipping a 26 MB page (A4, 300 dpi, colour) through the pipe takes about as long as
    SANE takes to read it; the thread sends page N while SANE reads page N+1 (both release
    the GIL). At most two pages wait in the queue. Order is kept: everything goes through it.

    Heartbeat: when the queue stayed empty for ``heartbeat`` seconds, the thread sends the
    current ``Alive`` itself, so a beat never waits for (or blocks) the main thread and
    always comes after every message queued before it. ``state`` is written by the main
    thread only (and the progress callback on it), as one object: a beat never sees half
    an update. A SANE call that holds the GIL (python-sane 2.9: sane_init, option setting,
    sane_cancel, sane_close) stops the beats too, which is right: the parent cannot tell it
    from a frozen process, and its stall timeout is the bound for both.
    """

    def __init__(self, conn: Connection, heartbeat: float) -> None:
        self.conn = conn
        self.heartbeat = heartbeat
        self.state = Alive(Step.OPENING)
        self.queue: queue.Queue[tuple[Message, bytes | bytearray | None] | None] = queue.Queue(2)
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            try:
                item = self.queue.get(timeout=self.heartbeat)
            except queue.Empty:
                self._ship(self.state, None)
                continue
            try:
                if item is None:
                    return
                self._ship(*item)
            finally:
                self.queue.task_done()

    def _ship(self, message: Message, data: bytes | bytearray | None) -> None:
        try:
            self.conn.send(message)
            if data is not None:
                self.conn.send_bytes(data)
        except OSError:
            pass  # the parent is gone (watchdog kill, cancel): nothing to tell

    def doing(self, step: Step, page: int = 0, lines: int = 0) -> None:
        self.state = Alive(step, page, lines)

    def flush(self) -> None:
        """Return once everything queued has been handed to the pipe."""
        self.queue.join()

    def send(self, message: Message, data: bytes | bytearray | None = None) -> None:
        self.queue.put((message, data))

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()


class _Reported(Exception):
    """The fault already went to the parent; only clean-up is left."""


def _failed(err: Exception) -> Failed:
    if isinstance(err, ScannerError):
        return Failed(err.fault, err.detail)
    import _sane  # only ever called inside the worker, where python-sane is loaded

    if isinstance(err, _sane.error):
        return Failed(fault_from_message(str(err)), str(err))
    return Failed(Fault.FAILED, f"{type(err).__name__}: {err}")


def _options(dev: _Device) -> list[so.OptionInfo]:
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


def _open(sane: _Sane, device: str) -> _Device:
    import _sane

    try:
        return sane.open(device)
    except _sane.error as err:
        raise NotFound(f"cannot open {device!r}: {err}") from err


def _apply(dev: _Device, settings: Sequence[tuple[str, so.Value]]) -> None:
    for name, value in settings:
        # python-sane's attribute setter reloads the option table when the backend says so.
        setattr(dev, name.replace("-", "_"), value)


@dataclass(frozen=True, slots=True)
class _Plan:
    """How the configured device will scan: what the pages are, and what it could not set."""

    source: Source
    mode: ColorMode | None  # None: whatever the device gives (it has no mode option)
    dpi: int
    not_set: tuple[NotSet, ...]


def _configure(dev: _Device, request: ScanRequest) -> _Plan:
    """Source first, then mode, resolution, area: each from the options as the previous
    step left them (a source can change which modes and resolutions exist)."""
    source = so.choose_source(_options(dev), request.source)
    _apply(dev, source.settings)
    mode = so.choose_mode(_options(dev), request.mode)
    _apply(dev, mode.settings + so.preview_settings(_options(dev)))
    resolution = so.choose_resolution(_options(dev), request.dpi)
    _apply(dev, resolution.settings)
    area = so.choose_area(_options(dev), request.width_mm, request.height_mm)
    _apply(dev, area.settings)
    missing = tuple(c.not_set for c in (source, mode, resolution, area) if c.not_set)
    return _Plan(source.source or request.source, mode.mode, resolution.dpi, missing)


_Choice = TypeVar("_Choice", Source, ColorMode)


def _offered(
    opts: list[so.OptionInfo],
    wanted: Sequence[_Choice],
    choose: Callable[[list[so.OptionInfo], _Choice], so.Choice],
) -> tuple[_Choice, ...]:
    """The values (sources, modes) the backend's options can be set to exactly."""
    found = []
    for value in wanted:
        with contextlib.suppress(ScannerError):
            if choose(opts, value).not_set is None:
                found.append(value)
    return tuple(found)


def _capabilities(sane: _Sane, device: str) -> Capabilities:
    dev = _open(sane, device)
    try:
        opts = _options(dev)
        dpis = sorted({so.choose_resolution(opts, d).dpi for d in (150, 200, 300, 600)})
        fixed = (
            (Setting.SOURCE, so.choose_source(opts, Source.ADF).not_set),
            (Setting.MODE, so.choose_mode(opts, ColorMode.COLOR).not_set),
            (Setting.RESOLUTION, so.choose_resolution(opts, 300).not_set),
            (Setting.AREA, so.choose_area(opts, 210.0, 297.0).not_set),
        )
        return Capabilities(
            sources=_offered(opts, list(Source), so.choose_source),
            modes=_offered(opts, list(ColorMode), so.choose_mode),
            resolutions=() if fixed[2][1] else tuple(dpis),
            fixed=tuple(setting for setting, missing in fixed if missing is not None),
        )
    finally:
        dev.close()


def _scan(sane: _Sane, out: _Messages, request: ScanRequest, cancel: CancelFlag) -> None:
    dev = _open(sane, request.device)
    try:
        _scan_pages(dev, out, request, cancel)
    except Exception as err:
        # Tell the parent first: sane_cancel() itself can block (seen with the test
        # backend after an injected status), and the parent must not mistake that for a
        # hung scan. The parent kills this process if clean-up takes too long.
        out.send(_failed(err))
        # Wait until it is really sent: the clean-up below can block, and python-sane 2.9
        # calls sane_close() without releasing the GIL, so the sender thread would never
        # run and the parent would see a "hung" scanner (seen: SANE test backend, CI).
        out.flush()
        raise _Reported() from err
    finally:
        out.doing(Step.CLOSING)
        try:
            dev.cancel()
        finally:
            dev.close()


class _Progress:
    """python-sane's per-line callback: the line count for the heartbeat, and the way to
    cancel."""

    def __init__(
        self, dev: _Device, out: _Messages, cancel: CancelFlag, page: int, readers: Readers
    ):
        self.dev, self.out, self.cancel, self.page = dev, out, cancel, page
        self.readers = readers
        self.cancelled = False

    def __call__(self, line: int, total: int) -> None:
        # Never raise in here: python-sane 2.9 dereferences the callback's NULL result and
        # segfaults. sane_cancel() makes the next read fail instead.
        if self.cancel.value and not self.cancelled:
            self.cancelled = True
            self.dev.cancel()
        if line == total - 1:  # the last line is next: its read may cancel the reader
            self.readers.wait_ended()
        self.out.doing(Step.READING, self.page, line)


def _scan_pages(dev: _Device, out: _Messages, request: ScanRequest, cancel: CancelFlag) -> None:
    out.doing(Step.CONFIGURING)
    plan = _configure(dev, request)
    dpi = plan.dpi
    out.send(Configured(dpi, plan.not_set))
    readers = Readers()  # see drivers/scanner/reader_threads.py
    index = 0
    while True:
        if cancel.value:
            raise Cancelled(f"cancelled before page {index + 1}")
        out.doing(Step.STARTING, index + 1)
        _apply(dev, list(request.page_options.get(index, {}).items()))
        readers.start(dev.start)  # an empty feeder raises NO_PAPER: the parent decides
        expected = dev.get_parameters()[2][1]  # lines, or -1 for a hand scanner
        out.doing(Step.READING, index + 1)
        progress = _Progress(dev, out, cancel, index + 1, readers)
        data, width, height, samples, _size = dev.dev.snap(True, False, progress)
        if height == 0 or (expected > 0 and height < expected):
            # A cancelled or broken transfer can end early without an error.
            raise Truncated(f"page {index + 1}: {height} of {expected} lines")
        # What the pixels are: black-and-white only when it was really set (a gray switch
        # without a lineart setting gives gray pages, even for a BW request).
        page_mode = (
            ColorMode.COLOR
            if samples == 3
            else (ColorMode.BW if plan.mode is ColorMode.BW else ColorMode.GRAY)
        )
        # python-sane's bytearray follows the header as raw bytes, sent without a copy.
        out.send(PageHeader(width, height, page_mode, dpi), data)
        index += 1
        # A device without a source option is taken for a flatbed: one sheet (SANE's pnm
        # backend would return the same file for ever).
        if plan.source is Source.FLATBED or index >= request.max_pages:
            break
