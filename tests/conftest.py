"""Shared fixtures: a private state dir per test, and SANE's real `test` backend."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.scanner.sane_scanner import SaneScanner
from tests.services.https_receiver import Receiver
from tests.tlsutil import Pki, make_pki

# Every log line of the session is checked for client data (tests/log_canary.py).
pytest_plugins = ("tests.log_canary",)

EMBEDDED_SANE = Path(__file__).resolve().parent.parent / "drivers" / "scanner" / "sane_config"

# SANE test-backend statuses for each fault it can inject through read-return-value.
SANE_STATUS_FOR_FAULT = {
    "no_paper": "SANE_STATUS_NO_DOCS",
    "jammed": "SANE_STATUS_JAMMED",
    "cover_open": "SANE_STATUS_COVER_OPEN",
    "busy": "SANE_STATUS_DEVICE_BUSY",
    "io_error": "SANE_STATUS_IO_ERROR",
    "cancelled": "SANE_STATUS_CANCELLED",
    "unsupported": "SANE_STATUS_UNSUPPORTED",
    "truncated": "SANE_STATUS_EOF",  # EOF before any data: a 0-line "page" with no error
    "failed": "SANE_STATUS_INVAL",
}


@pytest.fixture(autouse=True)
def state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own KIOSK_STATE_DIR: nothing lands in a real home or /var/lib."""
    path = tmp_path / "state"
    monkeypatch.setenv("KIOSK_STATE_DIR", str(path))
    # ... and no configuration of the machine's: not $KIOSK_CONFIG, not /etc/kiosk's.
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    monkeypatch.delenv("SANE_CONFIG_DIR", raising=False)
    monkeypatch.setattr("kiosk.configuration.SYSTEM_CONFIG", tmp_path / "etc-kiosk" / "kiosk.toml")
    return path


@pytest.fixture
def sane_config(tmp_path: Path) -> Path:
    """A private SANE_CONFIG_DIR listing only the `test` backend (A4-sized geometry).

    Each scan runs in a fresh worker process, so the test backend's habit of keeping
    option values across close/open within one process cannot leak between tests.
    """
    target = tmp_path / "sane"
    shutil.copytree(EMBEDDED_SANE, target)
    return target


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    """A private CA with server, client, expired and foreign certificates."""
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def receiver(pki: Pki) -> Iterator[Receiver]:
    """The HTTPS test inbox on 127.0.0.1 (tests/services/https_receiver.py)."""
    with Receiver(pki.server_cert, pki.server_key) as server:
        yield server


@pytest.fixture
def sane_scanner(sane_config: Path) -> Iterator[SaneScanner]:
    yield SaneScanner(sane_config, open_timeout=30, stall_timeout=20, page_timeout=60)
