"""`kiosk diag`: each check passes on a healthy kiosk and fails for real on a broken one
(an inbox folder gone, an inbox server down, an expired or foreign certificate)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from kiosk.diag import cups_keeps_job_files, streak_columns
from kiosk.exits import EXIT_DIAG_FAILED, EXIT_OK
from tests.services.channels.servers import closed_port, dav_server
from tests.tlsutil import Pki

KIOSK = Path(sys.executable).parent / "kiosk"


def diag(state_dir: Path, *args: str) -> tuple[int, dict[str, object], float]:
    env = {**os.environ, "KIOSK_STATE_DIR": str(state_dir)}
    env.pop("KIOSK_CONFIG", None)
    started = time.monotonic()
    out = subprocess.run(
        [str(KIOSK), "diag", "--json", *args], capture_output=True, text=True, env=env, timeout=60
    )
    took = time.monotonic() - started
    assert out.stdout, out.stderr
    return out.returncode, json.loads(out.stdout), took


def by_id(answer: dict[str, object]) -> dict[str, dict[str, str]]:
    checks = answer["checks"]
    assert isinstance(checks, list)
    return {check["id"]: check for check in checks}


def test_a_healthy_kiosk_passes_every_check_within_seconds(state_dir: Path) -> None:
    code, answer, took = diag(state_dir)
    checks = by_id(answer)
    assert code == EXIT_OK and answer["kiosk"] == "demo-kiosk"
    assert {"identity", "storage", "scanner", "outbox", "delivery:triage"} <= set(checks)
    assert {c["status"] for c in checks.values()} == {"pass"}
    assert all(set(c) == {"id", "status", "detail", "fix"} for c in checks.values())
    assert took < 10


def test_an_inbox_folder_that_is_gone_fails_its_delivery_check(state_dir: Path) -> None:
    diag(state_dir)  # makes the demo inboxes (and would make a missing one again)
    (state_dir / "inbox" / "leistung-1").rmdir()
    (state_dir / "inbox" / "leistung-1").write_text("a stray file where the folder was")
    code, answer, _ = diag(state_dir, "--only", "delivery")
    checks = by_id(answer)
    assert code == EXIT_DIAG_FAILED
    assert checks["delivery:leistung-1"]["status"] == "fail"
    assert "folder missing" in checks["delivery:leistung-1"]["detail"], checks
    assert "leistung-1" in checks["delivery:leistung-1"]["fix"]
    assert checks["delivery:triage"]["status"] == "pass"  # the others still work
    assert set(checks) == {c for c in checks if c.startswith("delivery:")}  # --only


@pytest.fixture
def webdav_config(tmp_path: Path, pki: Pki, sane_config: Path) -> Iterator[tuple[Path, Path]]:
    """A kiosk whose every document goes to one webdavs:// inbox; (config, routing)."""
    routing = tmp_path / "routing.toml"
    config = tmp_path / "kiosk.toml"
    client_key = tmp_path / "client.key"  # the kiosk refuses a key others may read
    client_key.write_bytes(pki.client_key.read_bytes())
    client_key.chmod(0o600)
    config.write_text(
        '[kiosk]\nid = "diag-kiosk"\n'
        f'[scanner]\ndevice = "test:0"\nsane_config_dir = "{sane_config}"\n'
        f'[routing]\ntable = "{routing}"\n'
        f'[delivery]\nca_bundle = "{pki.ca_cert}"\nclient_cert = "{pki.client_cert}"\n'
        f'client_key = "{client_key}"\n'
    )
    yield config, routing


def point_at(routing: Path, port: int) -> None:
    routing.write_text(f'version = 1\ntriage = "webdavs://127.0.0.1:{port}/inbox/"\n')


def test_a_webdav_inbox_is_walked_dns_tcp_tls_propfind(
    tmp_path: Path, pki: Pki, webdav_config: tuple[Path, Path], state_dir: Path
) -> None:
    config, routing = webdav_config
    (tmp_path / "dav" / "inbox").mkdir(parents=True)
    with dav_server(tmp_path / "dav", pki.server_cert, pki.server_key) as port:
        point_at(routing, port)
        code, answer, _ = diag(state_dir, "--config", str(config))
    checks = by_id(answer)
    triage = checks["delivery:triage"]
    assert code == EXIT_OK, answer
    assert triage["status"] == "pass" and triage["detail"].startswith("webdavs://127.0.0.1: ")
    assert "TLS verified" in triage["detail"] and "PROPFIND HTTP 207" in triage["detail"]
    assert "server certificate expires in" in triage["detail"]
    assert checks["client-certificate"]["status"] == "pass"
    assert not list((tmp_path / "dav" / "inbox").iterdir())  # nothing was sent


