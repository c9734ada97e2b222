"""`kiosk diag`'s clock, services, events and camera checks, each made to pass and to fail.

The host tools they ask (timedatectl, chronyc, systemctl) are replaced by small fake
executables on PATH that print what the real ones print: this host runs no systemd and no
chronyd. Real systemd runs only in the deployment tests of issue 12 (systemd-nspawn).
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from drivers.camera.frames import FrameListSource
from drivers.codes.reader import CombinedReader, DecodedCode
from kiosk.core.records import replace
from kiosk.diag import Check, ServerClock, Status, run_checks, server_clock
from kiosk.diag.clock import clock, ntp_synchronised
from kiosk.diag.devices import try_camera
from kiosk.diag.events import events
from kiosk.diag.systemd import PROPERTIES, services
from tests.drivers.test_code_watch import CASE, card_frames


def fake_tool(bin_dir: Path, name: str, stdout: str, code: int = 0, stderr: str = "") -> Path:
    """An executable ``name`` that prints ``stdout`` and logs its arguments (one JSON list
    a line) to ``name.args``; a Python script, so it runs whatever PATH is."""
    bin_dir.mkdir(exist_ok=True)
    tool = bin_dir / name
    tool.write_text(
        f"#!{sys.executable}\n"
        "import json, sys\n"
        f"with open({str(bin_dir / (name + '.args'))!r}, 'a') as log:\n"
        "    log.write(json.dumps(sys.argv[1:]) + '\\n')\n"
        f"sys.stdout.write({stdout!r})\n"
        f"sys.stderr.write({stderr!r})\n"
        f"sys.exit({code})\n"
    )
    tool.chmod(0o755)
    return tool


def calls(bin_dir: Path, name: str) -> list[list[str]]:
    log = bin_dir / f"{name}.args"
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


@pytest.fixture
def tools(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A PATH holding only the fakes a test writes: no real host tool answers."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    monkeypatch.setenv("PATH", str(bin_dir))
    return bin_dir


@pytest.fixture
def systemd_run(tmp_path: Path) -> Path:
    """Stands for /run/systemd/system: the kiosk runs under systemd."""
    path = tmp_path / "run-systemd-system"
    path.mkdir()
    return path


# -- clock: NTP ----------------------------------------------------------------------------

CHRONY_SYNCED = """\
Reference ID    : C0A80001 (192.168.0.1)
Stratum         : 3
Ref time (UTC)  : Mon Dec 01 12:58:03 2026
System time     : 0.000021318 seconds fast of NTP time
Last offset     : +0.000011873 seconds
RMS offset      : 0.000043210 seconds
Frequency       : 12.345 ppm slow
Residual freq   : +0.001 ppm
Skew            : 0.052 ppm
Root delay      : 0.012345678 seconds
Root dispersion : 0.001234567 seconds
Update interval : 64.4 seconds
Leap status     : Normal
"""
CHRONY_UNSYNCED = """\
Reference ID    : 00000000 ()
Stratum         : 0
Ref time (UTC)  : Thu Jan 01 00:00:00 1970
System time     : 0.000000000 seconds fast of NTP time
Last offset     : +0.000000000 seconds
RMS offset      : 0.000000000 seconds
Frequency       : 0.000 ppm slow
Residual freq   : +0.000 ppm
Skew            : 0.000 ppm
Root delay      : 1.000000000 seconds
Root dispersion : 1.000000000 seconds
Update interval : 0.0 seconds
Leap status     : Not synchronised
"""


def ntp_check(systemd_run: Path, flag: Path) -> Check:
    (check,) = clock([], systemd_run, flag)
    return check


@pytest.mark.parametrize(("answer", "status"), [("yes", Status.PASS), ("no", Status.WARN)])
def test_under_systemd_timedatectl_says_whether_the_clock_is_synchronised(
    tools: Path, systemd_run: Path, tmp_path: Path, answer: str, status: Status
) -> None:
    fake_tool(tools, "timedatectl", answer + "\n")
    fake_tool(tools, "chronyc", CHRONY_SYNCED)  # not asked: timedatectl has answered
    check = ntp_check(systemd_run, tmp_path / "no-flag")
    assert check.status is status
    assert check.detail == f"NTP {'' if answer == 'yes' else 'not '}synchronised (timedatectl)"
    assert calls(tools, "timedatectl") == [["show", "-p", "NTPSynchronized", "--value"]]
    assert calls(tools, "chronyc") == []
    assert bool(check.fix) == (status is Status.WARN)


def test_systemd_timesyncd_leaves_a_flag_once_synchronised(tools: Path, tmp_path: Path) -> None:
    flag = tmp_path / "timesync" / "synchronized"
    flag.parent.mkdir()
    flag.touch()
    check = ntp_check(tmp_path / "no-systemd", flag)
    assert (check.status, check.detail) == (
        Status.PASS,
        f"NTP synchronised (systemd-timesyncd: {flag})",
    )


def test_chrony_says_whether_it_is_synchronised(tools: Path, tmp_path: Path) -> None:
    fake_tool(tools, "chronyc", CHRONY_SYNCED)
    check = ntp_check(tmp_path / "no-systemd", tmp_path / "no-flag")
    assert check.status is Status.PASS
    assert check.detail == "NTP synchronised (chrony, 0.000021318 seconds fast of NTP time)"
    assert calls(tools, "chronyc") == [["-n", "tracking"]]
    fake_tool(tools, "chronyc", CHRONY_UNSYNCED)
    check = ntp_check(tmp_path / "no-systemd", tmp_path / "no-flag")
    assert (check.status, check.detail) == (
        Status.WARN,
        "NTP not synchronised (chrony: Not synchronised)",
    )
    assert "udp 123" in check.fix


def test_when_nothing_can_tell_it_says_so_instead_of_passing(
    tools: Path, systemd_run: Path, tmp_path: Path
) -> None:
    check = ntp_check(tmp_path / "no-systemd", tmp_path / "no-flag")  # no tool at all
    assert check.status is Status.WARN
    assert check.detail == (
        "cannot tell whether the clock is NTP synchronised (no systemd, no chronyc)"
    )
    assert "chrony" in check.fix
    # systemd there, but timedatectl fails (no D-Bus) and chronyd is not running
    fake_tool(tools, "timedatectl", "", 1, "Failed to connect to bus: No such file\n")
    fake_tool(tools, "chronyc", "", 1, "506 Cannot talk to daemon\n")
    check = ntp_check(systemd_run, tmp_path / "no-flag")
    assert check.status is Status.WARN
    assert check.detail == (
        "cannot tell whether the clock is NTP synchronised "
        "(timedatectl gave no answer, chronyd not answering)"
    )
    assert ntp_synchronised(systemd_run, tmp_path / "no-flag")[0] is None


# -- clock: skew against an inbox server's Date ----------------------------------------------


def test_an_http_date_is_read_against_the_local_clock() -> None:
    now = 1_800_000_000.0
    date = "Fri, 15 Jan 2027 08:00:00 GMT"
    said = datetime(2027, 1, 15, 8, 0, tzinfo=UTC).timestamp()
    seen = server_clock("dms.local", date, said + 599.5, said + 600.5)
    assert seen == ServerClock("dms.local", 600.0, 1.5)
    asctime = server_clock("dms.local", "Fri Jan 15 08:00:00 2027", said, said)
    assert asctime is not None and asctime.skew == 0.0  # HTTP's old form: always GMT
    assert server_clock("dms.local", None, now, now) is None
    assert server_clock("dms.local", "yesterday, around noon", now, now) is None


@pytest.mark.parametrize(
    ("skew", "status"),
    [(3.0, Status.PASS), (-90.0, Status.WARN), (-301.0, Status.FAIL), (600.0, Status.FAIL)],
)
def test_the_furthest_inbox_server_clock_decides(skew: float, status: Status) -> None:
    seen = [ServerClock("a.local", 1.0, 1.0), ServerClock("b.local", skew, 1.2)]
    checks = list(clock(seen, Path("/nonexistent"), Path("/nonexistent")))
    skewed = checks[-1]
    assert skewed.id == "clock:skew" and skewed.status is status
    side = "ahead of" if skew > 0 else "behind"
    assert skewed.detail.startswith(f"{abs(skew):.0f} s {side} b.local (its HTTP Date, ±1 s)")
    assert "of 2 inbox servers" in skewed.detail
    assert bool(skewed.fix) == (status is not Status.PASS)


# -- services under systemd --------------------------------------------------------------


def show(**values: str) -> str:
    """What `systemctl show --timestamp=unix -p ...` prints: Key=Value lines in the order
    systemd's D-Bus interfaces list them (Service before Unit), not the order asked."""
    order = ("Result", "NRestarts", "WatchdogTimestamp", "LoadState", "ActiveState",
             "SubState", "ActiveEnterTimestamp")  # fmt: skip
    defaults = {"Result": "success", "NRestarts": "0", "WatchdogTimestamp": "",
                "LoadState": "loaded", "ActiveState": "active", "SubState": "running",
                "ActiveEnterTimestamp": ""}  # fmt: skip
    return "".join(f"{key}={values.get(key, defaults[key])}\n" for key in order)


