"""The one submission path both front ends use (kiosk/station.py), on the real SANE test
scanner and a real folder inbox: what it refuses before scanning, and what it delivers."""

from __future__ import annotations

from pathlib import Path

import pytest

from drivers.scanner.protocol import ColorMode, Source
from kiosk.app import build, embedded_config
from kiosk.core.concerns import concern_by_key
from kiosk.core.identity import parse_case_number
from kiosk.core.receipt import ReceiptStatus
from kiosk.core.records import replace
from kiosk.exits import EXIT_CONFIG, EXIT_INVALID_INPUT, EXIT_STORAGE, for_error
from kiosk.services.spool.outbox import Outbox
from kiosk.station import HeldBatchError, SetupError, Station, StorageError, open_station

CASE = parse_case_number("12345BG0012345")
SICK = concern_by_key("sick")


@pytest.fixture
def station(sane_config: Path) -> Station:
    config = embedded_config()
    scanner = replace(
        config.scanner, sane_config_dir=sane_config, resolution=75, mode=ColorMode.GRAY
    )
    return Station(build(replace(config, scanner=scanner), embedded=True))


def test_a_whole_submission_scans_spools_and_delivers_by_the_routing_table(
    station: Station,
) -> None:
    route = station.route(CASE, SICK)
    assert route.team == "vermittlung-1"  # the embedded table's team for office 12345
    pages = station.scan(station.scan_request(source=Source.ADF))
    assert len(pages) == 10
    outcome = station.submit(CASE, SICK, pages, route)
    assert outcome.receipt.status is ReceiptStatus.DELIVERED
    assert Path(outcome.delivery.where or "").parent.name == "vermittlung-1"
    assert station.check() is None


@pytest.mark.parametrize(
    "inbox", ["webdav://127.0.0.1/x/", "https://a:b@127.0.0.1/in", "http://dms/in"]
)
def test_an_inbox_that_can_never_work_is_refused_as_a_setup_problem(
    station: Station, inbox: str
) -> None:
    with pytest.raises(SetupError) as refused:
        station.route(CASE, SICK, inbox)
    assert for_error(refused.value) == EXIT_CONFIG and "a:b" not in str(refused.value)


def test_full_storage_is_refused_before_anything_is_scanned_and_reported_by_check(
    station: Station, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Outbox, "free_bytes", lambda self: 1024)
    with pytest.raises(StorageError) as refused:
        station.require_storage()
    assert for_error(refused.value) == EXIT_STORAGE
    assert station.check() == "storage"


def test_a_held_batch_resumes_only_for_its_own_case_and_concern(station: Station) -> None:
    pages = station.scan(station.scan_request(source=Source.FLATBED))
    batch = station.hold(CASE, SICK, pages, None)
    with pytest.raises(HeldBatchError) as refused:
        station.resume(batch, CASE, concern_by_key("income"))
    assert for_error(refused.value) == EXIT_INVALID_INPUT
    with pytest.raises(HeldBatchError):
        station.resume("00000000", CASE, SICK)
    assert len(station.resume(batch, CASE, SICK)) == len(pages)  # a refusal loses nothing


def test_a_scanner_set_to_auto_settles_on_the_first_one_found(station: Station) -> None:
    station.device = "auto"
    assert station.scanner_ok() and station.device == "test:0"
    station.device = "nosuch:0"
    assert station.check() == "scanner"


def test_open_station_says_where_its_configuration_came_from() -> None:
    assert open_station(None).origin.startswith("embedded defaults")
