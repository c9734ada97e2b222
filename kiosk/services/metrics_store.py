"""Durable counters and the running kiosk's health record, read by ``kiosk metrics``.

Plain JSON under ``<state>/metrics/`` and nothing of a client in it: a route is a team id
from the routing table, a result one of a few fixed words, a count a number. An update is
read-modify-write under an exclusive flock of a lock file beside the counters (``kiosk
run`` and ``kiosk deliver`` count at the same time) and lands by atomic rename, so a
reader needs no lock and never sees half a file. A count that cannot be written (a full
disk) costs that count, never a delivery or a session: it is logged and dropped.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.services.spool.fsync import write_atomic

log = logging.getLogger(__name__)

COUNTERS, HEALTH, LOCK = "counters.json", "health.json", ".lock"
DELIVERY_RESULTS = ("delivered", "retry", "held", "quarantined")  # an attempt's outcome
SESSION_RESULTS = ("delivered", "queued", "held", "failed")  # a submission's outcome
UNKNOWN_ROUTE = "unknown"  # an item spooled without a team (older spools, tests)
OTHER_ROUTE = "other"  # anything that does not look like a team id
_ROUTE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


def route_label(team: str | None) -> str:
    """A team id as a counter key; anything else is folded into one fixed word."""
    if team is None:
        return UNKNOWN_ROUTE
    return team if _ROUTE.fullmatch(team) else OTHER_ROUTE


@dataclass(frozen=True)
class Tally:
    """Everything counted so far (zero when nothing was)."""

    deliveries: dict[tuple[str, str], int] = field(default_factory=dict)  # (route, result)
    last_delivered: dict[str, float] = field(default_factory=dict)  # route -> epoch seconds
    sessions: dict[str, int] = field(default_factory=dict)  # result -> count
    pages: int = 0


class Counters:
    """Monotonic counts of deliveries (per route and result), sessions and pages."""

    def __init__(self, directory: Path, clock: Callable[[], float] = time.time) -> None:
        self.directory = directory
        self._clock = clock

    def delivery(self, team: str | None, result: str) -> None:
        """One delivery attempt ended with ``result`` (one of DELIVERY_RESULTS)."""
        if result not in DELIVERY_RESULTS:
            raise ValueError(f"unknown delivery result {result!r}")
        route, now = route_label(team), self._clock()

        def change(data: dict[str, Any]) -> None:
            per_route = data.setdefault("deliveries", {}).setdefault(route, {})
            per_route[result] = int(per_route.get(result, 0)) + 1
            if result == "delivered":
                last = data.setdefault("last_delivered", {})
                last[route] = max(float(last.get(route, 0.0)), now)

        self._update(change)

    def session(self, result: str, pages: int) -> None:
        """A submission ended with ``result`` (one of SESSION_RESULTS), ``pages`` spooled."""
        if result not in SESSION_RESULTS:
            raise ValueError(f"unknown session result {result!r}")

        def change(data: dict[str, Any]) -> None:
            sessions = data.setdefault("sessions", {})
            sessions[result] = int(sessions.get(result, 0)) + 1
            data["pages"] = int(data.get("pages", 0)) + max(pages, 0)

        self._update(change)

    def read(self) -> Tally:
        """The counts as last written (a reader takes no lock: files land by rename)."""
        data = self._load()
        deliveries = {
            (route, result): int(count)
            for route, results in data.get("deliveries", {}).items()
            for result, count in results.items()
        }
        last = {route: float(at) for route, at in data.get("last_delivered", {}).items()}
        sessions = {result: int(n) for result, n in data.get("sessions", {}).items()}
        return Tally(deliveries, last, sessions, int(data.get("pages", 0)))

    def _load(self) -> dict[str, Any]:
        try:
            data = json.loads((self.directory / COUNTERS).read_bytes())
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as err:  # torn by a foreign writer: start again
            log.warning("counters unreadable (%s); counting from zero", type(err).__name__)
            return {}
        return data if isinstance(data, dict) else {}

    def _update(self, change: Callable[[dict[str, Any]], None]) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(self.directory / LOCK, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as err:
            log.warning("cannot count (%s): %s", self.directory, err.strerror)
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # released on close, and by a crash
            data = self._load()
            change(data)
            write_atomic(self.directory / COUNTERS, json.dumps(data, sort_keys=True).encode())
        except OSError as err:
            log.warning("cannot count (%s): %s", self.directory, err.strerror)
        finally:
            os.close(fd)


# -- the running kiosk's health -----------------------------------------------------------


@dataclass(frozen=True)
class Health:
    """What the running kiosk found at its last health check."""

    checked_at: float  # epoch seconds
    scanner_up: bool
    alive: bool  # the process that wrote it still runs (else its word is void)


def record_health(
    directory: Path, scanner_up: bool, clock: Callable[[], float] = time.time
) -> None:
    """Written by ``kiosk run`` at every health check, with its process identity."""
    pid = os.getpid()
    body = {"checked_at": clock(), "scanner_up": scanner_up, "pid": pid, "start": _started(pid)}
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_atomic(directory / HEALTH, json.dumps(body).encode())
    except OSError as err:
        log.warning("cannot record the health check (%s): %s", directory, err.strerror)


def read_health(directory: Path) -> Health | None:
    """The last health check, or None when no kiosk ever recorded one (or it is torn)."""
    try:
        data = json.loads((directory / HEALTH).read_bytes())
        pid, start = int(data["pid"]), data["start"]
        checked_at, scanner_up = float(data["checked_at"]), data["scanner_up"] is True
    except (OSError, ValueError, KeyError, TypeError):
        return None
    alive = start is not None and _started(pid) == start
    return Health(checked_at, scanner_up, alive)


def _started(pid: int) -> str | None:
    """When process ``pid`` started (clock ticks since boot): a pid plus this names one
    process, even after the pid is reused. None when there is no such process."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rpartition(")")[2].split()  # the command name may hold spaces and ")"
    return fields[19] if len(fields) > 19 else None