def fake_systemctl(bin_dir: Path, answers: dict[str, str]) -> None:
    """`systemctl show ... UNIT` printing ``answers[UNIT]`` (a unit it does not know: what
    systemd prints for one, LoadState=not-found, exit 0)."""
    bin_dir.mkdir(exist_ok=True)
    tool = bin_dir / "systemctl"
    unknown = show(LoadState="not-found", ActiveState="inactive", SubState="dead")
    tool.write_text(
        f"#!{sys.executable}\n"
        "import json, sys\n"
        f"with open({str(bin_dir / 'systemctl.args')!r}, 'a') as log:\n"
        "    log.write(json.dumps(sys.argv[1:]) + '\\n')\n"
        f"answers = {answers!r}\n"
        f"sys.stdout.write(answers.get(sys.argv[-1], {unknown!r}))\n"
    )
    tool.chmod(0o755)


def test_units_that_run_pass_and_ones_restarted_or_killed_by_the_watchdog_do_not(
    tools: Path, systemd_run: Path
) -> None:
    now = time.time()
    fake_systemctl(
        tools,
        {
            "kiosk-ui.service": show(
                ActiveEnterTimestamp=f"@{now - 3 * 3600:.0f}",
                WatchdogTimestamp=f"@{now - 2:.0f}",
            ),
            "kiosk-deliver.service": show(
                ActiveState="activating",
                SubState="auto-restart",
                Result="watchdog",
                NRestarts="3",
            ),
            "kiosk-flaky.service": show(NRestarts="2", ActiveEnterTimestamp=f"@{now - 300:.0f}"),
        },
    )
    units = ("kiosk-ui.service", "kiosk-deliver.service", "kiosk-flaky.service", "kiosk-x.service")
    ui, deliver, flaky, missing = services(units, systemd_run)
    assert (ui.id, ui.status, ui.fix) == ("services:kiosk-ui", Status.PASS, "")
    assert ui.detail in (
        "kiosk-ui.service: active (running) for 3 h; watchdog ping 2 s ago",
        "kiosk-ui.service: active (running) for 3 h; watchdog ping 3 s ago",
    )
    assert (deliver.id, deliver.status) == ("services:kiosk-deliver", Status.FAIL)
    assert deliver.detail == (
        "kiosk-deliver.service: activating (auto-restart); restarted 3 times by systemd "
        "(NRestarts); last stopped by the watchdog: it hung"
    )
    assert "journalctl -u kiosk-deliver.service" in deliver.fix
    assert flaky.status is Status.WARN and "restarted 2 times" in flaky.detail
    assert flaky.detail.startswith("kiosk-flaky.service: active (running) for 5 min")
    assert (missing.status, missing.detail) == (Status.FAIL, "kiosk-x.service not installed")
    first = calls(tools, "systemctl")[0]
    assert first == ["show", "--timestamp=unix", "-p", ",".join(PROPERTIES), "kiosk-ui.service"]


