"""Where the kiosk keeps its working state: keys, spool, held batches."""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "KIOSK_STATE_DIR"


def state_dir(configured: str | os.PathLike[str] | None = None) -> Path:
    """``$KIOSK_STATE_DIR``, else the configured path, else a system or user default."""
    chosen = os.environ.get(ENV_VAR) or configured
    if chosen:
        path = Path(chosen).expanduser()
    elif os.geteuid() == 0:
        path = Path("/var/lib/kiosk")
    else:
        base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
        path = Path(base) / "kiosk"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def private_dir(path: Path) -> Path:
    """A directory only the kiosk's user can enter (social data may pass through it)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)
    return path
