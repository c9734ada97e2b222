"""The same scanner contract, run against the in-memory fake and SANE's real `test` backend."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from drivers.fakes import FakeScanner
from drivers.scanner.protocol import (
    Cancelled,
    ColorMode,
    Fault,
    NoPaper,
    NotFound,
    ScannedPage,
    Scanner,
    ScannerError,
    ScanRequest,
    Source,
    Unsupported,
)
from drivers.scanner.sane_scanner import SaneScanner
from tests.conftest import SANE_STATUS_FOR_FAULT

# Small pages keep the suite fast; one test scans real A4 at 300 dpi.
DPI = 75
Make = Callable[..., tuple[Scanner, ScanRequest]]


@pytest.fixture(params=["fake", "sane"])
def make(request: pytest.FixtureRequest, sane_config: Path) -> Make:
    """make(faults={page: fault}, **request_fields) -> (scanner, request)."""

    def build(
        faults: dict[int, Fault] | None = None, **fields: object
    ) -> tuple[Scanner, ScanRequest]:
        faults = faults or {}
        if request.param == "fake":
            fields.setdefault("device", "fake:0")
            return FakeScanner(faults=faults), ScanRequest(dpi=DPI, **fields)  # type: ignore[arg-type]
        fields.setdefault("device", "test:0")
        options = {
            page: {"read-return-value": SANE_STATUS_FOR_FAULT[f.value]}
            for page, f in faults.items()
        }
        return SaneScanner(sane_config), ScanRequest(dpi=DPI, page_options=options, **fields)  # type: ignore[arg-type]

    return build


def test_feeder_batch_returns_every_page_in_order(make: Make) -> None:
    scanner, request = make(source=Source.ADF)
    seen: list[ScannedPage] = []
    pages = scanner.scan(request, seen.append)
    assert len(pages) == 10
    # The callback saw each page as it arrived, in order, with its pixels; the batch's
    # list keeps each page without them (a long colour batch would not fit in memory).
    assert [p.handed_over() for p in seen] == pages
    assert all(
        len(p.pixels) == p.width * p.height * (3 if p.mode is ColorMode.COLOR else 1) for p in seen
    )
    assert all(p.pixels == b"" for p in pages)


def test_flatbed_scans_one_page(make: Make) -> None:
    scanner, request = make(source=Source.FLATBED)
    assert len(scanner.scan(request)) == 1


@pytest.mark.parametrize(
    "mode,bytes_per_pixel", [(ColorMode.COLOR, 3), (ColorMode.GRAY, 1), (ColorMode.BW, 1)]
)
def test_modes_give_the_promised_pixel_layout(
    make: Make, mode: ColorMode, bytes_per_pixel: int
) -> None:
    scanner, request = make(source=Source.FLATBED, mode=mode)
    (page,) = scanner.scan(request)
    assert page.mode is mode
    assert page.dpi == DPI
    # A4 at 75 dpi: 620 x 877 pixels (one line either way for rounding)
    assert page.width == 620 and abs(page.height - 877) <= 1
    assert len(page.pixels) == page.width * page.height * bytes_per_pixel
    if mode is ColorMode.BW:
        assert set(page.pixels) <= {0, 255}


# Every status the SANE test backend can inject, as the typed error it must become.
INJECTABLE = [f for f in Fault if f.value in SANE_STATUS_FOR_FAULT]


@pytest.mark.parametrize("fault", INJECTABLE, ids=str)
def test_fault_at_the_first_page_is_typed_and_has_no_pages(make: Make, fault: Fault) -> None:
    scanner, request = make(faults={0: fault}, source=Source.ADF)
    with pytest.raises(ScannerError) as caught:
        scanner.scan(request)
    assert caught.value.fault is fault
    assert caught.value.pages == ()


@pytest.mark.parametrize("fault", [f for f in INJECTABLE if f is not Fault.NO_PAPER], ids=str)
def test_fault_mid_batch_keeps_the_pages_scanned_before(make: Make, fault: Fault) -> None:
    scanner, request = make(faults={3: fault}, source=Source.ADF)
    with pytest.raises(ScannerError) as caught:
        scanner.scan(request)
    assert caught.value.fault is fault
    assert len(caught.value.pages) == 3
    assert all(p.height > 0 for p in caught.value.pages)


def test_empty_feeder_after_some_pages_ends_the_batch_normally(make: Make) -> None:
    scanner, request = make(faults={4: Fault.NO_PAPER}, source=Source.ADF)
    assert len(scanner.scan(request)) == 4


def test_empty_feeder_at_the_start_is_no_paper_not_an_empty_success(make: Make) -> None:
    scanner, request = make(faults={0: Fault.NO_PAPER}, source=Source.ADF)
    with pytest.raises(NoPaper):
        scanner.scan(request)


def test_duplex_on_a_simplex_scanner_is_unsupported(make: Make) -> None:
    scanner, request = make(source=Source.DUPLEX)
    with pytest.raises(Unsupported):
        scanner.scan(request)


def test_unknown_device_is_not_found(make: Make) -> None:
    scanner, request = make(device="nosuch:0")
    with pytest.raises(NotFound):
        scanner.scan(request)


def test_cancel_during_a_batch_keeps_the_pages_so_far(make: Make) -> None:
    scanner, request = make(source=Source.ADF)

    def cancel_after_second(page: ScannedPage) -> None:
        if len(seen) == 1:
            scanner.cancel()  # type: ignore[attr-defined]
        seen.append(page)

    seen: list[ScannedPage] = []
    with pytest.raises(Cancelled) as caught:
        scanner.scan(request, cancel_after_second)
    assert 2 <= len(caught.value.pages) < 10
    assert list(caught.value.pages) == [p.handed_over() for p in seen[: len(caught.value.pages)]]


def test_devices_and_capabilities(make: Make) -> None:
    scanner, request = make()
    names = [d.name for d in scanner.devices()]
    assert request.device in names
    caps = scanner.capabilities(request.device)
    assert {Source.FLATBED, Source.ADF} <= set(caps.sources)
    assert Source.DUPLEX not in caps.sources
    assert set(caps.modes) == set(ColorMode)
    assert 300 in caps.resolutions


def test_a_batch_never_runs_past_its_page_cap(make: Make) -> None:
    scanner, request = make(source=Source.ADF, max_pages=4)
    assert len(scanner.scan(request)) == 4
