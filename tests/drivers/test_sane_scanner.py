"""What only the real SANE adapter does: worker process, watchdog, A4 geometry."""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from drivers.scanner import sane_scanner as sane_scanner_module
from drivers.scanner.messages import Alive, Step
from drivers.scanner.protocol import ColorMode, Hung, ScannedPage, ScannerError, ScanRequest, Source
from drivers.scanner.sane_scanner import SaneScanner, _Worker
from drivers.scanner.sane_worker import child_main

ROOT = Path(__file__).resolve().parents[2]

# The test backend's read-delay makes each pipe buffer wait 200 ms: an A4 page at 300 dpi
# then takes minutes, and the gap between two data buffers is longer than the timeouts.
SLOW: dict[str, str | int | float | bool] = {"read-delay": True, "read-delay-duration": 200000}


@pytest.fixture
def workers(monkeypatch: pytest.MonkeyPatch) -> list[_Worker]:
    """Every worker the scanner starts in this test, so a test signals its own worker only
    (never whatever else ``multiprocessing.active_children()`` may hold)."""
    started: list[_Worker] = []

    class Recorded(_Worker):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            started.append(self)

    monkeypatch.setattr(sane_scanner_module, "_Worker", Recorded)
    return started


def test_a_whole_a4_page_at_300_dpi(sane_scanner: SaneScanner) -> None:
    # Debian's test.conf stops at 200 mm; the shipped one is raised so A4 fits.
    (page,) = sane_scanner.scan(ScanRequest("test:0", Source.FLATBED, ColorMode.COLOR, 300))
    assert (page.width, page.height) == (2480, 3507)  # 210 x 297 mm at 300 dpi, floored


def test_resolution_is_snapped_to_what_the_device_offers(sane_scanner: SaneScanner) -> None:
    # The test backend takes 1..1200 dpi: 2000 is clamped, not refused.
    (page,) = sane_scanner.scan(
        ScanRequest("test:0", Source.FLATBED, ColorMode.GRAY, 2000, width_mm=10, height_mm=10)
    )
    assert page.dpi == 1200
    assert page.width == round(10 / 25.4 * 1200) or page.width == int(10 / 25.4 * 1200)


def test_watchdog_stops_a_backend_that_stalls_and_keeps_earlier_pages(sane_config: Path) -> None:
    # The test backend's read-delay holds each buffer 200 ms at most, so the stall bound is
    # short; small pages keep page 1 (which must arrive whole) quick on a loaded machine.
    scanner = SaneScanner(sane_config, stall_timeout=0.1, page_timeout=60)
    request = ScanRequest(
        "test:0", Source.ADF, ColorMode.COLOR, 300, 50, 50, page_options={1: SLOW}
    )
    started = time.monotonic()
    # The line count stalls while the worker beats ("no data"); on a loaded machine a beat
    # may be late as well, and silence is what is said then. Either way page 2 is stopped.
    # (That beats go on through a slow read: test_watchdog_page_deadline_... below.)
    with pytest.raises(
        Hung, match=r"sent (no data|nothing) for 0.1 s while reading page 2"
    ) as caught:
        scanner.scan(request)
    assert len(caught.value.pages) == 1
    assert time.monotonic() - started < 20  # stopped early, with room for a loaded machine


def test_watchdog_page_deadline_stops_a_page_that_never_ends(sane_config: Path) -> None:
    # Heartbeats keep coming, so only the per-page deadline can stop this one.
    scanner = SaneScanner(sane_config, stall_timeout=30, page_timeout=1.5)
    request = ScanRequest("test:0", Source.FLATBED, ColorMode.COLOR, 300, page_options={0: SLOW})
    started = time.monotonic()
    with pytest.raises(Hung, match="longer than"):
        scanner.scan(request)
    assert time.monotonic() - started < 20


