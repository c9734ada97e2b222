"""Staff mode's reboot page, for the presenter (field support only): asks once more, then
`systemctl reboot` off the GUI thread; where the PC cannot be rebooted from here (no
systemd, polkit refused) the page says why, calmly, and the kiosk goes on."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from kiosk.core.log_events import emit
from kiosk.services.power import RebootFailed
from kiosk.ui.presenter.staff_control import StaffControl
from kiosk.ui.presenter.staff_pages import REBOOT, may_open

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RebootPage:
    busy: bool = False  # asked for: the PC goes down
    problem: str | None = None  # why it cannot be rebooted from here (for field support)


class RebootControl(StaffControl):
    shown: RebootPage | None = None

    def open(self) -> None:
        self.shown = RebootPage()

    def close(self) -> None:
        self.shown = None

    def reboot(self) -> None:
        who = self.audit.who
        if self.shown is None or self.shown.busy or who is None or not may_open(who.role, REBOOT):
            return
        self.audit.record("staff.reboot", wait=True)  # before the PC goes down
        emit(log, "staff.reboot", card=who.card_id, role=who.role.value)
        self.shown = RebootPage(busy=True)

        def failed(err: BaseException) -> None:
            why = str(err) if isinstance(err, RebootFailed) else type(err).__name__
            log.error("reboot refused: %s", why)
            self.audit.record("staff.reboot_failed", {"why": why}, who=who)
            if self.shown is not None:
                self.shown = RebootPage(problem=why)
            self.on_change()

        self.background.run(self.backend.reboot, lambda _: None, failed)
