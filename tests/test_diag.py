"""`kiosk diag`: each check passes on a healthy kiosk and fails for real on a broken one
(an inbox folder gone, an inbox server down, an expired or foreign certificate, one about
to expire, an inbox server whose clock is 10 minutes off ours).

This host runs neither systemd nor chronyd, so whether the clock is NTP synchronised is
answered by a fake ``chronyc`` on PATH (tests/test_diag_checks.py tests that check with
every source); on a host that runs systemd, its clock and services checks report the host
itself, and the tests leave them out of "everything passes".
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from email.utils import formatdate
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from kiosk.diag import cups_keeps_job_files, streak_columns
from kiosk.exits import EXIT_DIAG_FAILED, EXIT_DIAG_WARNED, EXIT_OK
from tests.services.channels.servers import DavLog, closed_port, dav_server
from tests.test_diag_checks import CHRONY_SYNCED, fake_tool
from tests.tlsutil import SHORT_DAYS, Pki

KIOSK = Path(sys.executable).parent / "kiosk"
# A host that runs systemd answers the clock and services checks for itself.
HOST_CHECKS = {"clock", "services"} if Path("/run/systemd/system").is_dir() else set()


def diag(
    state_dir: Path, *args: str, tools: Path | None = None
) -> tuple[int, dict[str, object], float]:
    """``kiosk diag --json ARGS``; ``tools``: a directory of fake host tools, first on PATH."""
    env = {**os.environ, "KIOSK_STATE_DIR": str(state_dir)}
    env.pop("KIOSK_CONFIG", None)
    if tools is not None:
        env["PATH"] = f"{tools}{os.pathsep}{env.get('PATH', '')}"
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


def not_passed(checks: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """The checks that did not pass, but for those a systemd host answers for itself."""
    host = {i for i in checks if i.split(":")[0] in HOST_CHECKS}
    return {i: c for i, c in checks.items() if c["status"] != "pass" and i not in host}


@pytest.fixture
def ntp_synced(tmp_path: Path) -> Path:
    """A fake `chronyc` that says the clock is synchronised (no chronyd runs here)."""
    tools = tmp_path / "synced-tools"
    fake_tool(tools, "chronyc", CHRONY_SYNCED)
    return tools


def test_a_healthy_kiosk_passes_every_check_within_seconds(
    state_dir: Path, ntp_synced: Path
) -> None:
    code, answer, took = diag(state_dir, tools=ntp_synced)
    checks = by_id(answer)
    assert answer["kiosk"] == "demo-kiosk"
    assert {"identity", "storage", "scanner", "camera", "outbox", "delivery:triage", "clock",
            "events"} <= set(checks)  # fmt: skip
    assert "services" in checks or any(i.startswith("services:") for i in checks)
    assert not_passed(checks) == {}
    assert code == EXIT_OK or HOST_CHECKS
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
    assert "not a folder (a file is in its place)" in checks["delivery:leistung-1"]["detail"]
    assert "leistung-1" in checks["delivery:leistung-1"]["fix"]
    assert checks["delivery:triage"]["status"] == "pass"  # the others still work
    assert set(checks) == {c for c in checks if c.startswith("delivery:")}  # --only


def kiosk_config(
    directory: Path, pki: Pki, sane_config: Path, client_cert: Path, client_key: Path
) -> tuple[Path, Path]:
    """A kiosk whose every document goes to one inbox (point_at); (config, routing)."""
    routing = directory / "routing.toml"
    config = directory / "kiosk.toml"
    key = directory / "client.key"  # the kiosk refuses a key others may read
    key.write_bytes(client_key.read_bytes())
    key.chmod(0o600)
    config.write_text(
        '[kiosk]\nid = "diag-kiosk"\n'
        f'[scanner]\ndevice = "test:0"\nsane_config_dir = "{sane_config}"\n'
        f'[routing]\ntable = "{routing}"\n'
        f'[delivery]\nca_bundle = "{pki.ca_cert}"\nclient_cert = "{client_cert}"\n'
        f'client_key = "{key}"\n'
    )
    return config, routing


@pytest.fixture
def webdav_config(tmp_path: Path, pki: Pki, sane_config: Path) -> Iterator[tuple[Path, Path]]:
    """A kiosk whose every document goes to one webdavs:// inbox; (config, routing)."""
    yield kiosk_config(tmp_path, pki, sane_config, pki.client_cert, pki.client_key)


