"""The systemd units in deploy/systemd/: their exposure scores gated with the real
``systemd-analyze security --offline=yes`` (no systemd needed as PID 1), and the settings
the kiosk relies on. The booted check of the same units is in test_install.py."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy" / "systemd"
# issue 12: the UI at most 4.0, the delivery service at most 2.5; the small oneshots as
# strict as the delivery service.
GATES = {
    "kiosk-ui.service": 4.0,
    "kiosk-deliver.service": 2.5,
    "kiosk-routing-sync.service": 2.5,
    "kiosk-metrics.service": 2.5,
}


def analyze_offline() -> None:
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is missing (package systemd)")
    probe = subprocess.run(
        [
            "systemd-analyze",
            "security",
            "--offline=yes",
            "--no-pager",
            str(UNITS / "kiosk-deliver.service"),
        ],
        capture_output=True,
        text=True,
    )
    if "Overall exposure level" not in probe.stdout:
        pytest.skip(f"systemd-analyze security --offline=yes does not work here: {probe.stderr}")


class Section(dict[str, list[str]]):
    """A unit file section: every value of a key, in order (keys may repeat)."""

    def __getitem__(self, key: str) -> str:  # type: ignore[override]
        return super().__getitem__(key)[-1]

    def all(self, key: str) -> list[str]:
        return super().get(key, [])


def unit(name: str) -> dict[str, Section]:
    sections: dict[str, Section] = {}
    current = Section()
    text = (UNITS / name).read_text().replace("\\\n", " ")  # continued lines
    for line in text.splitlines():
        line = line.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), Section())
            continue
        key, _, value = line.partition("=")
        dict.setdefault(current, key.strip(), []).append(value.strip())
    return sections


@pytest.mark.parametrize("name", sorted(GATES))
def test_exposure_score_meets_the_gate(name: str) -> None:
    analyze_offline()
    result = subprocess.run(
        ["systemd-analyze", "security", "--offline=yes", "--no-pager",
         f"--threshold={round(GATES[name] * 10)}", str(UNITS / name)],
        capture_output=True,
        text=True,
    )  # fmt: skip
    score = re.search(r"Overall exposure level for \S+: ([\d.]+)", result.stdout)
    assert score is not None, result.stdout + result.stderr
    assert result.returncode == 0, f"{name}: {score.group(1)} > {GATES[name]}"
    assert float(score.group(1)) <= GATES[name]


def test_an_unhardened_unit_fails_the_gate(tmp_path: Path) -> None:
    """The gate can fail: cage as root without any sandboxing scores far above 4.0."""
    analyze_offline()
    plain = tmp_path / "plain-cage.service"
    plain.write_text("[Service]\nExecStart=/usr/bin/cage -- /usr/bin/kiosk run\n")
    result = subprocess.run(
        ["systemd-analyze", "security", "--offline=yes", "--threshold=40", str(plain)],
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0


@pytest.mark.parametrize("name", [*GATES])
def test_every_service_runs_as_kiosk_writing_only_its_state_dir(name: str) -> None:
    service = unit(name)["Service"]
    assert service["User"] == "kiosk"
    assert service["ProtectSystem"] == "strict"
    assert service["NoNewPrivileges"] == "yes"
    assert service["CapabilityBoundingSet"] == ""
    assert service["StateDirectory"] == "kiosk"
    assert "KIOSK_STATE_DIR=/var/lib/kiosk" in service.all("Environment")
    # StateDirectory= makes /var/lib/kiosk writable; ReadWritePaths= names it again (or,
    # for the metrics, the one other directory it writes).
    extra = {
        "kiosk-metrics.service": ["/var/lib/prometheus/node-exporter"],
    }
    assert service["ReadWritePaths"].split() == extra.get(name, ["/var/lib/kiosk"])


def test_the_ui_is_a_watched_session_on_tty1_without_vt_switching() -> None:
    ui = unit("kiosk-ui.service")
    service = ui["Service"]
    assert service["Type"] == "notify"
    assert service["NotifyAccess"] == "main"  # kiosk.ui.notify_relay, cage's parent
    assert service["WatchdogSec"]
    assert service["PAMName"] == "login"
    assert service["TTYPath"] == "/dev/tty1"
    assert service["Restart"] == "always"
    command = service["ExecStart"].split()
    assert command[:3] == ["/opt/jobcenter-kiosk/bin/python", "-m", "kiosk.ui.notify_relay"]
    command = command[command.index("/usr/bin/cage") :]
    assert "-s" not in command  # -s would allow VT switches
    assert service["RuntimeDirectory"] == "kiosk-ui"  # XDG_RUNTIME_DIR: the Wayland socket
    assert command[-2:] == ["kiosk", "run"] or command[-2:] == ["/usr/bin/kiosk", "run"]
    assert ui["Unit"]["Conflicts"] == "getty@tty1.service"
    # The notifications come from the UI's own event loop (kiosk/ui/watchdog.py).
    assert "notify_systemd(window" in (ROOT / "kiosk" / "ui" / "main.py").read_text()


def test_the_delivery_service_runs_without_the_ui() -> None:
    deliver = unit("kiosk-deliver.service")
    assert "kiosk-ui" not in str(deliver["Unit"])
    assert deliver["Service"]["ExecStart"] == "/usr/bin/kiosk deliver"
    assert deliver["Install"]["WantedBy"] == "multi-user.target"
