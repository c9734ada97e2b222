"""What only the real SANE adapter does: worker process, watchdog, A4 geometry."""

from __future__ import annotations

import functools
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from drivers.scanner import sane_scanner as sane_scanner_module
from drivers.scanner.protocol import ColorMode, Hung, ScannedPage, ScannerError, ScanRequest, Source
from drivers.scanner.sane_scanner import SaneScanner
from drivers.scanner.sane_worker import child_main

ROOT = Path(__file__).resolve().parents[2]

# The test backend's read-delay makes each pipe buffer wait 200 ms: an A4 page at 300 dpi
# then takes minutes, and the gap between two data buffers is longer than the timeouts.
SLOW = {"read-delay": True, "read-delay-duration": 200000}


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
    # The worker keeps beating while SANE waits for data: it is the line count that stalls.
    scanner = SaneScanner(sane_config, stall_timeout=0.1, page_timeout=60)
    request = ScanRequest("test:0", Source.ADF, ColorMode.COLOR, 300, page_options={1: SLOW})
    started = time.monotonic()
    with pytest.raises(Hung, match="sent no data for 0.1 s while reading page 2") as caught:
        scanner.scan(request)
    assert len(caught.value.pages) == 1
    assert time.monotonic() - started < 20  # nowhere near the minutes the page would take


def test_watchdog_page_deadline_stops_a_page_that_never_ends(sane_config: Path) -> None:
    # Heartbeats keep coming, so only the per-page deadline can stop this one.
    scanner = SaneScanner(sane_config, stall_timeout=30, page_timeout=1.5)
    request = ScanRequest("test:0", Source.FLATBED, ColorMode.COLOR, 300, page_options={0: SLOW})
    started = time.monotonic()
    with pytest.raises(Hung, match="longer than"):
        scanner.scan(request)
    assert time.monotonic() - started < 20


def _child_with_slow_calls(*args: Any, delays: dict[tuple[str, int], float | None]) -> None:
    """The real worker (child_main, SANE's test backend), with python-sane's ``start`` or
    ``get_parameters`` made slow for the pages in ``delays`` (None: it never returns).

    A stand-in at the Python level, for want of a real one: the test backend's start() and
    get_parameters() return within microseconds whatever the options (read-delay and
    read-limit only slow sane_read, inside snap()). Like python-sane's own calls, the wait
    releases the GIL, as a feeder pulling a sheet in sane_start() would.
    """
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
    monkeypatch: pytest.MonkeyPatch, delays: dict[tuple[str, int], float | None]
) -> None:
    # Only the worker's entry point is swapped: the parent, pipe and watchdog are the real ones.
    child = functools.partial(_child_with_slow_calls, delays=delays)
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
    sane_config: Path,
) -> None:
    # A frozen process (or a SANE call holding the GIL) stops the heartbeat too.
    def freeze_worker(page: ScannedPage) -> None:
        for child in multiprocessing.active_children():
            os.kill(child.pid, signal.SIGSTOP)  # type: ignore[arg-type]

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
    sane_scanner: SaneScanner, dpi: int
) -> None:
    # A segfaulting backend kills its process; simulate that with SIGKILL mid-batch.
    def crash_after_two(page: ScannedPage) -> None:
        if len(seen) == 1:
            for child in multiprocessing.active_children():
                os.kill(child.pid, signal.SIGKILL)  # type: ignore[arg-type]
        seen.append(page)

    seen: list[ScannedPage] = []
    with pytest.raises(ScannerError, match="ended unexpectedly") as caught:
        sane_scanner.scan(ScanRequest("test:0", Source.ADF, dpi=dpi), crash_after_two)
    assert 2 <= len(caught.value.pages) < 10
    assert sane_scanner.scan(ScanRequest("test:0", Source.FLATBED, dpi=75))  # and it still works


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
