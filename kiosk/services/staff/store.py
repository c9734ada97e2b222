"""The staff directory's JSON files: read whole, written atomically (0600), under one lock."""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kiosk.services.spool.fsync import write_atomic
from kiosk.services.statedir import private_dir


class StaffFileError(Exception):
    """A staff file exists but cannot be read as what it should hold: never overwritten
    (that would enrol nobody, or forget a revocation)."""


class StaffFiles:
    """``<state dir>/staff``: created on first use, 0700."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path(self, name: str) -> Path:
        return self.directory / name

    @contextmanager
    def locked(self) -> Iterator[None]:
        """One read-modify-write at a time, across processes (flock on ``.lock``)."""
        private_dir(self.directory)
        fd = os.open(self.directory / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def read(self, name: str) -> dict[str, Any]:
        """The file's JSON object; {} when the file does not exist."""
        path = self.path(name)
        try:
            data = json.loads(path.read_bytes())
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as err:
            raise StaffFileError(f"{path} cannot be read: {err}") from err
        if not isinstance(data, dict):
            raise StaffFileError(f"{path} does not hold a JSON object")
        return data

    def write(self, name: str, data: dict[str, Any]) -> None:
        private_dir(self.directory)
        text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        write_atomic(self.path(name), text.encode(), mode=0o600)
