"""Staff mode's diagnostics page, for the presenter: runs `kiosk diag`'s checks, a test scan
and the readiness report off the GUI thread and keeps what the page shows.

A result that arrives after the page was left (or the kiosk wiped) is dropped: each run has
a generation number, as the scan runner's batches do.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from drivers.camera.preview import CameraState
from kiosk.core.records import replace
from kiosk.ui.presenter.background import Background
from kiosk.ui.presenter.runner import Backend
from kiosk.ui.presenter.view import Diagnostics

if TYPE_CHECKING:
    from kiosk.diag import Check

log = logging.getLogger(__name__)


class DiagnosticsPage:
    def __init__(
        self,
        backend: Backend,
        background: Background,
        camera: Callable[[], CameraState | None],
        has_camera: bool,
        on_change: Callable[[], None],
    ) -> None:
        self.backend, self.background = backend, background
        self.camera, self.has_camera = camera, has_camera
        self.on_change = on_change
        self.shown: Diagnostics | None = None  # None: the page is closed
        self._job = 0
        self._checked: datetime | None = None
        self._test: tuple[Check, datetime] | None = None

    def open(self) -> None:
        self.shown = Diagnostics()
        self._test = None
        self.check()

    def close(self) -> None:
        """Left, or the kiosk wiped: forget it all (results still running are dropped)."""
        self._job += 1
        self.shown = None
        self._test = None

    def check(self) -> None:
        if self.shown is None:
            return
        self._job += 1
        job = self._job
        self.shown = replace(self.shown, checks=None, saved=None, save_failed=False)

        def done(checks: list[Check]) -> None:
            if job != self._job or self.shown is None:
                return
            self._checked = datetime.now().astimezone()
            found = (*checks, self._camera_check())
            self.shown = replace(self.shown, checks=found, checked_at=f"{self._checked:%H:%M:%S}")
            self.on_change()

        self.background.run(self.backend.diagnostics, done, self._failed(job, "checks"))

    def test_scan(self) -> None:
        if self.shown is None or self.shown.testing or self.shown.checks is None:
            return
        job = self._job
        self.shown = replace(self.shown, testing=True, saved=None, save_failed=False)

        def done(check: Check) -> None:
            if job != self._job or self.shown is None:
                return
            self._test = (check, datetime.now().astimezone())
            self.shown = replace(self.shown, test=check, testing=False)
            self.on_change()

        self.background.run(self.backend.test_scan, done, self._failed(job, "test scan"))

    def save(self) -> None:
        shown = self.shown
        if shown is None or shown.checks is None or shown.testing or self._checked is None:
            return
        job, checks, checked, test = self._job, shown.checks, self._checked, self._test

        def done(path: Path) -> None:
            if job == self._job and self.shown is not None:
                self.shown = replace(self.shown, saved=str(path))
                self.on_change()

        def failed(err: BaseException) -> None:
            log.error("readiness report not saved: %s", type(err).__name__)
            if job == self._job and self.shown is not None:
                self.shown = replace(self.shown, save_failed=True)
                self.on_change()

        self.background.run(lambda: self.backend.save_report(checks, checked, test), done, failed)

    def _failed(self, job: int, what: str) -> Callable[[BaseException], None]:
        def failed(err: BaseException) -> None:
            from kiosk.diag import Check, Status

            log.error("diagnostics %s failed: %s", what, type(err).__name__)
            if job != self._job or self.shown is None:
                return
            detail = f"{what} failed: {type(err).__name__}"
            fix = "see `kiosk diag` on the kiosk's console"
            broken = Check(what.replace(" ", "-"), Status.FAIL, detail, fix)
            if what == "checks":
                self._checked = datetime.now().astimezone()
                self.shown = replace(self.shown, checks=(broken,), checked_at="")
            else:
                self._test = (broken, datetime.now().astimezone())  # in the report too
                self.shown = replace(self.shown, test=broken, testing=False)
            self.on_change()

        return failed

    def _camera_check(self) -> Check:
        """The card camera as the kiosk itself sees it (diag would open it a second time)."""
        from kiosk.diag import Check, Status

        if not self.has_camera:
            return Check("camera", Status.PASS, "no camera configured (keypad only)")
        state = self.camera()
        if state is CameraState.CONNECTED:
            return Check("camera", Status.PASS, "the card camera delivers frames")
        fix = "is the camera plugged in? `kiosk diag --only camera` with the kiosk stopped"
        return Check("camera", Status.FAIL, f"the card camera is {state or 'not started'}", fix)
