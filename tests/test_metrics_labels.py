"""`kiosk metrics`, what it may say and where it comes from: counters that two processes
keep at once, the scanner's word only while the kiosk program that found it runs, the
camera's device node, escaped label values from an allow-list, and not one case number."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.core.concerns import concern_by_key
from kiosk.core.identity import parse_case_number
from kiosk.core.redact import case_numbers_in
from kiosk.services.metrics_store import Counters
from kiosk.station import Station
from tests.test_metrics import ROOT, get, needs_promtool, parse, promtool_check

COUNT_IN_ANOTHER_PROCESS = """
import sys
from pathlib import Path
from kiosk.services.metrics_store import Counters
counters = Counters(Path(sys.argv[1]))
print("ready", flush=True)
for _ in range(int(sys.argv[2])):
    counters.delivery("triage", "retry")
"""


def test_two_processes_counting_at_once_lose_no_count(tmp_path: Path) -> None:
    directory, rounds = tmp_path / "metrics", 150
    other = subprocess.Popen(
        [sys.executable, "-c", COUNT_IN_ANOTHER_PROCESS, str(directory), str(rounds)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert other.stdout is not None and other.stdout.readline() == "ready\n"
    counters = Counters(directory)
    for _ in range(rounds):  # while the other process counts too: each update under flock
        counters.session("delivered", 2)
    assert other.wait(timeout=60) == 0
    tally = counters.read()
    assert tally.deliveries == {("triage", "retry"): rounds}
    assert tally.sessions == {"delivered": rounds} and tally.pages == 2 * rounds
    assert oct((directory / "counters.json").stat().st_mode & 0o777) == "0o600"


CANARIES = ("12345BG0077001", "12345//0077002", "987Z654321")  # BG-Nummern, a Kundennummer


@pytest.mark.sane
def test_no_label_value_ever_carries_a_case_number(sane_config: Path) -> None:
    from kiosk.metrics import collect
    from kiosk.services.exposition import render

    station = embedded_station(sane_config)
    pages = station.scan(station.scan_request())
    for case, concern in zip(CANARIES, ("renewal", "sick", "objection"), strict=True):
        number = parse_case_number(case)
        station.submit(
            number, concern_by_key(concern), pages, station.route(number, concern_by_key(concern))
        )
    assert station.kiosk.counters is not None  # a counted "route" that is a case number:
    station.kiosk.counters.delivery("12345BG0077003", "retry")  # folded into "other"
    text = render(collect(station))
    samples = parse(text)
    values = [value for _, labels in samples for _, value in labels]
    assert get(samples, "kiosk_deliveries_total", route="other", result="retry") == 1
    assert get(samples, "kiosk_sessions_total", result="delivered") == 3
    assert all(case_numbers_in(value) == [] for value in values), values
    for case in (*CANARIES, "12345BG0077003"):
        number = parse_case_number(case)
        for spelling in {case, number.value, number.masked()}:
            assert spelling not in text
    routes = {value for _, labels in samples for name, value in labels if name == "route"}
    assert routes == {"triage", "leistung-1", "vermittlung-1", "but", "forderung",
                      "widerspruch", "eingangszone", "other"}  # fmt: skip


def embedded_station(sane_config: Path, device: str = "test:0") -> Station:
    from drivers.scanner.protocol import ColorMode
    from kiosk.app import build, embedded_config
    from kiosk.core.records import replace

    config = embedded_config()
    scanner = replace(
        config.scanner, device=device, sane_config_dir=sane_config, resolution=75,
        mode=ColorMode.GRAY,
    )  # fmt: skip
    return Station(build(replace(config, scanner=scanner), embedded=True))


RECORD_AND_EXIT = """
import sys
from pathlib import Path
from kiosk.services.metrics_store import record_health
record_health(Path(sys.argv[1]), True)
"""


@pytest.mark.sane
def test_the_scanner_is_up_only_while_the_kiosk_program_that_found_it_runs(
    sane_config: Path,
) -> None:
    from kiosk.metrics import collect
    from kiosk.services.exposition import render

    station = embedded_station(sane_config)
    assert station.kiosk.counters is not None
    before = parse(render(collect(station)))
    assert get(before, "kiosk_scanner_up") == 0  # no kiosk program checked yet
    assert get(before, "kiosk_health_checked_timestamp_seconds") is None
    started = time.time()
    assert station.check() is None  # the touch UI's health check, in this (running) process
    found = parse(render(collect(station)))
    assert get(found, "kiosk_scanner_up") == 1
    checked = get(found, "kiosk_health_checked_timestamp_seconds")
    assert checked is not None and started <= checked <= time.time()
    # The same word from a kiosk program that has ended since counts for nothing.
    directory = station.kiosk.counters.directory
    subprocess.run([sys.executable, "-c", RECORD_AND_EXIT, str(directory)], cwd=ROOT, check=True)
    assert get(parse(render(collect(station))), "kiosk_scanner_up") == 0
    # A kiosk program whose scanner is gone.
    missing = embedded_station(sane_config, device="test:7")
    assert missing.check() == "scanner"
    assert get(parse(render(collect(missing))), "kiosk_scanner_up") == 0


def test_the_camera_is_up_while_its_device_node_is_there(tmp_path: Path) -> None:
    from kiosk.metrics import camera_present

    node = tmp_path / "usb-Camera-video-index0"
    assert camera_present("none") is None
    assert camera_present(str(node)) is False
    node.touch()
    assert camera_present(str(node)) is True


@needs_promtool
def test_label_values_are_escaped_and_label_names_come_from_the_allow_list() -> None:
    from kiosk.services.exposition import Family, render

    odd = 'Kiosk "Nord"\\2\nEG'
    text = render([Family("kiosk_info", "gauge", "line\none \\ two").add(1, kiosk=odd)])
    assert text.splitlines() == [
        "# HELP kiosk_info line\\none \\\\ two",
        "# TYPE kiosk_info gauge",
        'kiosk_info{kiosk="Kiosk \\"Nord\\"\\\\2\\nEG"} 1',
    ]
    assert promtool_check(text).returncode == 0
    with pytest.raises(ValueError, match="case"):
        Family("kiosk_pages_total", "counter", "pages").add(1, case="12345BG0012345")