def test_an_inbox_server_that_is_down_fails_at_tcp(
    webdav_config: tuple[Path, Path], state_dir: Path
) -> None:
    config, routing = webdav_config
    point_at(routing, closed_port())
    code, answer, took = diag(state_dir, "--config", str(config))
    triage = by_id(answer)["delivery:triage"]
    assert code == EXIT_DIAG_FAILED and triage["status"] == "fail"
    assert "TCP 127.0.0.1:" in triage["detail"] and "inbox server up" in triage["fix"]
    assert took < 10


@pytest.mark.parametrize("which", ["expired", "foreign"])
def test_a_certificate_that_cannot_be_trusted_fails_at_tls(
    tmp_path: Path, pki: Pki, webdav_config: tuple[Path, Path], state_dir: Path, which: str
) -> None:
    config, routing = webdav_config
    cert, key = (
        (pki.expired_cert, pki.expired_key)
        if which == "expired"
        else (pki.foreign_cert, pki.foreign_key)
    )
    (tmp_path / "dav").mkdir()
    with dav_server(tmp_path / "dav", cert, key) as port:
        point_at(routing, port)
        code, answer, _ = diag(state_dir, "--config", str(config), "--only", "delivery")
    triage = by_id(answer)["delivery:triage"]
    assert code == EXIT_DIAG_FAILED and triage["status"] == "fail"
    expected = "certificate has expired" if which == "expired" else "unable to get local issuer"
    assert "TLS: " in triage["detail"] and expected in triage["detail"]


def test_the_test_scan_scans_one_sheet_in_memory_and_sends_nothing(state_dir: Path) -> None:
    code, answer, took = diag(state_dir, "--scan-test", "--only", "scan-test")
    (check,) = answer["checks"]  # type: ignore[misc]
    assert code == EXIT_OK and check["status"] == "pass", check
    assert check["detail"].startswith("1 page, ") and " dpi, " in check["detail"]
    assert took < 30
    assert not list((state_dir / "outbox").glob("*.item"))  # never spooled...
    assert not [p for p in (state_dir / "inbox").rglob("*") if p.is_file()]  # ...nor delivered


def blank(width: int = 600, height: int = 800) -> np.ndarray:
    rng = np.random.default_rng(7)
    return np.clip(rng.normal(235, 4, (height, width)), 0, 255)  # paper with sensor noise


def test_a_clean_blank_sheet_has_no_streaks() -> None:
    assert streak_columns(blank()) == []


def test_a_dirty_glass_strip_shows_as_a_streak_down_the_sheet() -> None:
    page = blank()
    page[:, 300:303] -= 40  # a dark line top to bottom: dirt on the glass strip
    page[:, 450] += 18  # a light one: a worn roller
    assert streak_columns(page) == [300, 450]


def test_a_short_mark_is_not_a_streak() -> None:
    page = blank()
    page[100:400, 200:204] = 20  # a pen stroke down a third of the sheet
    assert streak_columns(page) == []


def test_cups_keeping_printed_files_is_found(tmp_path: Path) -> None:
    """A printed receipt (masked number, concern) must not stay in CUPS's spool."""
    conf = tmp_path / "cupsd.conf"
    assert cups_keeps_job_files(tmp_path / "missing.conf") == "86400 (the default)"
    conf.write_text("LogLevel warn\n# PreserveJobFiles No\n")
    assert cups_keeps_job_files(conf) == "86400 (the default)"  # a comment is not a setting
    conf.write_text("PreserveJobFiles 1d\n")
    assert cups_keeps_job_files(conf) == "1d"
    conf.write_text("PreserveJobFiles No  # the kiosk's\n")
    assert cups_keeps_job_files(conf) is None


def test_the_printer_check_sees_a_ready_and_a_stopped_queue(tmp_path: Path) -> None:
    """Against a real CUPS scheduler (tests/cups.py): ready passes, disabled fails."""
    from dataclasses import replace

    from kiosk.app import build, embedded_config
    from kiosk.diag import run_checks
    from kiosk.services.config import ReceiptSettings
    from kiosk.station import Station
    from tests.cups import cups_server

    with cups_server() as cups:
        name = f"kiosk-diag-{os.getpid()}"
        cups.add_pdf_queue(name)
        try:
            config = replace(embedded_config(), receipt=ReceiptSettings(printer=name))
            station = Station(build(config, embedded=True))
            (ready,) = [c for c in run_checks(station, "printer") if c.id == "printer"]
            assert (ready.status, ready.detail) == ("pass", f"{name}: ready")
            cups.run("cupsdisable", name)
            (stopped,) = [c for c in run_checks(station, "printer") if c.id == "printer"]
            assert stopped.status == "fail" and stopped.detail.startswith(f"{name}: ")
        finally:
            cups.remove(name)
