"""The clock: is it NTP synchronised, and how far is it from the inbox servers' clocks?

TLS (certificate dates) and the receipt times depend on it. Whether the clock is
synchronised is asked of what a Debian kiosk has: ``timedatectl`` when systemd runs (it
reports the kernel's synchronisation state), the flag file systemd-timesyncd leaves once
it has synchronised, ``chronyc tracking``. When none of them can tell, the check says so
(a warning), never a pass it cannot back. The skew comes from the ``Date:`` of the inbox
servers' HTTP answers in the delivery walk (kiosk.diag.network.ServerClock).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path

from kiosk.diag.check import Check, Status
from kiosk.diag.network import ServerClock

SYSTEMD_RUN = Path("/run/systemd/system")  # exists when systemd is the init system
TIMESYNC_FLAG = Path("/run/systemd/timesync/synchronized")  # timesyncd: synchronised once
TOOL_TIMEOUT = 2.0  # seconds for timedatectl or chronyc
SKEW_WARN = 60.0  # seconds off an inbox server's clock: a warning
SKEW_FAIL = 300.0  # ... a failure: certificates and receipt times go wrong
NTP_FIX = "check the NTP server and that NTP (udp 123) may leave: TLS and receipt times need it"


def clock(
    clocks: Sequence[ServerClock],
    systemd_run: Path | None = None,
    timesync_flag: Path | None = None,
) -> Iterator[Check]:
    synced, how = ntp_synchronised(systemd_run or SYSTEMD_RUN, timesync_flag or TIMESYNC_FLAG)
    if synced is None:
        yield Check("clock", Status.WARN, f"cannot tell whether the clock is NTP synchronised "
                    f"({how})", "install systemd-timesyncd or chrony, or check the time "
                    "against a trusted clock by hand")  # fmt: skip
    elif synced:
        yield Check("clock", Status.PASS, f"NTP synchronised ({how})")
    else:
        yield Check("clock", Status.WARN, f"NTP not synchronised ({how})", NTP_FIX)
    if clocks:
        yield skew_check(clocks)


def skew_check(clocks: Sequence[ServerClock]) -> Check:
    """The inbox server whose clock is furthest from ours decides."""
    far = max(clocks, key=lambda c: abs(c.skew))
    off = abs(far.skew)
    side = "ahead of" if far.skew > 0 else "behind"
    detail = f"{off:.0f} s {side} {far.host} (its HTTP Date, ±{far.uncertainty:.0f} s)"
    if len(clocks) > 1:
        detail += f"; the furthest of {len(clocks)} inbox servers"
    if off > SKEW_FAIL:
        fix = "set the time (NTP): certificates are judged and receipts dated by it"
        return Check("clock:skew", Status.FAIL, detail, fix)
    if off > SKEW_WARN:
        return Check("clock:skew", Status.WARN, detail, NTP_FIX)
    return Check("clock:skew", Status.PASS, detail)


def ntp_synchronised(systemd_run: Path, timesync_flag: Path) -> tuple[bool | None, str]:
    """True or False and who said so; None and what was tried when nothing could tell."""
    tried = []
    if systemd_run.is_dir():
        said = _ask(["timedatectl", "show", "-p", "NTPSynchronized", "--value"])
        if said in ("yes", "no"):
            return said == "yes", "timedatectl"
        tried.append("timedatectl gave no answer")
    else:
        tried.append("no systemd")
    if timesync_flag.exists():
        return True, f"systemd-timesyncd: {timesync_flag}"
    if shutil.which("chronyc") is None:
        tried.append("no chronyc")
        return None, ", ".join(tried)
    tracking = _ask(["chronyc", "-n", "tracking"]) or ""
    leap = re.search(r"^Leap status\s*:\s*(.+)$", tracking, re.MULTILINE)
    if leap is None:
        tried.append("chronyd not answering")
        return None, ", ".join(tried)
    if leap.group(1).strip() != "Normal":
        return False, f"chrony: {leap.group(1).strip()}"
    offset = re.search(r"^System time\s*:\s*([0-9.]+ seconds \w+)", tracking, re.MULTILINE)
    return True, "chrony" + (f", {offset.group(1)} of NTP time" if offset else "")


def _ask(command: list[str]) -> str | None:
    """The tool's standard output when it ran and succeeded, else None."""
    if shutil.which(command[0]) is None:
        return None
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=TOOL_TIMEOUT, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None
