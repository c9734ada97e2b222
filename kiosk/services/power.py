"""Rebooting the kiosk PC for field support: ``systemctl reboot`` (logind; allowed for the
kiosk user by deploy/lockdown/usr/share/polkit-1/rules.d/50-jobcenter-kiosk.rules). Without
systemd there is nobody to ask: the caller is told so, calmly, and nothing happens."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

COMMAND = ("systemctl", "reboot")
SYSTEMD = Path("/run/systemd/system")  # sd_booted(3): present when systemd is PID 1
DEADLINE = 20.0  # seconds for systemctl to hand the job to logind


class RebootFailed(Exception):
    """The PC is not being rebooted; the message says why, for field support."""


def reboot(command: Sequence[str] = COMMAND, systemd: Path = SYSTEMD) -> None:
    """Ask for the reboot; returns when it is under way (the program ends with it)."""
    if tuple(command) == COMMAND and not systemd.is_dir():
        raise RebootFailed("this PC does not run systemd: restart it by its power button")
    try:
        done = subprocess.run(
            list(command), capture_output=True, text=True, timeout=DEADLINE, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        raise RebootFailed(f"{command[0]} did not run: {type(err).__name__}") from None
    if done.returncode != 0:
        why = (done.stderr or done.stdout).strip().splitlines()
        raise RebootFailed(why[-1][:200] if why else f"{command[0]} exit {done.returncode}")
