"""Today's report for staff: documents and pages per team, delivered / waiting / held.

Counts only, from the receipt index (what was handed in today) and the outbox (what is
waiting or held right now, of any day). Nothing of a client's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from kiosk.services.receipt_index import ItemState, ReceiptIndex
from kiosk.services.spool.outbox import HELD, PENDING, QUARANTINED, Outbox

NO_TEAM = "?"


@dataclass(slots=True)
class TeamCounts:
    team: str
    documents: int = 0
    pages: int = 0
    delivered: int = 0
    waiting: int = 0
    held: int = 0

    def add(self, pages: int, state: ItemState) -> None:
        self.documents += 1
        self.pages += pages
        if state is ItemState.DELIVERED:
            self.delivered += 1
        elif state is ItemState.WAITING:
            self.waiting += 1
        else:
            self.held += 1


@dataclass(frozen=True, slots=True)
class DayReport:
    day: date
    teams: tuple[TeamCounts, ...]
    outbox_waiting: int  # in the outbox now, handed in on any day
    outbox_held: int  # held or quarantined now, any day
    total: TeamCounts = field(default_factory=lambda: TeamCounts("all"))

    def to_json(self) -> dict[str, object]:
        def row(t: TeamCounts) -> dict[str, object]:
            return {
                "team": t.team,
                "documents": t.documents,
                "pages": t.pages,
                "delivered": t.delivered,
                "waiting": t.waiting,
                "held": t.held,
            }

        return {
            "day": self.day.isoformat(),
            "teams": [row(t) for t in self.teams],
            "total": row(self.total),
            "outbox": {"waiting": self.outbox_waiting, "held": self.outbox_held},
        }


def day_report(index: ReceiptIndex | None, outbox: Outbox, day: date) -> DayReport:
    """Each receipt counts once, by the state of its items: an item still in the outbox by
    the outbox's word (the index may lag a crash behind), the others by the index's."""
    in_outbox = {s.item_id: s.state for s in outbox.items()}
    teams: dict[str, TeamCounts] = {}
    total = TeamCounts("all")
    for record in index.on_day(day) if index is not None else []:
        states = {_state_now(item.item_id, item.state, in_outbox) for item in record.items}
        state = _worst(states)
        team = record.team or NO_TEAM
        teams.setdefault(team, TeamCounts(team)).add(record.pages, state)
        total.add(record.pages, state)
    return DayReport(
        day,
        tuple(teams[name] for name in sorted(teams)),
        sum(state == PENDING for state in in_outbox.values()),
        sum(state in (HELD, QUARANTINED) for state in in_outbox.values()),
        total,
    )


def _state_now(item_id: str, indexed: ItemState, in_outbox: Mapping[str, str]) -> ItemState:
    state = in_outbox.get(item_id)
    if state is None:
        return indexed
    if state == PENDING:
        return ItemState.WAITING
    return ItemState.HELD


def _worst(states: set[ItemState]) -> ItemState:
    for state in (ItemState.QUARANTINED, ItemState.HELD, ItemState.WAITING):
        if state in states:
            return ItemState.HELD if state is ItemState.QUARANTINED else state
    return ItemState.DELIVERED
