"""Held and quarantined outbox items as staff see them, and "send again" after a fix.

What staff see of an item: its id, state, team, age, attempts and an error class, never
the error text itself (it may quote an inbox address) and nothing of the client's.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from kiosk.core.log_events import emit
from kiosk.services.spool.outbox import HELD, QUARANTINED, Delivery, Outbox, Status

log = logging.getLogger(__name__)


class ErrorClass(StrEnum):
    """Why an item is stuck, in words staff can act on (docs/staff.md)."""

    ADDRESS = "address"  # the inbox URL cannot work: fix the routing table
    REFUSED = "refused"  # the inbox answered "no" for good (4xx, SMTP 5xx)
    TLS = "tls"  # certificates or TLS settings
    INTERNAL = "internal"  # a bug in a channel: report it
    UNREADABLE = "unreadable"  # the spooled file cannot be read back: call support
    OTHER = "other"


_MARKERS: tuple[tuple[ErrorClass, tuple[str, ...]], ...] = (
    (ErrorClass.INTERNAL, ("internal error",)),
    (ErrorClass.TLS, ("tls", "certificate")),
    (
        ErrorClass.ADDRESS,
        ("url", "no channel for", "e-mail address", "unsafe file name", "bad port", "scheme"),
    ),
    (ErrorClass.REFUSED, ("refused", "rejected", "status", "http", "relay", ": 5", ": 4")),
)


def error_class(status: Status) -> ErrorClass:
    if status.state == QUARANTINED:
        return ErrorClass.UNREADABLE
    text = (status.last_error or "").lower()
    for kind, markers in _MARKERS:
        if any(marker in text for marker in markers):
            return kind
    return ErrorClass.OTHER


@dataclass(frozen=True, slots=True)
class StuckItem:
    item_id: str
    state: str  # "held" or "quarantined"
    team: str | None
    created: float  # epoch seconds it was spooled
    attempts: int
    error: ErrorClass

    def age_s(self, now: float) -> float:
        return max(0.0, now - self.created)


def stuck_items(outbox: Outbox) -> list[StuckItem]:
    """Every held or quarantined item, oldest first."""
    items = [
        StuckItem(s.item_id, str(s.state), s.team, s.created, s.attempts, error_class(s))
        for s in outbox.items()
        if s.state in (HELD, QUARANTINED)
    ]
    return sorted(items, key=lambda item: item.created)


Audit = Callable[[str, dict[str, str | int | float]], None]


def send_again(
    outbox: Outbox, item_id: str, audit: Audit | None = None, *, card: str | None = None
) -> Delivery:
    """Move a held (or quarantined) item back to waiting and try it once, now.

    ``audit(event, change)`` records the staff action first (the attempt can take a while);
    raises KeyError for an item that is not in the outbox (delivered meanwhile)."""
    before = outbox.status(item_id)
    change: dict[str, str | int | float] = {"item": item_id, "was": str(before.state)}
    if before.team:
        change["team"] = before.team
    if audit is not None:
        audit("outbox.sent_again", change)
    emit(log, "outbox.sent_again", item=item_id, team=before.team, card=card)
    outbox.retry(item_id)
    return outbox.deliver(item_id, wait=True)


def age_words(seconds: float) -> tuple[int, str]:
    """An age as (number, unit): minutes under two hours, hours under two days, then days."""
    minutes = int(seconds // 60)
    if minutes < 120:
        return minutes, "min"
    if minutes < 48 * 60:
        return minutes // 60, "h"
    return minutes // (24 * 60), "d"
