"""Which configuration a command runs on: found (``--config``, ``$KIOSK_CONFIG``,
/etc/kiosk/kiosk.toml, else the embedded defaults), read and checked.

Its own module, beside the composition root (kiosk.app) and the use cases (kiosk.station),
which import it: ``kiosk run`` reads and checks its configuration before the start screen's
first paint and builds the kiosk after it, so this path loads only the configuration's
records, not the kiosk's.
"""

from __future__ import annotations

import os
from pathlib import Path

from msgspec import Struct

from kiosk.services.config import KioskConfig, ScannerConfig, load_config

EMBEDDED_SANE_CONFIG = (
    Path(__file__).resolve().parent.parent / "drivers" / "scanner" / "sane_config"
)
CONFIG_ENV = "KIOSK_CONFIG"
SYSTEM_CONFIG = Path("/etc/kiosk/kiosk.toml")


class Configured(Struct, frozen=True):
    """A kiosk's configuration, read and checked, before anything is built from it."""

    config: KioskConfig
    origin: str  # where it came from, in words
    embedded: bool  # the embedded defaults (no file)


def find_config(given: Path | None) -> tuple[Path | None, str]:
    """The configuration every command uses: ``--config``, else ``$KIOSK_CONFIG``, else
    /etc/kiosk/kiosk.toml when present, else None (the embedded defaults); and where it
    came from, in words, so a command can say which one it uses."""
    if given is not None:
        return given, f"{given} (--config)"
    from_env = os.environ.get(CONFIG_ENV)
    if from_env:
        return Path(from_env), f"{from_env} (${CONFIG_ENV})"
    if SYSTEM_CONFIG.exists():
        return SYSTEM_CONFIG, str(SYSTEM_CONFIG)
    return None, "embedded defaults (SANE test scanner, folder inboxes in the state dir)"


def embedded_config() -> KioskConfig:
    """The embedded defaults: SANE's test scanner and folder inboxes under the state dir.

    ``SANE_CONFIG_DIR`` from the environment wins over the shipped SANE configuration, as
    it does for every SANE program (field support points it at a real backend)."""
    sane_dir = os.environ.get("SANE_CONFIG_DIR")
    sane_config = Path(sane_dir) if sane_dir else EMBEDDED_SANE_CONFIG
    scanner = ScannerConfig(device="test:0", sane_config_dir=sane_config)
    return KioskConfig(kiosk_id="demo-kiosk", scanner=scanner)


def read_configuration(given: Path | None) -> Configured:
    """The configuration, found as every command finds it (``find_config``), or the
    embedded defaults; raises InvalidFile when it is broken. Quick: parses and checks."""
    path, origin = find_config(given)
    config = load_config(path, routing=False) if path else embedded_config()
    return Configured(config, origin, path is None)
