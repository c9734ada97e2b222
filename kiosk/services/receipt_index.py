"""The receipt index: what staff may tell a client who asks "did my document arrive?".

One small JSON file per day in the kiosk state (``receipts/YYYY-MM-DD.json``, the local
day the document was spooled), each receipt with its time handed in, page count, concern
key, team and its outbox item(s) with their state and delivery time. Never a case number
or a name. Files are replaced atomically under a lock (the touch UI and the delivery
service both write); days older than ``keep_days`` are deleted on every write and when
the index is opened.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from kiosk.core.log_events import emit
from kiosk.services.spool.fsync import fsync_dir, write_atomic
from kiosk.services.statedir import private_dir

log = logging.getLogger(__name__)
KEEP_DAYS = 90
_LOCK = ".lock"
# Crockford's decoding: what a caller may type for a receipt number's characters.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_LOOKALIKE = str.maketrans({"O": "0", "I": "1", "L": "1"})


class ItemState(StrEnum):
    WAITING = "waiting"  # in the outbox, a later attempt can succeed
    DELIVERED = "delivered"
    HELD = "held"  # refused for good: staff send it again
    QUARANTINED = "quarantined"  # unreadable on the kiosk


@dataclass(frozen=True, slots=True)
class ItemRecord:
    item_id: str
    state: ItemState
    pages: int | None
    changed_at: float  # epoch seconds of the last change
    delivered_at: float | None = None


@dataclass(frozen=True, slots=True)
class ReceiptRecord:
    receipt_id: str
    handed_in: str  # ISO 8601, local time of the kiosk
    concern: str | None
    team: str | None
    items: tuple[ItemRecord, ...]

    @property
    def pages(self) -> int:
        return sum(item.pages or 0 for item in self.items)

    @property
    def state(self) -> ItemState:
        """The worst of its items: held before waiting before delivered."""
        states = {item.state for item in self.items}
        for state in (ItemState.QUARANTINED, ItemState.HELD, ItemState.WAITING):
            if state in states:
                return ItemState.HELD if state is ItemState.QUARANTINED else state
        return ItemState.DELIVERED

    @property
    def delivered_at(self) -> float | None:
        """When the last item arrived, once all have."""
        if self.state is not ItemState.DELIVERED or not self.items:
            return None
        return max(item.delivered_at or item.changed_at for item in self.items)

    def to_json(self) -> dict[str, Any]:
        delivered = self.delivered_at
        return {
            "receipt_id": self.receipt_id,
            "handed_in": self.handed_in,
            "pages": self.pages,
            "concern": self.concern,
            "team": self.team,
            "state": self.state.value,
            "delivered_at": iso_time(delivered) if delivered else None,
            "items": [
                {
                    "item_id": i.item_id,
                    "state": i.state.value,
                    "pages": i.pages,
                    "changed_at": iso_time(i.changed_at),
                    "delivered_at": iso_time(i.delivered_at) if i.delivered_at else None,
                }
                for i in self.items
            ],
        }


def normalize_receipt_id(text: str) -> str | None:
    """``k7m 4qx-9tb`` -> ``K7M-4QX-9TB``; None when it cannot be a receipt number."""
    raw = "".join(c for c in text.upper() if c not in " -_./\t").translate(_LOOKALIKE)
    if len(raw) != 9 or any(c not in _ALPHABET for c in raw):
        return None
    return f"{raw[0:3]}-{raw[3:6]}-{raw[6:9]}"


def iso_time(epoch: float) -> str:
    return datetime.fromtimestamp(epoch).astimezone().isoformat(timespec="seconds")


class ReceiptIndex:
    def __init__(
        self,
        directory: Path,
        *,
        keep_days: int = KEEP_DAYS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.directory = private_dir(directory)
        self.keep_days = keep_days
        self._clock = clock
        try:
            self.prune()
        except OSError as err:  # a read-only state dir: lookups still work
            emit(log, "receipts.unwritable", detail=err.strerror or str(err))

    # -- writing -------------------------------------------------------------------------

    def spooled(
        self,
        receipt_id: str,
        item_id: str,
        *,
        created: float,
        pages: int | None,
        concern: str | None,
        team: str | None,
        handed_in: str | None = None,
    ) -> None:
        """A document (or one part of it) is in the outbox."""

        def change(entry: dict[str, Any]) -> None:
            entry.setdefault("handed_in", handed_in or iso_time(created))
            entry.setdefault("concern", concern)
            entry.setdefault("team", team)
            items = entry.setdefault("items", {})
            # A hook that ran first (the delivery service was quicker) knows better.
            items.setdefault(item_id, {"state": ItemState.WAITING.value, "at": self._clock()})
            items[item_id]["pages"] = pages

        self._update(receipt_id, created, change)

    def changed(
        self,
        receipt_id: str,
        item_id: str,
        created: float,
        state: ItemState,
        *,
        pages: int | None = None,
        concern: str | None = None,
        team: str | None = None,
    ) -> None:
        """The outbox delivered, held, quarantined or re-queued an item. What it knows of
        the item fills a gap a crash left (spooled, but the index not yet written)."""
        now = self._clock()

        def change(entry: dict[str, Any]) -> None:
            entry.setdefault("handed_in", iso_time(created))
            entry.setdefault("concern", concern)
            entry.setdefault("team", team)
            item = entry.setdefault("items", {}).setdefault(item_id, {"pages": pages})
            item["state"] = state.value
            item["at"] = now
            if state is ItemState.DELIVERED:
                item["delivered_at"] = now

        self._update(receipt_id, created, change)

    def _update(
        self, receipt_id: str, created: float, change: Callable[[dict[str, Any]], None]
    ) -> None:
        path = self._day_path(date.fromtimestamp(created))
        with self._locked():
            receipts = _read(path)
            change(receipts.setdefault(receipt_id, {}))
            body = json.dumps({"version": 1, "receipts": receipts}, sort_keys=True).encode()
            write_atomic(path, body, mode=0o600)
            self._prune_locked()

    def prune(self) -> int:
        """Delete the days older than ``keep_days``; returns how many files went."""
        with self._locked():
            return self._prune_locked()

    def _prune_locked(self) -> int:
        oldest = date.fromtimestamp(self._clock()) - timedelta(days=self.keep_days)
        gone = 0
        for day, path in self._days():
            if day < oldest:
                path.unlink(missing_ok=True)
                gone += 1
        if gone:
            fsync_dir(self.directory)
            emit(log, "receipts.pruned", count=gone)
        return gone

    # -- reading -------------------------------------------------------------------------

    def find(self, receipt_id: str) -> ReceiptRecord | None:
        """The receipt by its number as typed (case, blanks and dashes do not matter)."""
        wanted = normalize_receipt_id(receipt_id)
        if wanted is None:
            return None
        for _day, path in sorted(self._days(), reverse=True):
            entry = _read(path).get(wanted)
            if entry is not None:
                return _record(wanted, entry)
        return None

    def on_day(self, day: date) -> list[ReceiptRecord]:
        receipts = _read(self._day_path(day))
        records = [_record(rid, entry) for rid, entry in receipts.items()]
        return sorted(records, key=lambda r: r.handed_in)

    # -- files ---------------------------------------------------------------------------

    def _day_path(self, day: date) -> Path:
        return self.directory / f"{day.isoformat()}.json"

    def _days(self) -> Iterator[tuple[date, Path]]:
        for path in self.directory.glob("*.json"):
            try:
                yield date.fromisoformat(path.stem), path
            except ValueError:
                continue

    @contextmanager
    def _locked(self) -> Iterator[None]:
        fd = os.open(self.directory / _LOCK, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # releases the lock (a crash releases it too)


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        return {}
    except ValueError:  # written atomically, so only a foreign hand: start the day over
        emit(log, "receipts.unreadable", path=path.name)
        return {}
    receipts = data.get("receipts") if isinstance(data, dict) else None
    return receipts if isinstance(receipts, dict) else {}


def _record(receipt_id: str, entry: dict[str, Any]) -> ReceiptRecord:
    items = tuple(
        ItemRecord(
            item_id,
            ItemState(item.get("state", "waiting")),
            item.get("pages"),
            float(item.get("at", 0.0)),
            item.get("delivered_at"),
        )
        for item_id, item in sorted(entry.get("items", {}).items())
    )
    return ReceiptRecord(
        receipt_id, entry.get("handed_in", ""), entry.get("concern"), entry.get("team"), items
    )