def _child_with_slow_calls(
    *args: Any, delays: dict[tuple[str, int], float | None], helper_pid: Path | None = None
) -> None:
    """The real worker (child_main, SANE's test backend), with python-sane's ``start`` or
    ``get_parameters`` made slow for the pages in ``delays`` (None: it never returns).

    A stand-in at the Python level, for want of a real one: the test backend's start() and
    get_parameters() return within microseconds whatever the options (read-delay and
    read-limit only slow sane_read, inside snap()). Like python-sane's own calls, the wait
    releases the GIL, as a feeder pulling a sheet in sane_start() would.

    With ``helper_pid``, the worker first forks a helper that outlives it by a minute,
    as a backend's reader process (sanei_thread without pthreads) or a helper program
    would: it inherits the worker's end of the pipe, so the parent sees no end of file
    when the worker dies. Its pid goes to that file, for the test to stop it.
    """
    if helper_pid is not None:
        pid = os.fork()  # before child_main starts any thread
        if pid == 0:
            time.sleep(60)  # the helper, holding every file descriptor of the worker
            os._exit(0)
        helper_pid.write_text(str(pid))
    import sane

    calls: Counter[str] = Counter()

    def slowed(name: str) -> Any:
        original = getattr(sane.SaneDev, name)

        def call(self: Any) -> Any:
            calls[name] += 1
            delay = delays.get((name, calls[name]), 0.0)
            if delay is None:
                threading.Event().wait()  # a backend that never returns
            elif delay:
                time.sleep(delay)  # the simulated device's latency, not synchronisation
            return original(self)

        return call

    for name in {name for name, _page in delays}:
        setattr(sane.SaneDev, name, slowed(name))
    child_main(*args)


def _slow_calls(
    monkeypatch: pytest.MonkeyPatch,
    delays: dict[tuple[str, int], float | None],
    helper_pid: Path | None = None,
) -> None:
    # Only the worker's entry point is swapped: the parent, pipe and watchdog are the real ones.
    child = functools.partial(_child_with_slow_calls, delays=delays, helper_pid=helper_pid)
    monkeypatch.setattr(sane_scanner_module, "child_main", child)


