"""The support bundle from staff mode: `kiosk support-bundle` (kiosk.cli.bundle: nothing of
any client's) run as its own process, written to a USB stick or the state dir's reports/.

Its own process, as field support would run it on the console: the bundle opens the
station afresh, runs every check and reads the scanner's options, and none of that may
hold up or share state with the touch UI.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

DEADLINE = 240.0  # seconds: every check of `kiosk diag` (inboxes time out at ~20 s each)


class BundleFailed(Exception):
    """No bundle was written; the message says why, for field support."""


def save(directory: Path, kiosk_id: str, state: Path, config: Path | None) -> Path:
    """Write ``support-bundle-<kiosk>-<time>.tar.gz`` into ``directory``; its path."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"support-bundle-{kiosk_id}-{time.strftime('%Y%m%d-%H%M%S')}.tar.gz"
    command = [sys.executable, "-m", "kiosk", "support-bundle", "--out", str(target)]
    if config is not None:
        command += ["--config", str(config)]
    env = {**os.environ, "KIOSK_STATE_DIR": str(state)}  # this kiosk's, whatever the default
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=DEADLINE, env=env, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        raise BundleFailed(f"kiosk support-bundle did not finish: {type(err).__name__}") from None
    if done.returncode != 0 or not target.is_file():
        why = done.stderr.strip().splitlines()
        raise BundleFailed(why[-1][:200] if why else f"exit {done.returncode}")
    return target
