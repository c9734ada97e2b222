"""A scanner faster than the page pipeline waits for it: raw pages never pile up in memory."""

from __future__ import annotations

import threading
import time

import pytest

from drivers.fakes import FakeScanner
from drivers.scanner.protocol import ColorMode, ScannedPage, ScanRequest, Source
from kiosk.core.faults import Fault
from kiosk.services.pages import scanjob
from kiosk.services.pages.imaging import EncodedPage
from kiosk.services.pages.scanjob import ScanStopped, scan_encoded


class Counting:
    """Pages the scanner has handed over that the pipeline has not finished yet."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.alive = 0
        self.most = 0

    def arrived(self) -> None:
        with self.lock:
            self.alive += 1
            self.most = max(self.most, self.alive)

    def done(self) -> None:
        with self.lock:
            self.alive -= 1


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch) -> Counting:
    count = Counting()
    real = scanjob.process_page

    def slow(page: ScannedPage, mode: str) -> EncodedPage:
        time.sleep(0.05)  # the pipeline at work; the fake scanner takes no time at all
        try:
            return real(page, mode)
        finally:
            count.done()

    monkeypatch.setattr(scanjob, "process_page", slow)
    return count


class InstantFeeder(FakeScanner):
    def __init__(self, count: Counting, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.count = count

    def _page(self, request: ScanRequest, index: int) -> ScannedPage:
        page = super()._page(request, index)  # type: ignore[misc]
        self.count.arrived()
        return page


def test_the_scanner_waits_while_a_page_waits_for_the_pipeline(counting: Counting) -> None:
    scanner = InstantFeeder(counting, sheets=10)
    pages = scan_encoded(scanner, ScanRequest("fake:0", Source.ADF, ColorMode.COLOR, 75))
    assert len(pages) == 10  # nothing lost by waiting
    # One in the pipeline plus the one the scanner holds as it hands it over: never the batch.
    assert counting.most <= 2  # AHEAD = 1


def test_a_jam_after_waiting_keeps_every_page_before_it(counting: Counting) -> None:
    scanner = InstantFeeder(counting, sheets=10, faults={6: Fault.JAMMED})
    with pytest.raises(ScanStopped) as stopped:
        scan_encoded(scanner, ScanRequest("fake:0", Source.ADF, ColorMode.COLOR, 75))
    assert stopped.value.fault is Fault.JAMMED
    assert len(stopped.value.pages) == 6
    assert all(p.report is not None for p in stopped.value.pages)
