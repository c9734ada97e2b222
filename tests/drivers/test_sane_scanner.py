"""What only the real SANE adapter does: worker process, watchdog, A4 geometry."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from pathlib import Path

import pytest

from drivers.sane_scanner import SaneScanner
from drivers.scanner import ColorMode, Hung, ScannedPage, ScannerError, ScanRequest, Source

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
    scanner = SaneScanner(sane_config, stall_timeout=0.1, page_timeout=60)
    request = ScanRequest("test:0", Source.ADF, ColorMode.COLOR, 300, page_options={1: SLOW})
    started = time.monotonic()
    with pytest.raises(Hung) as caught:
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