def test_a_failed_unit_fails_and_systemctl_errors_are_warnings(
    tools: Path, systemd_run: Path
) -> None:
    fake_systemctl(
        tools,
        {"kiosk-ui.service": show(ActiveState="failed", SubState="failed", Result="exit-code")},
    )
    (ui,) = services(("kiosk-ui.service",), systemd_run)
    assert ui.status is Status.FAIL
    assert ui.detail == "kiosk-ui.service: failed (failed); last result: exit-code"
    assert ui.fix.startswith("`systemctl restart kiosk-ui.service`")
    fake_tool(tools, "systemctl", "", 1, "Failed to connect to bus: No such file or directory\n")
    (ui,) = services(("kiosk-ui.service",), systemd_run)
    assert ui.status is Status.WARN
    assert (
        ui.detail
        == "systemctl show kiosk-ui.service: Failed to connect to bus: No such file or directory"
    )


def test_not_under_systemd_there_are_no_units_to_check(tools: Path, tmp_path: Path) -> None:
    fake_systemctl(tools, {})  # there, but systemd is not running: never asked
    (check,) = services(None, tmp_path / "no-run-systemd")
    assert (check.id, check.status) == ("services", Status.PASS)
    assert check.detail == "not under systemd (started by hand): no units"
    assert calls(tools, "systemctl") == []


