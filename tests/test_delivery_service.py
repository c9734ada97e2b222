"""The delivery promise, tried from outside: documents queued while the WebDAV inbox is
down reach it by themselves, exactly once, with nobody flushing - delivered by a running
`kiosk deliver`, by a running `kiosk run`, and across kill -9 of the delivery process."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kiosk.app import build
from kiosk.services.config import load_config
from tests.services.channels.servers import DavLog, closed_port, dav_server, sample_parcel
from tests.tlsutil import Pki

ROOT = Path(__file__).resolve().parent.parent
KIOSK = [sys.executable, "-m", "kiosk"]


def eventually(check: Callable[[], bool], limit: float = 60.0) -> None:
    """Wait for something another process does (bounded; files are all we can watch)."""
    done = threading.Event()
    for _ in range(int(limit / 0.05)):
        if check():
            return
        done.wait(0.05)
    raise AssertionError(f"not within {limit} s")


@pytest.fixture
def kiosk_toml(tmp_path: Path, pki: Pki, sane_config: Path) -> tuple[Path, int]:
    """A kiosk whose every document goes to a webdavs:// inbox on 127.0.0.1:port, which is
    not up yet; short retry times, so a test sees the retry the product would make."""
    port = closed_port()
    routing = tmp_path / "routing.toml"
    routing.write_text(f'version = 1\ntriage = "webdavs://127.0.0.1:{port}/inbox/"\n')
    config = tmp_path / "kiosk.toml"
    config.write_text(
        '[kiosk]\nid = "e2e-kiosk"\n'
        f'[scanner]\ndevice = "test:0"\nsane_config_dir = "{sane_config}"\n'
        f'[routing]\ntable = "{routing}"\n'
        f'[delivery]\nca_bundle = "{pki.ca_cert}"\n'
        "attempt_deadline = 5\nretry_base = 0.1\nretry_cap = 0.5\n"
    )
    return config, port


def spool(state_dir: Path) -> list[Path]:
    return sorted((state_dir / "outbox").glob("*.item"))


def queue_documents(config: Path, count: int) -> dict[str, bytes]:
    """Spool documents as the kiosk does (its keys, its outbox), while the inbox is down."""
    kiosk = build(load_config(config))
    url = kiosk.routing.triage if kiosk.routing else ""
    stems = {}
    for n in range(count):
        parcel = sample_parcel(os.urandom(200_000), stem=f"20261201-1000{n:02d}_K7M-4QX-9T{n}_sick")
        parcel = type(parcel)(os.urandom(16).hex(), parcel.file_stem, parcel.pdf, parcel.index)
        kiosk.outbox.put(parcel, url)
        stems[parcel.file_stem] = parcel.pdf
    return stems


@contextmanager
def running(*args: str, **env: str) -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen(
        [*KIOSK, *args],
        cwd=ROOT,
        env={**os.environ, **env},
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=30)


def stop(process: subprocess.Popen[str]) -> tuple[int, str]:
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=30)
    return process.returncode, err


def inbox_files(root: Path) -> list[str]:
    folder = root / "inbox"
    return (
        sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))
        if folder.is_dir()
        else []
    )


def assert_delivered_once(root: Path, log: DavLog, stems: dict[str, bytes]) -> None:
    assert inbox_files(root) == sorted(
        name for stem in stems for name in (f"{stem}.json", f"{stem}.pdf")
    )
    for stem, pdf in stems.items():
        assert (root / "inbox" / f"{stem}.pdf").read_bytes() == pdf
        assert json.loads((root / "inbox" / f"{stem}.json").read_bytes())["bytes"] == len(pdf)
        placed = [a for a in log.answers if a[0] == "MOVE" and a[2].endswith(f"/{stem}.pdf")]
        assert [status for *_, status in placed if status < 300] == [201], placed


def test_a_document_queued_while_the_inbox_is_down_is_delivered_by_kiosk_deliver(
    tmp_path: Path, pki: Pki, kiosk_toml: tuple[Path, int], state_dir: Path
) -> None:
    config, port = kiosk_toml
    submitted = subprocess.run(
        [*KIOSK, "submit", "--config", str(config), "--case", "12345BG0012345", "--concern",
         "sick", "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert submitted.returncode == 20, submitted.stderr  # stored, will be delivered
    receipt = json.loads(submitted.stdout)
    assert receipt["status"] == "queued" and not receipt["delivered"]
    (item,) = spool(state_dir)
    root, log = tmp_path / "dav", DavLog()
    (root / "inbox").mkdir(parents=True)
    with (
        running("deliver", "--config", str(config)) as service,
        dav_server(root, pki.server_cert, pki.server_key, port=port, log=log),
    ):
        eventually(lambda: spool(state_dir) == [])
        code, err = stop(service)
    assert code == 0, err
    assert "configuration: " + str(config) in err
    assert "Traceback" not in err and "leaked" not in err, err
    (pdf,) = [name for name in inbox_files(root) if name.endswith(".pdf")]
    assert receipt["receipt"]["receipt_id"] in pdf and not item.exists()


def test_a_running_kiosk_delivers_its_queue_by_itself(
    tmp_path: Path, pki: Pki, kiosk_toml: tuple[Path, int], state_dir: Path
) -> None:
    config, port = kiosk_toml
    stems = queue_documents(config, 3)
    root, log = tmp_path / "dav", DavLog()
    (root / "inbox").mkdir(parents=True)
    with running("run", "--config", str(config), QT_QPA_PLATFORM="offscreen") as kiosk:
        with dav_server(root, pki.server_cert, pki.server_key, port=port, log=log):
            eventually(lambda: spool(state_dir) == [])
        assert kiosk.poll() is None  # still running: it delivered in the background
    assert_delivered_once(root, log, stems)


@pytest.mark.soak
def test_kill_9_of_the_delivery_service_loses_nothing_and_stores_nothing_twice(
    tmp_path: Path, pki: Pki, kiosk_toml: tuple[Path, int], state_dir: Path
) -> None:
    config, port = kiosk_toml
    stems = queue_documents(config, 8)
    root, log = tmp_path / "dav", DavLog(delay=0.1)  # ~0.4 s a document: kills land mid-way
    (root / "inbox").mkdir(parents=True)
    rng = random.Random(2026)
    kills = 0
    with dav_server(root, pki.server_cert, pki.server_key, port=port, log=log):
        for _ in range(5):
            if not spool(state_dir):
                break
            seen = len(log.answers)
            with running("deliver", "--config", str(config)) as service:
                eventually(lambda seen=seen: len(log.answers) > seen, 30)  # delivering now
                threading.Event().wait(rng.uniform(0.0, 0.6))
                service.send_signal(signal.SIGKILL)
                service.wait(10)
                kills += 1
        with running("deliver", "--config", str(config)) as service:
            eventually(lambda: spool(state_dir) == [])
            code, err = stop(service)
    assert code == 0 and "Traceback" not in err, err
    assert kills >= 3  # the kills did land while documents were on their way
    assert_delivered_once(root, log, stems)
    leftovers = [p.name for p in (root / "inbox").iterdir() if p.name.startswith(".")]
    print(f"\n{kills} kills; hidden upload leftovers in the inbox: {len(leftovers)}")