def test_a_slow_start_or_get_parameters_is_not_a_stall(
    sane_config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Issue 9: between pages (and in start()) the worker used to send nothing at all.
    _slow_calls(monkeypatch, {("get_parameters", 1): 1.5, ("start", 2): 1.5})
    scanner = SaneScanner(sane_config, stall_timeout=0.5, page_timeout=60)
    pages = scanner.scan(ScanRequest("test:0", Source.ADF, ColorMode.GRAY, 75))
    assert len(pages) == 10


def test_a_start_that_never_returns_is_stopped_by_the_page_deadline(
    sane_config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _slow_calls(monkeypatch, {("start", 2): None})
    scanner = SaneScanner(sane_config, stall_timeout=0.5, page_timeout=2)
    started = time.monotonic()
    with pytest.raises(Hung, match="did not start page 2 within 2 s") as caught:
        scanner.scan(ScanRequest("test:0", Source.ADF, ColorMode.GRAY, 75))
    assert len(caught.value.pages) == 1
    assert time.monotonic() - started < 20


def test_a_worker_that_sends_nothing_at_all_is_stopped_by_the_stall_timeout(
    sane_config: Path, workers: list[_Worker]
) -> None:
    # A frozen process (or a SANE call holding the GIL) stops the heartbeat too.
    def freeze_worker(page: ScannedPage) -> None:
        os.kill(_pid(workers[-1]), signal.SIGSTOP)

    scanner = SaneScanner(sane_config, stall_timeout=0.5, page_timeout=60)
    started = time.monotonic()
    with pytest.raises(Hung, match="sent nothing for 0.5 s") as caught:
        scanner.scan(ScanRequest("test:0", Source.ADF, ColorMode.GRAY, 75), freeze_worker)
    assert 1 <= len(caught.value.pages) < 10
    assert time.monotonic() - started < 20


def test_a_scanner_that_never_scans_makes_no_semaphore(sane_config: Path) -> None:
    scanner = SaneScanner(sane_config)
    scanner.cancel()  # nothing to stop yet: harmless
    assert scanner.devices()
    assert scanner._cancel is None
    assert len(scanner.scan(ScanRequest("test:0", Source.FLATBED, dpi=75))) == 1  # not cancelled
    assert scanner._cancel is not None


def test_a_process_that_never_scans_leaves_no_semaphore_behind() -> None:
    # `kiosk deliver` builds a SaneScanner and is stopped by SIGTERM: the resource tracker
    # used to warn about leaked semaphores. It writes to the same stderr, and the pipe ends
    # only once it has exited too, so communicate() sees its warning if there is one.
    code = (
        "import sys\n"
        "from drivers.scanner.sane_scanner import SaneScanner\n"
        "scanner = SaneScanner()\n"
        "scanner.cancel()\n"
        "print('ready', flush=True)\n"
        "sys.stdin.read()\n"
    )
    with subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as child:
        assert child.stdout is not None
        assert child.stdout.readline() == "ready\n"
        child.send_signal(signal.SIGTERM)
        _out, err = child.communicate(timeout=30)
    assert child.returncode == -signal.SIGTERM
    assert "semaphore" not in err, err


# At 300 dpi colour the next 26 MB page is on its way when the kill lands: the worker dies
# in the middle of a message, not between two.
@pytest.mark.parametrize("dpi", [75, 300])
def test_a_backend_that_crashes_costs_the_batch_not_the_caller(
    sane_scanner: SaneScanner, workers: list[_Worker], dpi: int
) -> None:
    # A segfaulting backend kills its process; simulate that with SIGKILL mid-batch.
    def crash_after_two(page: ScannedPage) -> None:
        if len(seen) == 1:
            os.kill(_pid(workers[-1]), signal.SIGKILL)
        seen.append(page)

    seen: list[ScannedPage] = []
    with pytest.raises(ScannerError, match="ended unexpectedly") as caught:
        sane_scanner.scan(ScanRequest("test:0", Source.ADF, dpi=dpi), crash_after_two)
    assert 2 <= len(caught.value.pages) < 10
    assert sane_scanner.scan(ScanRequest("test:0", Source.FLATBED, dpi=75))  # and it still works


def _pid(worker: _Worker) -> int:
    pid = worker.process.pid
    assert pid is not None
    return pid


# Where a crash catches the worker: what it says it is doing then (step, page), and what
# keeps it there long enough (slow python-sane calls, backend options per page).
KILL_AT: dict[
    str,
    tuple[
        Step,
        int,
        dict[tuple[str, int], float | None],
        dict[int, dict[str, str | int | float | bool]],
    ],
] = {
    "in-start-of-page-1": (Step.STARTING, 1, {("start", 1): 30.0}, {}),
    "between-pages": (Step.STARTING, 2, {("start", 2): 30.0}, {}),
    "mid-page": (Step.READING, 2, {}, {1: SLOW}),
}


@contextlib.contextmanager
def _kill_when(workers: list[_Worker], reached: Callable[[Alive], bool]) -> Iterator[list[float]]:
    """SIGKILL the scan's worker once its heartbeat says ``reached``; yields [when]."""
    killed: list[float] = []
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.01):
            state = workers[-1].state if workers else None
            if isinstance(state, Alive) and reached(state):
                os.kill(_pid(workers[-1]), signal.SIGKILL)
                killed.append(time.monotonic())
                return

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    try:
        yield killed
    finally:
        done.set()
        thread.join()


@pytest.mark.parametrize("held", [False, True], ids=["pipe-closes", "pipe-held-by-helper"])
@pytest.mark.parametrize("where", list(KILL_AT))
def test_a_worker_killed_at_any_step_is_noticed_at_once(
    sane_config: Path,
    workers: list[_Worker],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    where: str,
    held: bool,
) -> None:
    # A crashing backend ends the batch in moments, not when a watchdog bound runs out:
    # the bounds here are a minute and more, and the worker dies while it is busy.
    step, page, delays, options = KILL_AT[where]
    helper_pid = tmp_path / "helper.pid" if held else None
    _slow_calls(monkeypatch, delays, helper_pid)
    scanner = SaneScanner(sane_config, stall_timeout=60, page_timeout=120)
    request = ScanRequest("test:0", Source.ADF, ColorMode.GRAY, 75, page_options=options)

    def there(state: Alive) -> bool:
        return (
            state.step is step and state.page == page and (step is Step.STARTING or state.lines > 0)
        )

    try:
        with _kill_when(workers, there) as killed, pytest.raises(ScannerError) as caught:
            scanner.scan(request)
        if helper_pid is not None:  # the helper really held the pipe when the worker died
            os.kill(int(helper_pid.read_text()), signal.SIGKILL)
    finally:
        if helper_pid is not None and helper_pid.exists():
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(helper_pid.read_text()), signal.SIGKILL)
    assert killed, f"the worker never got to {step} page {page}"
    assert "ended unexpectedly" in str(caught.value), caught.value
    assert time.monotonic() - killed[0] < 10  # noticed in moments (generous for a loaded CI)
    assert len(caught.value.pages) == page - 1  # the pages before stay


def test_access_denied_is_reported_as_a_fault(sane_scanner: SaneScanner) -> None:
    # Debian's libsane prints the no-docs text for ACCESS_DENIED; either way it must stop
    # the batch with a typed error rather than an empty success.
    request = ScanRequest(
        "test:0",
        Source.ADF,
        dpi=75,
        page_options={0: {"read-return-value": "SANE_STATUS_ACCESS_DENIED"}},
    )
    with pytest.raises(ScannerError):
        sane_scanner.scan(request)
