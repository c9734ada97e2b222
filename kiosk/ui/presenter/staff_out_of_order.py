"""Staff mode's out-of-order page, for the presenter: pick a notice, put the kiosk out of
order with it (kept in the kiosk state: a restart keeps it), or back in service.

The kiosk goes out of order when staff mode closes (staff see their own screen until
then); the notice shows on the out-of-order screen in all five languages. Written off the
GUI thread; each change is a line of the staff audit log.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kiosk.core.log_events import emit
from kiosk.core.records import replace
from kiosk.services.out_of_order import FIRST, NOTICES, StaffNotice
from kiosk.ui.presenter.staff_control import StaffControl

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OutOfOrderPage:
    """What the page shows: the notice in force (None: in service), since when (local
    time), the notice picked, and whether a change is being written or failed."""

    current: str | None = None
    since: str = ""
    chosen: str = FIRST
    busy: bool = False
    failed: bool = False


class OutOfOrderControl(StaffControl):
    notice: StaffNotice | None = None  # in force: clients see it
    shown: OutOfOrderPage | None = None

    def load(self) -> None:
        """At start (a small local file): a notice staff put up before a restart holds."""
        try:
            self.notice = self.backend.staff_notice()
        except Exception as err:  # never fatal: the kiosk starts in service
            log.error("out-of-order notice not read: %s", type(err).__name__)

    @property
    def text(self) -> str | None:
        """The notice's msgid for the out-of-order screen, or None."""
        return self.notice.text if self.notice is not None else None

    def open(self) -> None:
        current = self.notice.notice if self.notice is not None else None
        self.shown = OutOfOrderPage(current, _local(self.notice), current or FIRST)

    def close(self) -> None:
        self.shown = None

    def choose(self, notice: str) -> None:
        if self.shown is not None and not self.shown.busy and notice in NOTICES:
            self.shown = replace(self.shown, chosen=notice, failed=False)

    def put(self) -> None:
        shown, who = self.shown, self.audit.who
        if shown is None or shown.busy or who is None:
            return
        chosen, before = shown.chosen, shown.current

        def done(notice: StaffNotice) -> None:
            self.notice = notice
            change = {"notice": notice.notice, "before": before or "in service"}
            self.audit.record("staff.out_of_order", change, who=who)
            role = who.role.value
            emit(log, "staff.out_of_order", card=who.card_id, role=role, notice=notice.notice)
            if self.shown is not None:
                self.shown = OutOfOrderPage(notice.notice, _local(notice), notice.notice)
            self.on_change()

        self._write(lambda: self.backend.put_out_of_order(chosen, who.card_id), done)

    def back_in_service(self) -> None:
        shown, who = self.shown, self.audit.who
        if shown is None or shown.busy or self.notice is None or who is None:
            return
        before = self.notice.notice

        def done(_: object) -> None:
            self.notice = None
            self.audit.record("staff.back_in_service", {"notice": before}, who=who)
            emit(log, "staff.back_in_service", card=who.card_id, role=who.role.value)
            if self.shown is not None:
                self.shown = OutOfOrderPage(None, "", before)
            self.on_change()

        self._write(self.backend.back_in_service, done)

    def _write(self, work: Callable[[], Any], done: Callable[[Any], None]) -> None:
        assert self.shown is not None
        self.shown = replace(self.shown, busy=True, failed=False)

        def failed(err: BaseException) -> None:
            log.error("out-of-order notice not written: %s", type(err).__name__)
            if self.shown is not None:
                self.shown = replace(self.shown, busy=False, failed=True)
            self.on_change()

        self.background.run(work, done, failed)


def _local(notice: StaffNotice | None) -> str:
    """Since when, as staff read it on the kiosk (local date and time)."""
    if notice is None or not notice.since:
        return ""
    try:
        when = datetime.fromisoformat(notice.since.replace("Z", "+00:00"))
    except ValueError:
        return ""
    return f"{when.astimezone():%d.%m.%Y %H:%M}"
