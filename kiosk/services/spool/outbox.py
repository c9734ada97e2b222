"""Crash-safe, encrypted spool: a document is on disk before the client is told it is saved.

Every item is sealed with AES-GCM (its id bound in) and written atomically; a small
plain-JSON status file beside it (no personal data) carries its state and retry schedule,
so the schedule survives restarts. States: ``pending`` (due now or later), ``held`` (a
permanent rejection: kept for staff), ``quarantined`` (unreadable or tampered: kept and
reported). A delivered item is removed. Nothing is ever deleted by age.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.core.log_events import emit
from kiosk.core.records import replace
from kiosk.services.channels import Channel, ChannelSettings, DeliveryError, Parcel, channel_for
from kiosk.services.receipt_index import ItemState, ReceiptIndex
from kiosk.services.spool.framing import FramingError, pieces, unframe
from kiosk.services.spool.fsync import fsync_dir, write_atomic
from kiosk.services.spool.vault import TamperedError, Vault
from kiosk.services.statedir import private_dir

if TYPE_CHECKING:
    from kiosk.services.metrics_store import Counters

log = logging.getLogger(__name__)
_ITEM, _META = ".item", ".json"


class DeliveryState(StrEnum):
    """Where an item stands. The first three are stored in its status file."""

    PENDING = "pending"  # waiting for its next attempt, which can succeed
    HELD = "held"  # refused for good (policy, 4xx, unusable URL, channel bug): staff look
    QUARANTINED = "quarantined"  # unreadable or tampered: kept and reported
    DELIVERED = "delivered"  # the inbox confirmed it; the item is gone
    DELIVERING = "delivering"  # another thread or process holds it right now
    GONE = "gone"  # no longer in the outbox (delivered by someone else)


PENDING, HELD, QUARANTINED = DeliveryState.PENDING, DeliveryState.HELD, DeliveryState.QUARANTINED


class SpoolError(Exception):
    """The spool cannot take the document (disk full, read-only...): refuse before scanning."""


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Full-jitter exponential backoff with a cap; a server's Retry-After is honoured but
    clamped (urllib3 would wait hours for it)."""

    base: float = 5.0
    cap: float = 900.0
    attempt_deadline: float = 120.0  # the whole of one attempt: connect, upload, answer

    def delay(self, attempts: int, retry_after: float | None, rng: random.Random) -> float:
        jitter = rng.uniform(0.0, min(self.cap, self.base * 2 ** min(attempts, 30)))
        if retry_after is None:
            return jitter
        return max(jitter, min(max(retry_after, 0.0), self.cap))


@dataclass(frozen=True, slots=True)
class Status:
    """What staff may see of an item: no case number in clear."""

    item_id: str
    state: DeliveryState = PENDING
    attempts: int = 0
    next_attempt: float = 0.0  # epoch seconds (wall clock: must survive a restart)
    last_error: str | None = None
    created: float = 0.0
    receipt_id: str | None = None
    concern: str | None = None
    team: str | None = None
    pages: int | None = None
    masked_case: str | None = None


@dataclass(frozen=True, slots=True)
class Delivery:
    item_id: str
    delivered: bool
    where: str | None = None  # where it landed, when delivered
    error: str | None = None  # why not (yet)
    state: DeliveryState = PENDING


ChannelFactory = Callable[[str, ChannelSettings], Channel]


def unexpected_failure(url: str, err: Exception) -> DeliveryError:
    """A channel raised something it should not: permanent, for staff, named by scheme and
    place in the code (the message of ``err`` is not repeated: it may hold the URL)."""
    frame = err.__traceback__
    while frame is not None and frame.tb_next is not None:
        frame = frame.tb_next
    where = f" at {Path(frame.tb_frame.f_code.co_filename).name}:{frame.tb_lineno}" if frame else ""
    scheme = url.partition(":")[0][:10] or "?"
    return DeliveryError(
        f"internal error in the {scheme} channel ({type(err).__name__}{where}); "
        "held for staff, please report it",
        permanent=True,
    )


