"""Durable file writes: temporary name, fsync, rename, fsync of the directory."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path


def fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(
    target: Path,
    data: bytes | Iterable[bytes | memoryview],
    mode: int = 0o600,
    exclusive: bool = False,
) -> None:
    """Write ``data`` so that ``target`` is either absent or complete, even after a crash;
    ``data`` may come in pieces (e.g. encrypted as they are written: no copy of it whole).

    ``exclusive``: fail with FileExistsError instead of replacing an existing file.
    """
    directory = target.parent
    # os.urandom, as secrets.token_hex: secrets loads random and hashlib, and the
    # configuration check reaches this module before the first paint.
    tmp = directory / f".{target.name}.{os.urandom(6).hex()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            for piece in (data,) if isinstance(data, (bytes, bytearray, memoryview)) else data:
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        if exclusive:
            os.link(tmp, target)  # atomic, and refuses to overwrite
            os.unlink(tmp)
        else:
            os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(directory)
