"""The systemd journal's native protocol: one datagram of fields per log entry.

Written here (some 40 lines) instead of python-systemd, which compiles against libsystemd.
Protocol: https://systemd.io/JOURNAL_NATIVE_PROTOCOL/ — ``NAME=value\\n`` per field, or,
for a value with a line break, ``NAME\\n`` + its length (64-bit little-endian) + value + ``\\n``.
"""

from __future__ import annotations

import os
import re
import socket
import stat
import struct
from collections.abc import Mapping
from pathlib import Path

SOCKET = Path("/run/systemd/journal/socket")
MAX_VALUE = 48 * 1024  # bytes of one value: a datagram stays far below the socket's limit
_NAME = re.compile(r"\A[A-Z0-9][A-Z0-9_]*\Z")


def encode(fields: Mapping[str, str]) -> bytes:
    """One journal entry as the native protocol's datagram."""
    out = bytearray()
    for name, value in fields.items():
        if not _NAME.match(name):
            raise ValueError(f"not a journal field name: {name!r}")
        data = value.encode("utf-8", "replace")[:MAX_VALUE]
        if b"\n" in data:
            out += name.encode() + b"\n" + struct.pack("<Q", len(data)) + data + b"\n"
        else:
            out += name.encode() + b"=" + data + b"\n"
    return bytes(out)


def decode(datagram: bytes) -> dict[str, str]:
    """The inverse of ``encode`` (the tests read what the journal would)."""
    fields: dict[str, str] = {}
    at = 0
    while at < len(datagram):
        end = datagram.index(b"\n", at)
        line = datagram[at:end]
        if b"=" in line:
            name, _, value = line.partition(b"=")
            at = end + 1
        else:
            name = line
            (size,) = struct.unpack("<Q", datagram[end + 1 : end + 9])
            value = datagram[end + 9 : end + 9 + size]
            at = end + 9 + size + 1
        fields[name.decode()] = value.decode("utf-8", "replace")
    return fields


def journal_wanted(path: Path = SOCKET) -> bool:
    """The journal is there and our stderr goes to it (systemd sets $JOURNAL_STREAM for a
    service), or ``$KIOSK_LOG=journal`` says so; ``$KIOSK_LOG=stderr`` keeps stderr. A
    person at a terminal keeps seeing the lines where they typed the command."""
    wanted = os.environ.get("KIOSK_LOG", "")
    if wanted == "stderr":
        return False
    if not (wanted == "journal" or os.environ.get("JOURNAL_STREAM")):
        return False
    try:
        return stat.S_ISSOCK(path.stat().st_mode)
    except OSError:
        return False


class Journal:
    """Sends entries to the journal's socket; ``send`` says False when it could not."""

    def __init__(self, path: Path = SOCKET) -> None:
        self.path = str(path)
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._socket.setblocking(False)  # a stalled journal must never stall the kiosk

    def send(self, fields: Mapping[str, str]) -> bool:
        try:
            self._socket.sendto(encode(fields), self.path)
        except OSError:
            return False
        return True

    def close(self) -> None:
        self._socket.close()
