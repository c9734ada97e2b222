"""Recent warning and error events, by id and count only.

The event log is ``<state_dir>/events/YYYY-MM-DD.jsonl`` (one file per UTC day), one JSON
object a line: ``{"t": unix seconds, "id": ..., "level": "info|warning|error", "n": count,
...}``. Read directly, tolerantly (a missing directory, an unreadable file, a line cut off
by a writer that was killed), and only ids and counts are reported: an event's fields stay
where they are, and an id that does not look like a catalogue id is not echoed.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from kiosk.diag.check import Check, Status

WINDOW = 24 * 3600  # seconds of events looked at
SHOWN = 5  # ids named in the detail line; the rest are summed up
_EVENT_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*(?:[.:][A-Za-z0-9_-]+)*")  # "delivery.failed"
_MAX_ID = 64


def events(state: Path, now: float | None = None) -> Iterator[Check]:
    now = time.time() if now is None else now
    counts, unreadable, skipped = recent(state / "events", now)
    errors = {key: n for key, n in counts.items() if key[0] == "error"}
    warnings = {key: n for key, n in counts.items() if key[0] == "warning"}
    parts = []
    if errors:
        parts.append(_summary(errors, "error"))
    if warnings:
        parts.append(_summary(warnings, "warning"))
    detail = "; ".join(parts) or "no warnings or errors in 24 h"
    if skipped:
        detail += f" ({skipped} unreadable lines skipped)"
    if unreadable:
        names = ", ".join(sorted(unreadable))
        yield Check("events", Status.WARN, f"{detail}; cannot read {names}",
                    "fix the permissions of the state dir's events/")  # fmt: skip
    elif errors:
        fix = "docs/events.md says what each means; `kiosk support-bundle` for support"
        yield Check("events", Status.WARN, detail, fix)
    else:
        yield Check("events", Status.PASS, detail)


def recent(directory: Path, now: float) -> tuple[Counter[tuple[str, str]], list[str], int]:
    """(level, id) -> count of the warning and error events of the last 24 h; the files
    that could not be read; the lines that were not events."""
    counts: Counter[tuple[str, str]] = Counter()
    unreadable: list[str] = []
    skipped = 0
    since = now - WINDOW
    day = datetime.fromtimestamp(since, UTC).date()
    last = datetime.fromtimestamp(now, UTC).date()
    while day <= last:
        path = directory / f"{day.isoformat()}.jsonl"
        day += timedelta(days=1)
        try:
            text = path.read_bytes().decode("utf-8", errors="replace")
        except FileNotFoundError:
            continue
        except OSError:
            unreadable.append(path.name)
            continue
        for line in text.splitlines():
            if not line.strip():
                continue
            event = _event(line)
            if event is None:
                skipped += 1
                continue
            at, level, event_id, n = event
            if since <= at <= now + 300 and level in ("warning", "error"):  # 300: clock jitter
                counts[(level, event_id)] += n
    return counts, unreadable, skipped


def _event(line: str) -> tuple[float, str, str, int] | None:
    try:
        raw = json.loads(line)
    except ValueError:
        return None  # a line cut off mid-write, or not JSON at all
    if not isinstance(raw, dict):
        return None
    at, level, event_id, n = raw.get("t"), raw.get("level"), raw.get("id"), raw.get("n", 1)
    if not isinstance(at, int | float) or isinstance(at, bool) or not isinstance(level, str):
        return None
    if not isinstance(event_id, str):
        return None
    if not (isinstance(n, int) and not isinstance(n, bool) and n >= 1):
        n = 1
    if len(event_id) > _MAX_ID or not _EVENT_ID.fullmatch(event_id):
        event_id = "(unknown id)"  # never echo what may not be an id
    return float(at), level, event_id, n


def _summary(counts: dict[tuple[str, str], int], level: str) -> str:
    total = sum(counts.values())
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0][1]))
    named = ", ".join(f"{event_id} ×{n}" for (_level, event_id), n in ranked[:SHOWN])
    if len(ranked) > SHOWN:
        named += f", {len(ranked) - SHOWN} more ids"
    plural = "" if total == 1 else "s"
    return f"{total} {level}{plural} in 24 h: {named}"