def point_at(routing: Path, port: int) -> None:
    routing.write_text(f'version = 1\ntriage = "webdavs://127.0.0.1:{port}/inbox/"\n')


def test_a_webdav_inbox_is_walked_dns_tcp_tls_propfind(
    tmp_path: Path,
    pki: Pki,
    webdav_config: tuple[Path, Path],
    state_dir: Path,
    ntp_synced: Path,
) -> None:
    config, routing = webdav_config
    (tmp_path / "dav" / "inbox").mkdir(parents=True)
    with dav_server(tmp_path / "dav", pki.server_cert, pki.server_key) as port:
        point_at(routing, port)
        code, answer, _ = diag(state_dir, "--config", str(config), tools=ntp_synced)
    checks = by_id(answer)
    triage = checks["delivery:triage"]
    assert not_passed(checks) == {} and (code == EXIT_OK or HOST_CHECKS), answer
    assert triage["status"] == "pass" and triage["detail"].startswith("webdavs://127.0.0.1: ")
    assert "TLS verified" in triage["detail"] and "PROPFIND HTTP 207" in triage["detail"]
    assert "server certificate expires in 30 days" in triage["detail"]
    assert checks["client-certificate"]["status"] == "pass"
    # cheroot's own Date header: the same clock, so (nearly) no skew
    skew = checks["clock:skew"]
    assert skew["status"] == "pass" and skew["detail"].endswith(" 127.0.0.1 (its HTTP Date, ±1 s)")
    assert float(skew["detail"].split(" s ")[0]) <= 2
    assert not list((tmp_path / "dav" / "inbox").iterdir())  # nothing was sent


