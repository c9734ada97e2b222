"""Secret key files and TLS files: created on first start if missing, refused if unsafe.

Each rule is one function returning why a file cannot be used (or None): `kiosk config
check` reports it with key and line, the start raises it as a KeyFileError. One rule, so
the two can never disagree.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from kiosk.services.spool.fsync import write_atomic

KEY_BYTES = 32
_OTHERS = stat.S_IRWXG | stat.S_IRWXO


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
    return read_private(path, min_size=min_size)


def read_private(path: Path, what: str = "key file", min_size: int = 0) -> bytes:
    """A secret file's bytes (key, token); refused when others may read it, it cannot be
    read or it is too short, as a KeyFileError naming the file, never a traceback."""
    data, problem = _read_private(path, what, min_size)
    if problem is not None:
        raise KeyFileError(problem)
    return data


def private_file_problem(path: Path, what: str = "key file", min_size: int = 0) -> str | None:
    """Why ``path`` cannot serve as a secret file, or None (the rule of read_private)."""
    return _read_private(path, what, min_size)[1]


def read_token(path: Path, what: str = "token file") -> str:
    """The bearer token in a private file: non-empty, printable, no whitespace inside
    (surrounding whitespace, such as the final newline, is dropped)."""
    token, problem = _read_token(path, what)
    if problem is not None:
        raise KeyFileError(problem)
    return token


def token_file_problem(path: Path, what: str = "token file") -> str | None:
    """Why ``path`` holds no usable bearer token, or None (the rule of read_token)."""
    return _read_token(path, what)[1]


def key_dir_problem(path: Path) -> str | None:
    """Why ``path`` cannot be the key directory, or None. A missing one is fine (it is
    created at start); one that others may write to is refused, not repaired: someone
    may already have put a key of theirs, or a link, into it."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return None
    except OSError as err:
        return f"key directory {path} cannot be read: {err.strerror}"
    if not stat.S_ISDIR(mode):
        return f"key directory {path} is not a directory"
    if mode & (stat.S_IWGRP | stat.S_IWOTH):
        return f"key directory {path} is writable by other users (chmod 700 it)"
    return None


def ca_bundle_problem(path: Path) -> str | None:
    """Why ``path`` is not a bundle of CA certificates, or None."""
    import ssl  # here: the configuration is read before the start screen's first paint

    problem = readable_file_problem(path, "CA bundle")
    if problem is not None:
        return problem
    try:
        ssl.create_default_context().load_verify_locations(cafile=str(path))
    except ssl.SSLError:
        return f"CA bundle {path} holds no certificate (PEM: -----BEGIN CERTIFICATE-----)"
    except (OSError, ValueError) as err:
        return f"CA bundle {path} cannot be read: {_reason(err)}"
    return None


def client_cert_problem(cert: Path, key: Path) -> str | None:
    """Why a client certificate and its key (mTLS) cannot be used together, or None."""
    import ssl

    problem = readable_file_problem(cert, "client certificate") or private_file_problem(
        key, "client key"
    )
    if problem is not None:
        return problem
    asked: list[bool] = []

    def no_passphrase() -> str:
        asked.append(True)  # the kiosk runs unattended: nobody can type a passphrase
        return ""

    try:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.load_cert_chain(str(cert), str(key), password=no_passphrase)
    except (OSError, ssl.SSLError, ValueError) as err:
        if asked:
            return f"client key {key} is protected by a passphrase: store it without one (0600)"
        if getattr(err, "reason", None) == "KEY_VALUES_MISMATCH":
            return f"client key {key} does not belong to client certificate {cert}"
        if isinstance(err, ssl.SSLError):
            return f"client certificate {cert} or key {key} is not a PEM certificate or key"
        return f"client certificate {cert} or key {key} cannot be read: {_reason(err)}"
    return None


def readable_file_problem(path: Path, what: str) -> str | None:
    """Why ``path`` is not a regular file this user can open, or None."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return f"{what} {path} not found"
    except (OSError, ValueError) as err:
        return f"{what} {path} cannot be read: {getattr(err, 'strerror', None) or err}"
    if not stat.S_ISREG(mode):  # a directory, or a FIFO that would block the start
        return f"{what} {path} is not a regular file"
    return None


def _read_private(path: Path, what: str, min_size: int) -> tuple[bytes, str | None]:
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return b"", f"{what} {path} cannot be read: not found"
    except (OSError, ValueError) as err:
        return b"", f"{what} {path} cannot be read: {getattr(err, 'strerror', None) or err}"
    if not stat.S_ISREG(mode):
        return b"", f"{what} {path} cannot be read: not a regular file"
    if mode & _OTHERS:
        return b"", f"{what} {path} is readable by other users (chmod 600 it)"
    try:
        data = path.read_bytes()
    except OSError as err:
        return b"", f"{what} {path} cannot be read: {err.strerror}"
    if len(data) < min_size:
        return data, f"{what} {path} holds {len(data)} bytes, at least {min_size} needed"
    return data, None


def _read_token(path: Path, what: str) -> tuple[str, str | None]:
    data, problem = _read_private(path, what, 0)
    if problem is not None:
        return "", problem
    try:
        token = data.decode().strip()
    except UnicodeDecodeError:
        token = ""
    if not token or any(c.isspace() or not c.isprintable() for c in token):
        return "", f"{what} {path} holds no usable token"
    return token, None


def _reason(err: Exception) -> str:
    return str(getattr(err, "strerror", None) or err)
