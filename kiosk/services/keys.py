"""Secret key files: created on first start if missing, refused if unsafe."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from kiosk.services.fsync import write_atomic

KEY_BYTES = 32


class KeyFileError(Exception):
    """A key file exists but cannot be used; never silently replaced."""


def load_or_create_key(path: Path, size: int = KEY_BYTES) -> bytes:
    """Read a raw key file, or create one readable by this user only.

    An existing file that is unreadable, of the wrong size, or readable by others is an
    error: replacing it would orphan everything encrypted with it.
    """
    try:
        path.stat()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = os.urandom(size)
        try:
            write_atomic(path, key, mode=0o600, exclusive=True)
        except FileExistsError:
            return load_or_create_key(path, size)  # another process created it first
        return key
    key = read_private(path)
    if len(key) != size:
        raise KeyFileError(f"key file {path} holds {len(key)} bytes, expected {size}")
    return key


def load_key(path: Path, min_size: int) -> bytes:
    """Read a key file issued by someone else (card signing keys): never created here."""
    key = read_private(path)
    if len(key) < min_size:
        raise KeyFileError(f"key file {path} holds {len(key)} bytes, at least {min_size} needed")
    return key


def read_private(path: Path, what: str = "key file") -> bytes:
    """A secret file's bytes (key, token); refused when others may read it or it cannot be
    read, as a KeyFileError naming the file, never a traceback."""
    try:
        if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise KeyFileError(f"{what} {path} is readable by other users (chmod 600 it)")
        return path.read_bytes()
    except OSError as err:
        raise KeyFileError(f"{what} {path} cannot be read: {err.strerror}") from err