class SkewedClock(DavLog):
    """A WebDAV server whose clock is ``offset`` seconds off: its answers' Date say so."""

    def __init__(self, offset: float) -> None:
        super().__init__()
        self.offset = offset

    def wrap(self, app: Any) -> Any:
        logged = super().wrap(app)

        def skewed(environ: dict[str, Any], start_response: Any) -> Any:
            def start(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
                date = formatdate(time.time() + self.offset, usegmt=True)
                kept = [(k, v) for k, v in headers if k.lower() != "date"]
                return start_response(status, [*kept, ("Date", date)], *rest)

            return logged(environ, start)

        return skewed


def test_an_inbox_server_whose_clock_is_10_minutes_off_fails_the_clock_check(
    tmp_path: Path, pki: Pki, webdav_config: tuple[Path, Path], state_dir: Path
) -> None:
    """Its certificate dates and our receipt times cannot both be right: TLS checks dates."""
    config, routing = webdav_config
    (tmp_path / "dav" / "inbox").mkdir(parents=True)
    server = SkewedClock(-600)  # the server 10 minutes behind: ours 10 minutes ahead
    with dav_server(tmp_path / "dav", pki.server_cert, pki.server_key, log=server) as port:
        point_at(routing, port)
        code, answer, _ = diag(state_dir, "--config", str(config), "--only", "clock")
    checks = by_id(answer)
    skew = checks["clock:skew"]
    assert code == EXIT_DIAG_FAILED and skew["status"] == "fail", answer
    seconds, rest = skew["detail"].split(" s ", 1)
    assert 598 <= int(seconds) <= 602 and rest == "ahead of 127.0.0.1 (its HTTP Date, ±1 s)"
    assert "NTP" in skew["fix"]
    assert ("PROPFIND", "/inbox/", "", 207) in server.answers  # the walk's own request


def test_an_http_date_that_cannot_be_read_gives_no_skew_check(
    tmp_path: Path, pki: Pki, webdav_config: tuple[Path, Path], state_dir: Path
) -> None:
    """No clock:skew rather than a made-up one (cheroot adds a Date unless the app sets
    one, so the app sets one nobody can read)."""

    class Garbled(DavLog):
        def wrap(self, app: Any) -> Any:
            def garbled(environ: dict[str, Any], start_response: Any) -> Any:
                def start(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
                    kept = [(k, v) for k, v in headers if k.lower() != "date"]
                    return start_response(status, [*kept, ("Date", "sometime")], *rest)

                return app(environ, start)

            return garbled

    config, routing = webdav_config
    (tmp_path / "dav" / "inbox").mkdir(parents=True)
    with dav_server(tmp_path / "dav", pki.server_cert, pki.server_key, log=Garbled()) as port:
        point_at(routing, port)
        _, answer, _ = diag(state_dir, "--config", str(config), "--only", "clock")
    assert set(by_id(answer)) == {"clock"}


def test_a_server_certificate_about_to_expire_is_a_warning(
    tmp_path: Path, pki: Pki, webdav_config: tuple[Path, Path], state_dir: Path
) -> None:
    config, routing = webdav_config
    (tmp_path / "dav" / "inbox").mkdir(parents=True)
    with dav_server(tmp_path / "dav", pki.short_cert, pki.short_key) as port:
        point_at(routing, port)
        code, answer, _ = diag(state_dir, "--config", str(config), "--only", "delivery")
    triage = by_id(answer)["delivery:triage"]
    assert code == EXIT_DIAG_WARNED and triage["status"] == "warn", answer
    assert f"server certificate expires in {SHORT_DAYS} days" in triage["detail"]
    assert "PROPFIND HTTP 207" in triage["detail"]  # the walk went on: it still works
    assert triage["fix"] == "renew the certificate"


def test_a_client_certificate_about_to_expire_is_a_warning(
    tmp_path: Path, pki: Pki, sane_config: Path, state_dir: Path
) -> None:
    config, routing = kiosk_config(
        tmp_path, pki, sane_config, pki.short_client_cert, pki.short_client_key
    )
    point_at(routing, closed_port())
    code, answer, _ = diag(state_dir, "--config", str(config), "--only", "client-certificate")
    (check,) = by_id(answer).values()
    assert code == EXIT_DIAG_WARNED and check["status"] == "warn", answer
    assert check["detail"] == f"{pki.short_client_cert}: expires in {SHORT_DAYS} days"
    assert check["fix"] == "renew it soon"


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
    from kiosk.app import build, embedded_config
    from kiosk.core.records import replace
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


def test_the_scanner_check_says_what_sane_loads_and_what_the_device_offers(
    tmp_path: Path, sane_config: Path
) -> None:
    def scanner_with(source: str) -> dict[str, str]:
        config = tmp_path / f"{source}.toml"
        config.write_text(
            f'[kiosk]\nid = "scan-kiosk"\n[scanner]\ndevice = "test:0"\nsource = "{source}"\n'
            f'sane_config_dir = "{sane_config}"\n'
        )
        _, answer, _ = diag(tmp_path / "state", "--config", str(config), "--only", "scanner")
        return by_id(answer)["scanner"]

    fine = scanner_with("flatbed")
    assert fine["status"] == "pass", fine
    assert f"SANE config {sane_config} (sane_config_dir / SANE_CONFIG_DIR): test" in fine["detail"]
    assert "offers flatbed, adf" in fine["detail"] and "modes color, gray, bw" in fine["detail"]
    wrong = scanner_with("duplex")  # the test backend has no duplex source
    assert wrong["status"] == "fail" and "cannot scan from duplex" in wrong["detail"]
    assert wrong["fix"] == "set [scanner] source to one of flatbed, adf"
    (tmp_path / "empty-sane").mkdir()  # the configuration check refuses one without dll.conf
    (tmp_path / "empty-sane" / "dll.conf").write_text("#test\n#fujitsu\n")
    broken = tmp_path / "broken.toml"
    broken.write_text(
        f'[kiosk]\nid = "scan-kiosk"\n[scanner]\nsane_config_dir = "{tmp_path / "empty-sane"}"\n'
    )
    _, answer, _ = diag(tmp_path / "state", "--config", str(broken), "--only", "scanner")
    check = by_id(answer)["scanner"]
    assert check["status"] == "fail" and "names no backend" in check["detail"], check


def test_a_device_without_a_source_option_is_not_failed_for_its_source(
    tmp_path: Path, sane_config: Path
) -> None:
    """SANE's pnm backend has no source or mode option: it scans one sheet as it is."""
    (sane_config / "dll.conf").write_text((sane_config / "dll.conf").read_text() + "pnm\n")
    config = tmp_path / "pnm.toml"
    config.write_text(
        f'[kiosk]\nid = "pnm-kiosk"\n[scanner]\ndevice = "pnm:0"\nsource = "adf"\n'
        f'sane_config_dir = "{sane_config}"\n'
    )
    _, answer, _ = diag(tmp_path / "state", "--config", str(config), "--only", "scanner")
    check = by_id(answer)["scanner"]
    assert check["status"] == "pass", check
    assert "pnm:0 found" in check["detail"] and "no option for source" in check["detail"]
