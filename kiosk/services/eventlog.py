"""Where the kiosk's log goes: the systemd journal (structured) or stderr, coalesced, and
the local event file (kiosk.services.eventfile).

``install`` puts one ``EventHandler`` on the root logger (``kiosk run``, ``kiosk deliver``).
Catalogued events (kiosk.core.log_events.emit) carry their id and allow-listed fields;
any other record goes to the journal or stderr with its text scrubbed, and, from a warning
up, into the event file as ``log.warning`` / ``log.error`` naming only its module.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.core.log_events import CATALOGUE, FIELDS, LEVEL_NAMES
from kiosk.core.redact import scrub
from kiosk.services.eventfile import EventFile
from kiosk.services.journal import SOCKET, Journal, journal_wanted

COALESCE_SECONDS = 60.0
STDERR_FORMAT = "%(levelname)s %(name)s: %(message)s"  # what `kiosk -v` always printed
_PRIORITY = {logging.DEBUG: 7, logging.INFO: 6, logging.WARNING: 4, logging.ERROR: 3}


@dataclass
class _Entry:
    """One record as it is written: its text, event id and fields."""

    name: str
    levelno: int
    levelname: str
    message: str
    event: str  # the catalogue id, or "" (an uncatalogued record)
    file_event: str | None  # what the event file calls it; None: not in the file
    fields: dict[str, object] = field(default_factory=dict)  # file-safe fields only


@dataclass
class _Window:
    start: float
    entry: _Entry
    repeats: int = 0


class EventHandler(logging.Handler):
    """Writes each record once per ``window`` seconds (repeats become one "(repeated N
    times)" line when the window is over or the handler closes)."""

    def __init__(
        self,
        kiosk_id: str,
        state_dir: Path | None,
        *,
        journal: Journal | None = None,
        clock: Callable[[], float] = time.time,
        window: float = COALESCE_SECONDS,
    ) -> None:
        super().__init__(logging.INFO)
        self.kiosk_id = kiosk_id
        self.session = ""  # a random pseudonym per client session (begin_session)
        self.file = EventFile(state_dir, clock) if state_dir is not None else None
        self.journal = journal
        self.clock = clock
        self.window = window
        self._windows: dict[tuple[str, int, str], _Window] = {}
        self._exceptions = logging.Formatter()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            now = self.clock()
            self._flush(lambda w: now - w.start >= self.window)
            entry = self._entry(record)
            key = (entry.event or entry.name, entry.levelno, entry.message)
            window = self._windows.get(key)
            if window is not None:
                window.repeats += 1
                return
            self._windows[key] = _Window(now, entry)
            self._write(entry, now, 1)
        except Exception:  # a log line must never take the kiosk down
            self.handleError(record)

    def close(self) -> None:
        self.acquire()
        try:
            self._flush(lambda _: True)
            if self.journal is not None:
                self.journal.close()
                self.journal = None
        finally:
            self.release()
        super().close()

    def _flush(self, over: Callable[[_Window], bool]) -> None:
        for key, window in list(self._windows.items()):
            if over(window):
                del self._windows[key]
                if window.repeats:
                    self._write(window.entry, self.clock(), window.repeats)

    def _entry(self, record: logging.LogRecord) -> _Entry:
        event = getattr(record, "kiosk_event", "")
        if event in CATALOGUE:
            given: dict[str, object] = getattr(record, "kiosk_fields", {})
            fields = {k: v for k, v in given.items() if k in FIELDS and FIELDS[k].to_file}
            message = record.getMessage()
            return _Entry(record.name, record.levelno, record.levelname, message, event, event,
                          fields)  # fmt: skip
        text = record.getMessage()
        if record.exc_info:
            text += "\n" + self._exceptions.formatException(record.exc_info)
        level = "log.error" if record.levelno >= logging.ERROR else "log.warning"
        in_file = level if record.levelno >= logging.WARNING else None
        return _Entry(record.name, record.levelno, record.levelname, scrub(text), "", in_file,
                      {"logger": record.name})  # fmt: skip

    def _write(self, entry: _Entry, now: float, count: int) -> None:
        text = entry.message if count == 1 else f"{entry.message} (repeated {count} times)"
        journal = self.journal
        if not (journal is not None and journal.send(self._journal_fields(entry, text, count))):
            print(f"{entry.levelname} {entry.name}: {text}", file=sys.stderr, flush=True)
        if self.file is not None and entry.file_event is not None:
            line: dict[str, Any] = {
                "t": round(now, 3),
                "id": entry.file_event,
                "level": LEVEL_NAMES.get(min(max(entry.levelno, 20), 40) // 10 * 10, "error"),
                "kiosk": self.kiosk_id,
                "session": self.session,
                "n": count,
                "fields": entry.fields,
            }
            with contextlib.suppress(OSError):  # a full disk: the journal line is written
                self.file.append(line)

    def _journal_fields(self, entry: _Entry, text: str, count: int) -> dict[str, str]:
        fields = {
            "MESSAGE": text,
            "PRIORITY": str(_PRIORITY.get(entry.levelno // 10 * 10, 3)),
            "SYSLOG_IDENTIFIER": "kiosk",
            "KIOSK_ID": self.kiosk_id,
            "KIOSK_SESSION": self.session,
            "KIOSK_LOGGER": entry.name,
        }
        if entry.event:
            fields["KIOSK_EVENT"] = entry.event
            fields |= {f"KIOSK_{k.upper()}": str(v) for k, v in entry.fields.items()}
        if count > 1:
            fields["KIOSK_REPEATED"] = str(count)
        return fields


def install(
    kiosk_id: str, state_dir: Path | None, *, journal_socket: Path = SOCKET
) -> EventHandler:
    """The kiosk's log handler on the root logger, replacing an earlier one and the plain
    stderr handler ``kiosk.cli.main`` set up (this one writes stderr itself, coalesced)."""
    root = logging.getLogger()
    for old in list(root.handlers):
        plain = type(old) is logging.StreamHandler and old.stream in (sys.stderr, sys.__stderr__)
        if isinstance(old, EventHandler) or plain:
            root.removeHandler(old)
            old.close()
    journal = Journal(journal_socket) if journal_wanted(journal_socket) else None
    handler = EventHandler(kiosk_id, state_dir, journal=journal)
    root.addHandler(handler)
    if root.getEffectiveLevel() > logging.INFO:
        root.setLevel(logging.INFO)  # a service's log is its journal
    return handler


def uninstall() -> None:
    """Take the kiosk's handler off the root logger (``kiosk run`` stopping), its
    pending repeat counts written."""
    root = logging.getLogger()
    for handler in _handlers():
        root.removeHandler(handler)
        handler.close()


def _handlers() -> list[EventHandler]:
    return [h for h in logging.getLogger().handlers if isinstance(h, EventHandler)]


def begin_session() -> str:
    """A new client session: a random pseudonym (never derived from the case) on every
    line until ``end_session``."""
    session = "s-" + secrets.token_hex(6)
    for handler in _handlers():
        handler.session = session
    return session


def end_session() -> None:
    for handler in _handlers():
        handler.session = ""
