"""Staff mode's record pages, for the presenter: held documents (and Send again), today's
report, and "did it arrive?" (a receipt number typed on the keypad or read by the code
reader). The work runs off the GUI thread; what the pages show is plain data (``Records``),
counts and classes only, never anything of a client's.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from kiosk.core.records import replace
from kiosk.services.day_report import DayReport, TeamCounts, day_report
from kiosk.services.receipt_index import ReceiptRecord, normalize_receipt_id
from kiosk.services.spool.outbox import Delivery, DeliveryState
from kiosk.services.spool.stuck import StuckItem, age_words, send_again, stuck_items
from kiosk.station import Station
from kiosk.ui.presenter.background import Background
from kiosk.ui.presenter.staff_pages import HELD, LOOKUP, REPORT

log = logging.getLogger(__name__)
RECEIPT_CHARS = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # kiosk.core.receipt's alphabet
RECEIPT_LENGTH = 9


class RecordsBackend(Protocol):
    """What the pages ask of the kiosk (kiosk.ui.presenter.backend.StationRecords)."""

    def stuck_items(self) -> list[StuckItem]: ...

    def send_again(self, item_id: str) -> Delivery: ...

    def day_report(self, day: date) -> DayReport: ...

    def find_receipt(self, receipt_id: str) -> ReceiptRecord | None: ...


class StationRecords:
    """The pages' work on the kiosk's own outbox and receipt index (worker threads only).
    Send again is audited by the page (with the staff member's card), not here."""

    def __init__(self, station: Station) -> None:
        self.station = station

    def stuck_items(self) -> list[StuckItem]:
        return stuck_items(self.station.kiosk.outbox)

    def send_again(self, item_id: str) -> Delivery:
        return send_again(self.station.kiosk.outbox, item_id)

    def day_report(self, day: date) -> DayReport:
        outbox = self.station.kiosk.outbox
        return day_report(outbox.receipts, outbox, day)

    def find_receipt(self, receipt_id: str) -> ReceiptRecord | None:
        receipts = self.station.kiosk.outbox.receipts
        return receipts.find(receipt_id) if receipts is not None else None


@dataclass(frozen=True)
class HeldRow:
    item_id: str
    team: str
    quarantined: bool
    age: tuple[int, str]  # (number, "min" | "h" | "d")
    error: str  # kiosk.services.spool.stuck.ErrorClass
    attempts: int


@dataclass(frozen=True)
class TeamRow:
    team: str
    documents: int
    pages: int
    delivered: int
    waiting: int
    held: int


@dataclass(frozen=True)
class Found:
    """A receipt as "did it arrive?" shows it."""

    receipt_id: str
    handed_in: datetime | None
    pages: int
    concern: str | None  # the concern key (the screen shows its label)
    team: str
    state: str  # "delivered" | "waiting" | "held"
    delivered_at: datetime | None


@dataclass(frozen=True)
class Records:
    page: str
    loading: bool = True
    failed: bool = False
    held: tuple[HeldRow, ...] = ()
    sending: str | None = None  # the item being sent again
    sent: str | None = None  # how the last Send again went: delivered, waiting, held, gone
    report_day: str = ""
    teams: tuple[TeamRow, ...] = ()
    total: TeamRow | None = None
    outbox_waiting: int = 0
    outbox_held: int = 0
    typed: str = ""  # the receipt number typed so far (without dashes)
    found: Found | None = None
    not_found: bool = False


Audit = Callable[[str, Mapping[str, str | int | float] | None], None]


class RecordsPage:
    def __init__(
        self,
        backend: RecordsBackend,
        background: Background,
        audit: Audit,
        on_change: Callable[[], None],
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.backend, self.background, self.audit = backend, background, audit
        self.on_change, self.clock = on_change, clock
        self.shown: Records | None = None
        self._job = 0

    def open(self, page: str) -> None:
        self.close()
        if page not in (HELD, REPORT, LOOKUP):
            return
        self.shown = Records(page, loading=page != LOOKUP)
        if page == HELD:
            self._load_held()
        elif page == REPORT:
            self._load_report()

    def close(self) -> None:
        """Left, or staff mode ended: results still on their way are dropped."""
        self._job += 1
        self.shown = None

    # -- held documents ------------------------------------------------------------------

    def _load_held(self, sent: str | None = None) -> None:
        job = self._job
        now = self.clock()

        def done(items: list[StuckItem]) -> None:
            rows = tuple(_row(item, now) for item in items)
            self._set(job, loading=False, held=rows, sending=None, sent=sent)

        self.background.run(self.backend.stuck_items, done, self._failed(job))

    def send_again(self, item_id: str) -> None:
        shown = self.shown
        if shown is None or shown.page != HELD or shown.sending is not None:
            return
        row = next((r for r in shown.held if r.item_id == item_id), None)
        if row is None:
            return
        change: dict[str, str | int | float] = {"item": item_id, "team": row.team}
        self.audit("outbox.sent_again", change)
        self.shown = replace(shown, sending=item_id, sent=None)
        job = self._job

        def done(delivery: Delivery) -> None:
            if job == self._job:
                self._load_held(sent=_result(delivery))

        def failed(err: BaseException) -> None:
            log.error("sending a held document again failed: %s", type(err).__name__)
            if job == self._job:
                self._load_held(sent="gone" if isinstance(err, KeyError) else "failed")

        self.background.run(lambda: self.backend.send_again(item_id), done, failed)

    # -- today's report ------------------------------------------------------------------

    def _load_report(self) -> None:
        job = self._job
        today = date.fromtimestamp(self.clock())

        def done(report: DayReport) -> None:
            self._set(
                job,
                loading=False,
                report_day=f"{report.day:%d.%m.%Y}",
                teams=tuple(_team(t) for t in report.teams),
                total=_team(report.total),
                outbox_waiting=report.outbox_waiting,
                outbox_held=report.outbox_held,
            )

        self.background.run(lambda: self.backend.day_report(today), done, self._failed(job))

    # -- did it arrive? ------------------------------------------------------------------

    def type(self, char: str) -> None:
        shown = self.shown
        if shown is None or shown.page != LOOKUP or shown.loading:
            return
        if char in RECEIPT_CHARS and len(shown.typed) < RECEIPT_LENGTH:
            self.shown = replace(shown, typed=shown.typed + char, found=None, not_found=False)

    def erase(self) -> None:
        if self.shown is not None and self.shown.page == LOOKUP and not self.shown.loading:
            self.shown = replace(self.shown, typed=self.shown.typed[:-1], not_found=False)

    def clear(self) -> None:
        if self.shown is not None and self.shown.page == LOOKUP and not self.shown.loading:
            self.shown = replace(self.shown, typed="", found=None, not_found=False)

    def submit(self) -> None:
        shown = self.shown
        if shown is None or shown.page != LOOKUP or shown.loading:
            return
        if len(shown.typed) == RECEIPT_LENGTH:
            self._look_up(shown.typed)

    def takes_code(self) -> bool:
        """A code reader's text goes to the lookup while its page is open."""
        return self.shown is not None and self.shown.page == LOOKUP

    def code(self, text: str) -> None:
        """The receipt's QR code (its number) read by a code reader."""
        number = normalize_receipt_id(text)
        if self.shown is None or self.shown.loading:
            return
        found = self.shown.found
        if found is not None and (number is None or found.receipt_id == number):
            # The camera reads what is held up again and again, a staff card in the hand
            # too: the receipt shown stays until another receipt's code comes.
            return
        if number is None:
            self.shown = replace(self.shown, typed="", found=None, not_found=True)
            return
        self._look_up(number.replace("-", ""))

    def _look_up(self, typed: str) -> None:
        assert self.shown is not None
        self.shown = replace(self.shown, typed=typed, loading=True, found=None, not_found=False)
        job = self._job

        def done(record: ReceiptRecord | None) -> None:
            found = _found(record) if record is not None else None
            self._set(job, loading=False, found=found, not_found=found is None)

        self.background.run(lambda: self.backend.find_receipt(typed), done, self._failed(job))

    # -- common --------------------------------------------------------------------------

    def _set(self, job: int, **changes: object) -> None:
        if job == self._job and self.shown is not None:
            self.shown = replace(self.shown, failed=False, **changes)
            self.on_change()

    def _failed(self, job: int) -> Callable[[BaseException], None]:
        def failed(err: BaseException) -> None:
            log.error("staff records page failed: %s", type(err).__name__)
            if job == self._job and self.shown is not None:
                self.shown = replace(self.shown, loading=False, failed=True, sending=None)
                self.on_change()

        return failed


def _row(item: StuckItem, now: float) -> HeldRow:
    return HeldRow(
        item.item_id,
        item.team or "?",
        item.state == DeliveryState.QUARANTINED,
        age_words(item.age_s(now)),
        str(item.error),
        item.attempts,
    )


def _team(t: TeamCounts) -> TeamRow:
    return TeamRow(t.team, t.documents, t.pages, t.delivered, t.waiting, t.held)


def _result(delivery: Delivery) -> str:
    if delivery.delivered or delivery.state is DeliveryState.GONE:
        return "delivered"
    if delivery.state in (DeliveryState.PENDING, DeliveryState.DELIVERING):
        return "waiting"
    return "held"


def _moment(iso: str) -> datetime | None:
    try:
        return datetime.fromisoformat(iso)
    except ValueError:
        return None


def _found(record: ReceiptRecord) -> Found:
    delivered = record.delivered_at
    return Found(
        record.receipt_id,
        _moment(record.handed_in),
        record.pages,
        record.concern,
        record.team or "?",
        record.state.value,
        datetime.fromtimestamp(delivered).astimezone() if delivered else None,
    )