# -- recent error events -----------------------------------------------------------------

NOW = datetime(2026, 3, 2, 0, 30, tzinfo=UTC).timestamp()  # half an hour into a UTC day


def write_events(state: Path, day: str, *lines: object) -> Path:
    path = state / "events" / f"{day}.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(x if isinstance(x, str) else json.dumps(x) + "\n" for x in lines))
    return path


def event(t: float, event_id: str, level: str, n: int = 1) -> dict[str, object]:
    return {"t": t, "id": event_id, "level": level, "kiosk": "k-1", "session": "s1f0",
            "n": n, "fields": {"team": "leistung-1", "error": "TimeoutError"}}  # fmt: skip


def test_errors_of_the_last_24_hours_are_counted_by_id(tmp_path: Path) -> None:
    state = tmp_path / "state"
    write_events(
        state, "2026-03-01",
        event(NOW - 25 * 3600, "delivery.failed", "error"),  # older than 24 h
        event(NOW - 20 * 3600, "delivery.failed", "error"),
        event(NOW - 3 * 3600, "camera.lost", "warning"),
        event(NOW - 3 * 3600, "service.started", "info"),
    )  # fmt: skip
    write_events(
        state, "2026-03-02",
        event(NOW - 600, "delivery.failed", "error"),
        event(NOW - 500, "printer.failed", "error"),
        event(NOW - 400, "12345BG0012345", "error", n=2),  # not an id: never echoed
        '{"t": 1772411000, "id": "delivery.fa',  # a line cut off by a killed writer
    )  # fmt: skip
    write_events(state, "2026-02-28", event(NOW - 2 * 86400, "storage.unwritable", "error"))
    (check,) = events(state, NOW)
    assert check.id == "events" and check.status is Status.WARN
    assert check.detail == (
        "5 errors in 24 h: (unknown id) ×2, delivery.failed ×2, printer.failed ×1; "
        "1 warning in 24 h: camera.lost ×1 (1 unreadable lines skipped)"
    )
    assert "12345" not in check.detail + check.fix and "leistung" not in check.detail
    assert check.fix


def test_no_event_log_or_only_warnings_pass(tmp_path: Path) -> None:
    (check,) = events(tmp_path / "nothing-here", NOW)
    assert (check.status, check.detail) == (Status.PASS, "no warnings or errors in 24 h")
    state = tmp_path / "state"
    write_events(state, "2026-03-02", event(NOW - 60, "camera.lost", "warning", n=4))
    (check,) = events(state, NOW)
    assert (check.status, check.detail) == (Status.PASS, "4 warnings in 24 h: camera.lost ×4")


def test_an_event_file_that_cannot_be_read_is_a_warning(tmp_path: Path) -> None:
    state = tmp_path / "state"
    write_events(state, "2026-03-01", event(NOW - 3600, "camera.lost", "warning"))
    (state / "events" / "2026-03-02.jsonl").mkdir()  # unreadable as a file (even for root)
    (check,) = events(state, NOW)
    assert check.status is Status.WARN
    assert check.detail == "1 warning in 24 h: camera.lost ×1; cannot read 2026-03-02.jsonl"


def test_the_events_check_runs_in_kiosk_diag_on_the_state_dir(state_dir: Path) -> None:
    from kiosk.app import build, embedded_config
    from kiosk.station import Station

    write_events(state_dir, datetime.now(UTC).date().isoformat(),
                 event(time.time() - 60, "delivery.failed", "error"))  # fmt: skip
    station = Station(build(embedded_config(), embedded=True))
    (check,) = run_checks(station, "events")
    assert (check.status, check.detail) == (Status.WARN, "1 error in 24 h: delivery.failed ×1")


