"""The staff audit log: append-only JSON lines in a hash chain (``audit.jsonl``).

Each line is one JSON object (sorted keys, no blanks)::

    {"card":"kmqxrtvw","change":{"pin":"set"},"event":"staff.pin_set","kiosk":"k-01",
     "prev":"<sha256 of the previous line>","role":"office","seq":7,"time":"...Z"}

``prev`` is the SHA-256 (hex) of the previous line's bytes without its newline; the first
line's is 64 zeros. ``seq`` counts from 1. An edited line breaks the next line's ``prev``;
a deleted line breaks ``seq`` and ``prev``; ``audit.head`` (the last ``seq`` and hash,
rewritten after each line) shows lines cut off at the end. The chain shows changes, it
does not prevent them: whoever can rewrite the whole file and its head can forge it.

What a line holds: the event id (kiosk.core.log_events), card id, role, time, what
changed. Never a PIN, a staff member's name or anything of a client's.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.services.spool.fsync import write_atomic
from kiosk.services.statedir import private_dir

FILE = "audit.jsonl"
HEAD = "audit.head"
GENESIS = "0" * 64
_TAIL = 8192  # bytes read from the end to find the last line (a line is far shorter)


@dataclass(frozen=True, slots=True)
class Broken:
    """Where the chain breaks: ``line`` (1-based; one past the end when lines are
    missing there) and why."""

    line: int
    why: str


@dataclass(frozen=True, slots=True)
class Verified:
    lines: int
    broken: Broken | None = None

    @property
    def intact(self) -> bool:
        return self.broken is None


def digest(line: bytes) -> str:
    return hashlib.sha256(line).hexdigest()


def encode(record: Mapping[str, Any]) -> bytes:
    return json.dumps(record, ensure_ascii=True, sort_keys=True, separators=(",", ":")).encode()


def utc_stamp(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class AuditLog:
    def __init__(self, directory: Path, kiosk_id: str) -> None:
        self.directory = directory
        self.path = directory / FILE
        self.head = directory / HEAD
        self.kiosk_id = kiosk_id

    def append(
        self,
        event: str,
        now: float,
        card: str | None = None,
        role: str | None = None,
        change: Mapping[str, str | int | float] | None = None,
    ) -> dict[str, Any]:
        """Add one line (flock'ed, fsync'ed) and return it as written."""
        private_dir(self.directory)
        fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            last = _last_line(fd)
            seq, prev = (_seq(last) + 1, digest(last)) if last else (1, GENESIS)
            record: dict[str, Any] = {
                "seq": seq,
                "time": utc_stamp(now),
                "event": event,
                "kiosk": self.kiosk_id,
                "prev": prev,
            }
            if card is not None:
                record["card"] = card
            if role is not None:
                record["role"] = role
            if change:
                record["change"] = dict(change)
            line = encode(record)
            os.write(fd, line + b"\n")
            os.fsync(fd)
            write_atomic(self.head, encode({"seq": seq, "hash": digest(line)}) + b"\n")
        finally:
            os.close(fd)
        return record

    def records(self) -> Iterator[dict[str, Any]]:
        """Every line that reads as JSON, oldest first (``verify`` says whether to trust them)."""
        for raw in _lines(self.path):
            try:
                yield json.loads(raw)
            except ValueError:
                continue

    def verify(self) -> Verified:
        """The first place the chain breaks, if any: a line that does not read, a gap in
        ``seq`` (deleted lines), a line whose hash the next one (or the head) does not
        carry (edited)."""
        expected, count = GENESIS, 0
        for count, raw in enumerate(_lines(self.path), start=1):
            try:
                record = json.loads(raw)
                seq, prev = record["seq"], record["prev"]
            except (ValueError, KeyError, TypeError):
                return Verified(count, Broken(count, "not an audit record (edited or torn)"))
            if seq != count:
                why = f"seq {seq} where {count} belongs: line(s) deleted before it"
                return Verified(count, Broken(count, why))
            if prev != expected:
                where = max(count - 1, 1)
                return Verified(
                    count, Broken(where, f"edited (line {count} holds another hash of it)")
                )
            expected = digest(raw)
        return Verified(count, self._head_problem(count, expected))

    def _head_problem(self, count: int, last_hash: str) -> Broken | None:
        try:
            head = json.loads(self.head.read_bytes())
            seq, hash_ = int(head["seq"]), str(head["hash"])
        except FileNotFoundError:
            return None if count == 0 else Broken(count + 1, f"{HEAD} is missing")
        except (OSError, ValueError, KeyError, TypeError):
            return Broken(count + 1, f"{HEAD} cannot be read")
        if seq > count:
            return Broken(count + 1, f"lines {count + 1} to {seq} are missing at the end")
        if seq == count and hash_ != last_hash:
            return Broken(count, f"edited: {HEAD} holds another hash")
        if seq < count - 1:  # one line ahead of the head: a crash between the two writes
            return Broken(seq + 1, f"{HEAD} names line {seq}, the log has {count}")
        return None


def _lines(path: Path) -> Iterator[bytes]:
    """Every line, an empty one too (only the end of the last line is no line)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return
    yield from data.removesuffix(b"\n").split(b"\n") if data else ()


def _last_line(fd: int) -> bytes | None:
    """The last line; a torn one (a crash mid-write) is ended first, so that the next
    line is a line of its own (and verify names the torn one)."""
    size = os.fstat(fd).st_size
    if size == 0:
        return None
    start = max(0, size - _TAIL)
    chunk = os.pread(fd, size - start, start)
    if not chunk.endswith(b"\n"):
        os.write(fd, b"\n")
    lines = chunk.removesuffix(b"\n").split(b"\n")
    return lines[-1] if lines[-1] else None


def _seq(line: bytes) -> int:
    """The line's seq; 0 for a torn or foreign line (verify reports that line)."""
    try:
        seq = json.loads(line)["seq"]
    except (ValueError, KeyError, TypeError):
        return 0
    return seq if isinstance(seq, int) else 0
