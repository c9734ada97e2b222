"""Staff mode's support bundle page, for the presenter (field support only): the bundle
written off the GUI thread to a USB stick (else the state dir), then where it went or why
not. Each bundle is a line of the audit log."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from kiosk.services.support_bundle import BundleFailed
from kiosk.ui.presenter.staff_control import StaffControl
from kiosk.ui.presenter.staff_pages import BUNDLE, may_open

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BundlePage:
    busy: bool = False
    saved: str | None = None  # where the bundle was written
    problem: str | None = None  # why none was


class BundleControl(StaffControl):
    shown: BundlePage | None = None
    _job = 0  # the bundle being written; a result for an older one is dropped

    def open(self) -> None:
        self.shown = BundlePage()

    def close(self) -> None:
        self._job += 1
        self.shown = None

    def save(self) -> None:
        who = self.audit.who
        if self.shown is None or self.shown.busy or who is None or not may_open(who.role, BUNDLE):
            return
        self._job += 1
        job = self._job
        self.shown = BundlePage(busy=True)

        def done(path: Path) -> None:
            self.audit.record("staff.support_bundle", {"file": path.name}, who=who)
            if job == self._job:
                self.shown = BundlePage(saved=str(path))
                self.on_change()

        def failed(err: BaseException) -> None:
            why = str(err) if isinstance(err, BundleFailed) else type(err).__name__
            log.error("support bundle not written: %s", why)
            if job == self._job:
                self.shown = BundlePage(problem=why)
                self.on_change()

        self.background.run(self.backend.save_bundle, done, failed)