# -- the card camera -------------------------------------------------------------------------


def test_a_camera_that_delivers_frames_passes_with_its_rates() -> None:
    """The kiosk's own frame source interface and code reader over recorded card frames."""
    source = FrameListSource(card_frames(4), fps=15.0, loop=True)
    check = try_camera(source, CombinedReader(), name="recorded", measure=0.5)
    assert check.status is Status.PASS, check
    assert check.detail.startswith("recorded: first frame after ")
    assert ", 1280x720, a recording, " in check.detail and " frames/s (" in check.detail
    assert "% of the frames)" in check.detail
    assert CASE not in check.detail  # what the camera read stays out of the report


def test_a_camera_without_frames_fails() -> None:
    check = try_camera(FrameListSource([]), CombinedReader(), name="recorded")
    assert (check.status, check.detail) == (Status.FAIL, "recorded: no frames at all")


class _Hung:
    """A camera that opens and then never delivers a frame (a wedged UVC device)."""

    fps, live = 30.0, True

    def __init__(self) -> None:
        self.release = threading.Event()

    def open(self) -> None:
        pass

    def read(self) -> np.ndarray:
        self.release.wait(10)
        return np.zeros((720, 1280, 3), np.uint8)

    def close(self) -> None:
        self.release.set()


def test_a_camera_that_hangs_fails_after_its_timeout() -> None:
    hung = _Hung()
    started = time.monotonic()
    check = try_camera(hung, CombinedReader(), name="/dev/video0", first_frame=0.5)
    hung.release.set()
    assert (check.status, check.detail) == (Status.FAIL, "/dev/video0: no frame within 0.5 s")
    assert time.monotonic() - started < 3


class _SlowReader:
    """The real reader on a machine too busy to decode more than 3 frames a second."""

    def __init__(self) -> None:
        self.reader = CombinedReader()

    def read(self, image: np.ndarray) -> list[DecodedCode]:
        time.sleep(0.3)
        return self.reader.read(image)


def test_a_decoder_too_slow_for_cards_is_a_warning() -> None:
    source = FrameListSource(card_frames(2), loop=True)
    check = try_camera(source, _SlowReader(), name="recorded", measure=1.0)
    assert check.status is Status.WARN, check
    assert "CPU is busy" in check.fix


def test_no_camera_configured_passes_as_keypad_only(state_dir: Path) -> None:
    from kiosk.app import build, embedded_config
    from kiosk.services.config import CameraSettings
    from kiosk.station import Station

    config = replace(embedded_config(), camera=CameraSettings(device="none"))
    (check,) = run_checks(Station(build(config, embedded=True)), "camera")
    assert (check.status, check.detail) == (Status.PASS, "no camera configured (keypad only)")


def test_a_configured_camera_that_is_not_there_fails(state_dir: Path) -> None:
    from kiosk.app import build, embedded_config
    from kiosk.services.config import CameraSettings
    from kiosk.station import Station

    missing = "/dev/v4l/by-id/usb-Missing_Camera_0000-video-index0"
    config = replace(embedded_config(), camera=CameraSettings(device=missing))
    started = time.monotonic()
    (check,) = run_checks(Station(build(config, embedded=True)), "camera")
    assert check.status is Status.FAIL and check.detail.startswith(f"{missing}: ")
    assert "cannot open camera" in check.detail and "plugged in" in check.fix
    assert time.monotonic() - started < 5
    assert not os.path.exists(missing)


def test_every_check_status_has_its_exit_code() -> None:
    from kiosk.diag import Status
    from kiosk.exits import EXIT_DIAG_FAILED, EXIT_DIAG_WARNED, EXIT_FOR_DIAG, EXIT_OK

    assert set(EXIT_FOR_DIAG) == {status.value for status in Status}
    assert [EXIT_FOR_DIAG[s] for s in (Status.PASS, Status.WARN, Status.FAIL)] == [
        EXIT_OK, EXIT_DIAG_WARNED, EXIT_DIAG_FAILED,
    ]  # fmt: skip
