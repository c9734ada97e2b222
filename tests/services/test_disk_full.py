"""A full disk, for real: a small tmpfs. The kiosk refuses before the client scans, and
nothing already spooled is harmed."""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.services.channels import Parcel
from kiosk.services.spool.outbox import Outbox, SpoolError
from kiosk.services.spool.vault import Vault

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="mounting a tmpfs needs root")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "small"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


def fill(directory: Path) -> None:
    with contextlib.suppress(OSError), open(directory / "filler", "wb") as handle:
        while True:
            handle.write(b"\0" * 65536)
            handle.flush()


def test_a_full_disk_refuses_new_documents_and_keeps_the_spooled_ones(
    small_disk: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    outbox = Outbox(small_disk / "outbox", Vault(b"k" * 32))
    first = Parcel("a" * 32, "first", b"%PDF " + os.urandom(200_000), {"pages": 3})
    outbox.put(first, "file:///nowhere/")
    fill(small_disk)
    before = sorted(p.name for p in (small_disk / "outbox").iterdir())
    with pytest.raises(SpoolError, match="cannot store"):
        outbox.put(Parcel("b" * 32, "second", b"%PDF " + os.urandom(200_000)), "file:///x/")
    assert sorted(p.name for p in (small_disk / "outbox").iterdir()) == before  # no debris
    assert outbox.load("a" * 32)[0].pdf == first.pdf  # the spooled one is intact
    # A client who walks up now is told before scanning anything.
    monkeypatch.setenv("KIOSK_STATE_DIR", str(small_disk / "fresh-state"))
    assert submit(small_disk) == 5
    err = capsys.readouterr().err
    assert "cannot write its working files (No space left on device)" in err
    assert "Traceback" not in err


def test_a_kiosk_whose_disk_filled_up_refuses_before_scanning(
    small_disk: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIOSK_STATE_DIR", str(small_disk / "state"))
    monkeypatch.setattr("kiosk.station.MIN_FREE_BYTES", 1024 * 1024)  # a 2 MB disk
    assert submit(small_disk, "--no-scan", "--resume", "00000000") == 3  # not full: goes on
    fill(small_disk)
    assert submit(small_disk) == 5
    err = capsys.readouterr().err
    assert "storage is full" in err and "Traceback" not in err


def submit(disk: Path, *extra: str) -> int:
    # "nosuch:0": were the kiosk to scan despite the full disk, this would fail differently
    return main(
        [
            "submit",
            "--case",
            "12345BG0012345",
            "--concern",
            "sick",
            "--scanner",
            "nosuch:0",
            "--inbox",
            disk.as_uri(),
            *extra,
        ]
    )
