"""`kiosk metrics`: Prometheus' text format (checked by promtool), values that follow a
real outbox (documents spooled, delivered, queued, held and quarantined through a real
HTTPS inbox with mTLS, and its certificates), the counts of `kiosk deliver` and `kiosk
outbox flush` in processes of their own, and a textfile replaced atomically."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from cryptography import x509

from kiosk.core.concerns import concern_by_key
from kiosk.core.identity import parse_case_number
from kiosk.core.receipt import ReceiptStatus
from kiosk.services.metrics_store import Counters
from kiosk.station import open_station
from tests.services.https_receiver import Receiver
from tests.tlsutil import Pki

ROOT = Path(__file__).resolve().parent.parent
KIOSK = Path(sys.executable).parent / "kiosk"
PROMTOOL = shutil.which("promtool")
needs_promtool = pytest.mark.skipif(
    PROMTOOL is None, reason="promtool missing (Debian package prometheus; ./dev.sh installs it)"
)
SAMPLE = re.compile(r"([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)")
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def kiosk_metrics(*args: str, umask: int | None = None) -> str:
    out = subprocess.run(
        [str(KIOSK), "metrics", *args],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=(lambda: os.umask(umask)) if umask is not None else None,
    )
    assert out.returncode == 0, out.stderr
    return out.stdout


def parse(text: str) -> Samples:
    samples: Samples = {}
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        match = SAMPLE.fullmatch(line)
        assert match, line
        name, labels, value = match.groups()
        samples[(name, frozenset(LABEL.findall(labels or "")))] = float(value)
    return samples


def get(samples: Samples, name: str, **labels: str) -> float | None:
    return samples.get((name, frozenset(labels.items())))


def promtool_check(text: str) -> subprocess.CompletedProcess[str]:
    assert PROMTOOL is not None
    return subprocess.run(
        [PROMTOOL, "check", "metrics"], input=text, capture_output=True, text=True, timeout=30
    )


@needs_promtool
def test_a_fresh_kiosk_prints_every_metric_in_valid_exposition_format() -> None:
    before = time.time()
    text = kiosk_metrics()
    checked = promtool_check(text)
    assert checked.returncode == 0 and checked.stdout + checked.stderr == "", checked
    declared = re.findall(r"^# TYPE (\S+) (gauge|counter)$", text, re.MULTILINE)
    helped = re.findall(r"^# HELP (\S+) \S", text, re.MULTILINE)
    names = {name for name, _ in declared}
    assert names == set(helped) == {name for name, _ in parse(text)}
    assert {
        "kiosk_info", "kiosk_outbox_documents", "kiosk_outbox_oldest_document_age_seconds",
        "kiosk_deliveries_total", "kiosk_sessions_total", "kiosk_pages_total",
        "kiosk_scanner_up", "kiosk_camera_up", "kiosk_storage_free_bytes",
        "kiosk_metrics_generated_timestamp_seconds",
    } <= names  # fmt: skip
    assert all(kind == "counter" for name, kind in declared if name.endswith("_total"))
    samples = parse(text)
    assert get(samples, "kiosk_info", kiosk="demo-kiosk", version=version_of(samples)) == 1
    assert get(samples, "kiosk_outbox_documents", state="waiting") == 0
    assert get(samples, "kiosk_deliveries_total", route="leistung-1", result="delivered") == 0
    assert get(samples, "kiosk_scanner_up") == 0  # no kiosk program ran a health check
    generated = get(samples, "kiosk_metrics_generated_timestamp_seconds")
    assert generated is not None and before <= generated <= time.time()


def version_of(samples: Samples) -> str:
    (labels,) = [dict(labels) for name, labels in samples if name == "kiosk_info"]
    return labels["version"]


@pytest.fixture
def https_kiosk(tmp_path: Path, pki: Pki, sane_config: Path, receiver: Receiver) -> Path:
    """A kiosk routing office 12345's cases to leistung-1 and vermittlung-1, anything else
    to triage: all three on the HTTPS test inbox, with mTLS; its configuration file."""
    base = receiver.url.rsplit("/", 1)[0]
    routing = tmp_path / "routing.toml"
    routing.write_text(
        f'version = 1\ntriage = "{base}/triage"\n'
        f'[teams]\nleistung-1 = "{base}/l1"\nvermittlung-1 = "{base}/v1"\n'
        '[[case_rules]]\nbg_office = "12345"\nleistung = "leistung-1"\n'
        'vermittlung = "vermittlung-1"\n'
    )
    key = tmp_path / "client.key"
    key.write_bytes(pki.client_key.read_bytes())
    key.chmod(0o600)
    config = tmp_path / "kiosk.toml"
    config.write_text(
        '[kiosk]\nid = "metrics-kiosk"\n'
        f'[scanner]\ndevice = "test:0"\nsane_config_dir = "{sane_config}"\n'
        'mode = "gray"\nresolution = 75\n'
        f'[routing]\ntable = "{routing}"\n'
        f'[delivery]\nca_bundle = "{pki.ca_cert}"\nclient_cert = "{pki.client_cert}"\n'
        f'client_key = "{key}"\nattempt_deadline = 5\nretry_base = 0.1\nretry_cap = 0.5\n'
        '[camera]\ndevice = "none"\n'
    )
    return config


def not_after(cert: Path) -> float:
    return x509.load_pem_x509_certificate(cert.read_bytes()).not_valid_after_utc.timestamp()


@needs_promtool
@pytest.mark.sane
def test_the_metrics_follow_a_real_outbox_and_what_was_counted(
    https_kiosk: Path, receiver: Receiver, pki: Pki, state_dir: Path
) -> None:
    station = open_station(https_kiosk)
    pages = station.scan(station.scan_request())
    stranger = parse_case_number("54321BG0000001")  # no rule: triage

    def send(case: str, concern: str, mode: str) -> ReceiptStatus:
        receiver.mode = mode
        number = parse_case_number(case)
        route = station.route(number, concern_by_key(concern))
        return station.submit(number, concern_by_key(concern), pages, route).receipt.status

    started = time.time()
    assert send("12345BG0012345", "renewal", "ok") is ReceiptStatus.DELIVERED  # leistung-1
    assert send("12345BG0012345", "sick", "500") is ReceiptStatus.QUEUED  # vermittlung-1
    assert send("12345BG0012345", "sick", "500") is ReceiptStatus.QUEUED
    assert send(stranger.value, "renewal", "400") is ReceiptStatus.HELD  # triage, refused
    waiting = sorted((state_dir / "outbox").glob("*.item"))
    outbox = station.kiosk.outbox
    spoiled = next(p for p in waiting if outbox.status(p.stem).state == "pending")
    sealed = spoiled.read_bytes()  # tampered (its last byte flipped): unreadable for good
    spoiled.write_bytes(sealed[:-1] + bytes([sealed[-1] ^ 0xFF]))
    assert outbox.deliver(spoiled.stem).state == "quarantined"
    receiver.mode = "ok"

    text = kiosk_metrics("--config", str(https_kiosk))
    assert promtool_check(text).returncode == 0
    samples = parse(text)
    expected_counts = {
        ("leistung-1", "delivered"): 1,
        ("vermittlung-1", "retry"): 2,
        ("vermittlung-1", "quarantined"): 1,
        ("triage", "held"): 1,
    }
    for route in ("leistung-1", "vermittlung-1", "triage"):
        for result in ("delivered", "retry", "held", "quarantined"):
            count = get(samples, "kiosk_deliveries_total", route=route, result=result)
            assert count == expected_counts.get((route, result), 0), (route, result)
    last = get(samples, "kiosk_last_successful_delivery_timestamp_seconds", route="leistung-1")
    assert last is not None and started <= last <= time.time()
    assert get(samples, "kiosk_last_successful_delivery_timestamp_seconds", route="triage") is None
    sessions = {r: get(samples, "kiosk_sessions_total", result=r) for r in ("delivered",
                "queued", "held", "failed")}  # fmt: skip
    assert sessions == {"delivered": 1, "queued": 2, "held": 1, "failed": 0}
    assert get(samples, "kiosk_pages_total") == 4 * len(pages)
    documents = {s: get(samples, "kiosk_outbox_documents", state=s) for s in ("waiting",
                 "held", "quarantined")}  # fmt: skip
    assert documents == {"waiting": 1, "held": 1, "quarantined": 1}
    age = get(samples, "kiosk_outbox_oldest_document_age_seconds")
    assert age is not None and 0 < age <= time.time() - started
    server, client = not_after(pki.server_cert), not_after(pki.client_cert)
    for route in ("leistung-1", "vermittlung-1", "triage"):
        expiry = "kiosk_tls_certificate_expiry_timestamp_seconds"
        assert get(samples, expiry, route=route, which="server") == pytest.approx(server, abs=1)
        assert get(samples, expiry, route=route, which="client") == pytest.approx(client, abs=1)
    assert "kiosk_camera_up" not in text  # [camera] device = "none"

    # The staff's flush, another process: its delivery is counted as well.
    flushed = subprocess.run(
        [str(KIOSK), "outbox", "flush", "--config", str(https_kiosk)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert flushed.returncode == 21, flushed.stderr  # delivered, but one held, one unreadable
    after = parse(kiosk_metrics("--config", str(https_kiosk)))
    assert get(after, "kiosk_deliveries_total", route="vermittlung-1", result="delivered") == 1
    assert get(after, "kiosk_outbox_documents", state="waiting") == 0
    assert get(after, "kiosk_outbox_oldest_document_age_seconds") == 0
    assert get(after, "kiosk_last_successful_delivery_timestamp_seconds", route="vermittlung-1")


def test_kiosk_deliver_counts_its_retries_and_deliveries(
    https_kiosk: Path, receiver: Receiver, state_dir: Path
) -> None:
    from tests.services.channels.servers import sample_parcel
    from tests.test_delivery_service import eventually, running, stop

    station = open_station(https_kiosk)
    assert station.kiosk.routing is not None and station.kiosk.counters is not None
    receiver.mode = "500"  # down for now: `kiosk deliver` retries every few tenths of a second
    for n in range(3):
        parcel = sample_parcel(os.urandom(20_000), stem=f"20261201-10000{n}_K7M-4QX-9T{n}_sick")
        parcel = type(parcel)(os.urandom(16).hex(), parcel.file_stem, parcel.pdf, parcel.index)
        station.kiosk.outbox.put(
            parcel, station.kiosk.routing.teams["leistung-1"], team="leistung-1"
        )
    counters = Counters(station.kiosk.counters.directory)
    with running("deliver", "--config", str(https_kiosk)) as service:
        eventually(lambda: counters.read().deliveries.get(("leistung-1", "retry"), 0) >= 3)
        receiver.mode = "ok"
        eventually(lambda: not list((state_dir / "outbox").glob("*.item")))
        code, err = stop(service)
    assert code == 0, err
    tally = counters.read()
    assert tally.deliveries[("leistung-1", "delivered")] == 3
    assert tally.deliveries[("leistung-1", "retry")] == receiver_failures(receiver)
    assert tally.last_delivered["leistung-1"] <= time.time()
    samples = parse(kiosk_metrics("--config", str(https_kiosk)))
    assert get(samples, "kiosk_deliveries_total", route="leistung-1", result="delivered") == 3


def receiver_failures(receiver: Receiver) -> int:
    """Attempts the inbox saw beyond the one that stored each document: the retries."""
    return sum(receiver.uploads.values()) - len(receiver.stored)


def test_the_textfile_is_replaced_atomically_world_readable_and_nothing_else_is_left(
    tmp_path: Path,
) -> None:
    from kiosk.services.exposition import write_textfile

    textfile = tmp_path / "node-exporter"
    textfile.mkdir()
    kiosk_metrics("--textfile", str(textfile), umask=0o077)
    (written,) = textfile.iterdir()
    assert written.name == "kiosk.prom" and oct(written.stat().st_mode & 0o777) == "0o644"
    assert "kiosk_metrics_generated_timestamp_seconds " in written.read_text()
    first = written.stat().st_ino
    kiosk_metrics("--textfile", str(textfile))
    assert written.stat().st_ino != first  # renamed into place, never rewritten in place
    # A reader sees the old file or the new one whole, while it is rewritten.
    versions = [f"kiosk_pages_total {n}\n" + "# padding\n" * 20_000 for n in range(40)]
    write_textfile(textfile, "kiosk.prom", versions[0])
    seen: set[str] = set()
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            seen.add(written.read_text())

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for text in versions[1:]:
            write_textfile(textfile, "kiosk.prom", text)
    finally:
        done.set()
        reader.join()
    assert len(seen) > 1 and seen <= set(versions)
    # A write that fails leaves the last good file and no temporary file behind.
    with pytest.raises(UnicodeEncodeError):
        write_textfile(textfile, "kiosk.prom", "kiosk_info \udc80\n")
    assert [p.name for p in textfile.iterdir()] == ["kiosk.prom"]
    assert written.read_text() == versions[-1]


def test_kiosk_metrics_says_when_it_cannot_write_the_textfile(tmp_path: Path) -> None:
    out = subprocess.run(
        [str(KIOSK), "metrics", "--textfile", str(tmp_path / "missing")],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert out.returncode == 1 and "cannot write" in out.stderr and out.stdout == ""