class Outbox:
    def __init__(
        self,
        directory: Path,
        vault: Vault,
        *,
        settings: ChannelSettings | None = None,
        policy: RetryPolicy | None = None,
        channels: ChannelFactory = channel_for,
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
        counters: Counters | None = None,
        receipts: ReceiptIndex | None = None,
    ) -> None:
        self.directory = private_dir(directory)
        self._vault = vault
        self.settings = settings or ChannelSettings()
        self.policy = policy or RetryPolicy()
        self._channels = channels
        self._clock = clock
        self._rng = rng or random.Random()
        self._counters = counters  # every attempt's outcome, per route (``kiosk metrics``)
        self.receipts = receipts  # "did it arrive?": told of every item's way

    # -- files ----------------------------------------------------------------------------

    def _path(self, item_id: str, suffix: str) -> Path:
        if not (item_id.isalnum() and item_id.isascii() and len(item_id) <= 64):
            raise KeyError(item_id)
        return self.directory / (item_id + suffix)

    def _save(self, status: Status) -> None:
        body = json.dumps(asdict(status), sort_keys=True).encode()
        write_atomic(self._path(status.item_id, _META), body, mode=0o600)

    def status(self, item_id: str) -> Status:
        item = self._path(item_id, _ITEM)
        meta = self._path(item_id, _META)
        if not item.exists():
            raise KeyError(item_id)
        try:
            fields: dict[str, Any] = json.loads(meta.read_bytes())
            state = DeliveryState(fields.pop("state", PENDING))
            if state not in (PENDING, HELD, QUARANTINED):
                raise ValueError(f"state {state} is not stored")
            return Status(**{**fields, "item_id": item_id, "state": state})
        except FileNotFoundError:  # crashed between writing the item and its status
            return Status(item_id, created=item.stat().st_mtime)
        except (ValueError, TypeError):  # a torn or foreign status file: start over, keep item
            emit(log, "outbox.status_unreadable", item=item_id)
            return Status(item_id, created=item.stat().st_mtime)

    def items(self) -> Iterator[Status]:
        for path in sorted(self.directory.glob("*" + _ITEM)):
            try:
                status = self.status(path.name[: -len(_ITEM)])
            except (KeyError, FileNotFoundError):  # delivered since the listing
                continue
            yield status

    def pending(self) -> list[str]:
        return [s.item_id for s in self.items() if s.state == PENDING]

    def due(self) -> list[Status]:
        now = self._clock()
        return sorted(
            (s for s in self.items() if s.state == PENDING and s.next_attempt <= now),
            key=lambda s: s.created,
        )

    # -- spooling -------------------------------------------------------------------------

    def put(
        self, parcel: Parcel, url: str, *, team: str | None = None, masked_case: str | None = None
    ) -> str:
        """Spool durably (encrypted, fsynced); returns the item id (the idempotency key)."""
        header = {"url": url, "file_stem": parcel.file_stem, "index": parcel.index}
        # Framed and sealed piece by piece as it is written: the PDF is never copied whole
        # (issue 15: two more copies of a 34 MB document were the session's peak).
        sealed = self._vault.sealing(pieces(header, [parcel.pdf]), parcel.document_id.encode())
        status = Status(
            parcel.document_id,
            created=self._clock(),
            receipt_id=parcel.index.get("receipt_id"),
            concern=parcel.index.get("concern"),
            team=team,
            pages=parcel.index.get("pages"),
            masked_case=masked_case,
        )
        try:
            write_atomic(self._path(parcel.document_id, _ITEM), sealed, mode=0o600)
            self._save(status)
        except OSError as err:
            self._path(parcel.document_id, _ITEM).unlink(missing_ok=True)
            raise SpoolError(f"cannot store the document on the kiosk: {err.strerror}") from err
        if self.receipts is not None and status.receipt_id:
            scanned = parcel.index.get("scanned_at")
            self._tell_index(
                lambda index: index.spooled(
                    str(status.receipt_id),
                    status.item_id,
                    created=status.created,
                    pages=status.pages,
                    concern=status.concern,
                    team=team,
                    handed_in=scanned if isinstance(scanned, str) else None,
                )
            )
        return parcel.document_id

    def _tell_index(self, change: Callable[[ReceiptIndex], None]) -> None:
        """The receipt index follows the outbox; when it cannot be written the document is
        still safe (and delivered): only "did it arrive?" knows less."""
        if self.receipts is None:
            return
        try:
            change(self.receipts)
        except OSError as err:
            emit(log, "receipts.unwritable", detail=err.strerror or str(err))

    def _changed(self, status: Status, state: ItemState) -> None:
        if status.receipt_id:
            receipt_id = status.receipt_id
            self._tell_index(
                lambda index: index.changed(
                    receipt_id,
                    status.item_id,
                    status.created,
                    state,
                    pages=status.pages,
                    concern=status.concern,
                    team=status.team,
                )
            )

    def load(self, item_id: str) -> tuple[Parcel, str]:
        blob = self._path(item_id, _ITEM).read_bytes()
        try:
            plain = self._vault.open(blob, item_id.encode())
            del blob  # before the PDF is copied out: two copies of it at most (issue 15)
            header, (pdf,) = unframe(plain)
            parcel = Parcel(item_id, header["file_stem"], pdf, header["index"])
            return parcel, header["url"]
        except (TamperedError, FramingError, ValueError, KeyError, TypeError) as err:
            raise TamperedError(f"spool item {item_id} is unreadable: {err}") from err

    # -- delivery -------------------------------------------------------------------------

    def deliver(self, item_id: str, *, wait: bool = False) -> Delivery:
        """One attempt for one item; on failure it stays, rescheduled, held or quarantined.

        An item another thread or process is delivering right now is left alone (or, with
        ``wait``, waited for: the one who spooled it wants to know how it went): the
        attempt holds an exclusive lock on the item file (released even by a crash).
        """
        gone = Delivery(item_id, False, error="no longer in the outbox", state=DeliveryState.GONE)
        try:
            fd = os.open(self._path(item_id, _ITEM), os.O_RDONLY)
        except FileNotFoundError:
            return gone
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                return Delivery(
                    item_id, False, error="being delivered", state=DeliveryState.DELIVERING
                )
            if os.fstat(fd).st_nlink == 0:  # delivered by someone else since we looked
                return gone
            status = self.status(item_id)
            if status.state is not PENDING:  # held or quarantined while we waited
                return Delivery(item_id, False, error=status.last_error, state=status.state)
            return self._attempt(status)
        finally:
            os.close(fd)

    def _attempt(self, status: Status) -> Delivery:
        item_id = status.item_id
        try:
            parcel, url = self.load(item_id)
        except TamperedError as err:
            self._save(replace(status, state=QUARANTINED, last_error=str(err)))
            emit(log, "delivery.quarantined", item=item_id, detail=str(err))
            self._count(status, "quarantined")
            self._changed(status, ItemState.QUARANTINED)
            return Delivery(item_id, False, error=str(err), state=QUARANTINED)
        deadline = time.monotonic() + self.policy.attempt_deadline
        try:
            where = self._channels(url, self.settings).deliver(parcel, deadline)
        except DeliveryError as err:
            return self._failed(status, err)
        except Exception as err:
            # A bug in a channel (or a URL no check foresaw) fails every attempt the same
            # way: retrying forever would hide it. The item waits for staff; the log says
            # where, without a traceback (exception texts may quote what they were given).
            return self._failed(status, unexpected_failure(url, err))
        self._path(item_id, _ITEM).unlink()
        self._path(item_id, _META).unlink(missing_ok=True)
        fsync_dir(self.directory)
        emit(log, "delivery.succeeded", item=item_id, attempts=status.attempts, team=status.team)
        self._count(status, "delivered")
        self._changed(status, ItemState.DELIVERED)
        return Delivery(item_id, True, where=where, state=DeliveryState.DELIVERED)

    def _failed(self, status: Status, err: DeliveryError) -> Delivery:
        attempts = status.attempts + 1
        if err.permanent:
            self._save(replace(status, state=HELD, attempts=attempts, last_error=str(err)))
            emit(log, "delivery.held", item=status.item_id, detail=str(err), team=status.team)
            self._count(status, "held")
            self._changed(status, ItemState.HELD)
            return Delivery(status.item_id, False, error=str(err), state=HELD)
        wait = self.policy.delay(attempts, err.retry_after, self._rng)
        self._save(
            replace(
                status, attempts=attempts, last_error=str(err), next_attempt=self._clock() + wait
            )
        )
        emit(
            log,
            "delivery.failed",
            item=status.item_id,
            attempts=attempts,
            delay_s=wait,
            detail=str(err),
            team=status.team,
        )
        self._count(status, "retry")
        return Delivery(status.item_id, False, error=str(err), state=PENDING)

    def _count(self, status: Status, result: str) -> None:
        if self._counters is not None:
            self._counters.delivery(status.team, result)

    def retry(self, item_id: str) -> None:
        """Staff: try a held or quarantined item again, now."""
        status = self.status(item_id)
        self._save(replace(status, state=PENDING, next_attempt=0.0))
        if status.state is not PENDING:
            self._changed(status, ItemState.WAITING)

    def flush(self) -> list[Delivery]:
        """Deliver everything pending now, ignoring the schedule (staff command)."""
        return [self.deliver(item_id) for item_id in self.pending()]

    def free_bytes(self) -> int:
        stats = os.statvfs(self.directory)
        return stats.f_bavail * stats.f_frsize
