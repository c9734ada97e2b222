"""The local event file: ``<state dir>/events/YYYY-MM-DD.jsonl`` (UTC day), one JSON object
a line, for staff, ``kiosk diag`` and the support bundle; files older than 30 days go.

A line: ``{"t": <unix seconds>, "id": "<event id>", "level": "info|warning|error",
"kiosk": "<kiosk id>", "session": "<pseudonym or empty>", "n": <count>, "fields": {...}}``
with only allow-listed fields (kiosk.core.log_events.FIELDS). Never a case number.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

KEEP_DAYS = 30
_NAME = re.compile(r"\A(\d{4}-\d{2}-\d{2})\.jsonl\Z")


def events_dir(state_dir: Path) -> Path:
    return state_dir / "events"


def day_of(t: float) -> date:
    return datetime.fromtimestamp(t, UTC).date()


def _file_day(path: Path) -> date | None:
    match = _NAME.match(path.name)
    if match is None:
        return None
    try:
        return date.fromisoformat(match.group(1))
    except ValueError:
        return None


class EventFile:
    """Appends events to the day's file (0600; the directory 0700) and prunes old days."""

    def __init__(self, state_dir: Path, clock: Callable[[], float] = time.time) -> None:
        self.directory = events_dir(state_dir)
        self.clock = clock
        self._pruned: date | None = None

    def append(self, line: dict[str, Any]) -> None:
        """One line, in one write (O_APPEND: lines of two processes never interleave)."""
        day = day_of(float(line["t"]))
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        if self._pruned != day:
            self.prune(day)
        data = (json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n").encode()
        path = self.directory / f"{day.isoformat()}.jsonl"
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)

    def prune(self, today: date | None = None) -> list[Path]:
        """Delete day files more than KEEP_DAYS days old; returns what went."""
        today = today or day_of(self.clock())
        self._pruned = today
        gone = []
        for path in event_files(self.directory.parent):
            day = _file_day(path)
            if day is not None and day < today - timedelta(days=KEEP_DAYS):
                path.unlink(missing_ok=True)
                gone.append(path)
        return gone


def event_files(state_dir: Path, days: int | None = None, now: float | None = None) -> list[Path]:
    """The day files, oldest first; with ``days``, only those of the last ``days`` days."""
    directory = events_dir(state_dir)
    try:
        paths = sorted(p for p in directory.iterdir() if _file_day(p) is not None)
    except OSError:
        return []
    if days is None:
        return paths
    first = day_of(time.time() if now is None else now) - timedelta(days=days - 1)
    return [p for p in paths if (_file_day(p) or first) >= first]


def recent_events(
    state_dir: Path, since_seconds: float, now: float | None = None
) -> list[dict[str, Any]]:
    """Events of the last ``since_seconds``, oldest first; torn or foreign lines skipped."""
    now = time.time() if now is None else now
    start = now - since_seconds
    days = (day_of(now) - day_of(start)).days + 1
    found: list[dict[str, Any]] = []
    for path in event_files(state_dir, days, now):
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for line in text.splitlines():
            try:
                event = json.loads(line)
            except ValueError:
                continue
            t = event.get("t") if isinstance(event, dict) else None
            if isinstance(t, int | float) and start <= t <= now:
                found.append(event)
    return sorted(found, key=lambda e: e["t"])
