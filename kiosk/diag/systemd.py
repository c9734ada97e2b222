"""The kiosk's systemd units: active, how often restarted, stopped by the watchdog.

Asked with ``systemctl show`` only when systemd runs (``/run/systemd/system`` exists);
a kiosk started by hand has no units to check. The unit names are not fixed yet
(issue 12 ships the units): ``KIOSK_UNITS`` holds them.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from kiosk.diag.check import Check, Status, worst

KIOSK_UNITS = ("kiosk-ui.service", "kiosk-deliver.service")
SYSTEMD_RUN = Path("/run/systemd/system")  # exists when systemd is the init system
PROPERTIES = (
    "LoadState", "ActiveState", "SubState", "Result", "NRestarts",
    "ActiveEnterTimestamp", "WatchdogTimestamp",
)  # fmt: skip
SYSTEMCTL_TIMEOUT = 3.0  # seconds for one `systemctl show`


def services(
    units: Sequence[str] | None = None, systemd_run: Path | None = None
) -> Iterator[Check]:
    if not (systemd_run or SYSTEMD_RUN).is_dir():
        yield Check("services", Status.PASS, "not under systemd (started by hand): no units")
        return
    if shutil.which("systemctl") is None:
        yield Check("services", Status.WARN, "systemd runs, but there is no systemctl",
                    "check the kiosk's units by hand: systemctl status kiosk-*")  # fmt: skip
        return
    for unit in units or KIOSK_UNITS:
        yield unit_check(unit)


def unit_check(unit: str) -> Check:
    check_id = f"services:{unit.removesuffix('.service')}"
    journal = f"see `journalctl -u {unit} -b`"
    try:
        done = subprocess.run(
            ["systemctl", "show", "--timestamp=unix", "-p", ",".join(PROPERTIES), unit],
            capture_output=True, text=True, timeout=SYSTEMCTL_TIMEOUT, check=False,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError) as err:
        return Check(check_id, Status.WARN, f"systemctl show {unit}: {err}", journal)
    if done.returncode != 0:
        why = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[0]
        return Check(check_id, Status.WARN, f"systemctl show {unit}: {why}", journal)
    return judge(unit, parse_show(done.stdout), journal, check_id)


def parse_show(text: str) -> dict[str, str]:
    """``Key=Value`` lines of ``systemctl show``."""
    found = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            found[key.strip()] = value.strip()
    return found


def judge(unit: str, shown: dict[str, str], journal: str, check_id: str) -> Check:
    load, active = shown.get("LoadState", ""), shown.get("ActiveState", "")
    sub, result = shown.get("SubState", ""), shown.get("Result", "")
    if load == "not-found":
        return Check(check_id, Status.FAIL, f"{unit} not installed",
                     "install the kiosk package: its systemd units are missing")  # fmt: skip
    notes, statuses = [f"{active or '?'} ({sub or '?'})"], []
    since = _ago(shown.get("ActiveEnterTimestamp", ""))
    if active == "active":
        if since is not None:
            notes[0] += f" for {_span(since)}"
        pinged = _ago(shown.get("WatchdogTimestamp", ""))
        if pinged is not None:
            notes.append(f"watchdog ping {_span(pinged)} ago")
    elif active == "activating" and sub != "auto-restart":
        statuses.append(Status.WARN)  # starting up
    else:  # failed, inactive, deactivating, or waiting to be restarted after a failure
        statuses.append(Status.FAIL)
    restarts = shown.get("NRestarts", "0")
    if restarts.isdigit() and int(restarts) > 0:
        notes.append(f"restarted {restarts} times by systemd (NRestarts)")
        statuses.append(Status.WARN)
    if result == "watchdog":
        notes.append("last stopped by the watchdog: it hung")
        statuses.append(Status.WARN)
    elif result and result != "success":
        notes.append(f"last result: {result}")
        statuses.append(Status.WARN)
    status = worst(statuses)
    fix = ""
    if status is Status.FAIL:
        fix = f"`systemctl restart {unit}`; {journal} for why it stopped"
    elif status is Status.WARN:
        fix = f"{journal} for why"
    return Check(check_id, status, f"{unit}: " + "; ".join(notes), fix)


def _ago(timestamp: str) -> float | None:
    """Seconds since a ``--timestamp=unix`` value (``@1700000000``); None when unset."""
    if not timestamp.startswith("@"):
        return None
    try:
        return max(0.0, time.time() - float(timestamp[1:]))
    except ValueError:
        return None


def _span(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 2 * 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.0f} h"
    return f"{seconds / 86400:.0f} days"
