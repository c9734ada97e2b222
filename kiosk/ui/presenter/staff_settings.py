"""Staff mode's settings page, for the presenter: the local settings over the central
configuration (kiosk.services.local_settings), changed one at a time off the GUI thread,
applied to the running kiosk at once and written to the audit log (key, from, to).

A setting the central configuration locks is shown "managed by IT" and refused here too
(not only greyed out); a broken override file is shown and ignored.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.core.log_events import emit
from kiosk.core.records import replace
from kiosk.services.local_settings import (
    KEYS,
    Effective,
    LocalState,
    SettingLocked,
    parse_value,
    shown,
)
from kiosk.ui.presenter.background import Background
from kiosk.ui.presenter.runner import Backend
from kiosk.ui.presenter.staff_pages import StaffAudit

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SettingsPage:
    """What the page shows: the settings (None while read), a change being written, and
    what went wrong with the last one ("locked", "unwritable")."""

    state: LocalState | None = None
    busy: bool = False
    failed: str | None = None


class SettingsControl:
    def __init__(
        self,
        backend: Backend,
        background: Background,
        audit: StaffAudit,
        on_applied: Callable[[Effective], None],
        on_change: Callable[[], None],
    ) -> None:
        self.backend, self.background, self.audit = backend, background, audit
        self.on_applied, self.on_change = on_applied, on_change
        self.shown: SettingsPage | None = None

    def load(self) -> None:
        """At start (a small local file): the local settings applied before the first
        client; a broken file is logged and ignored, never fatal."""
        try:
            state = self.backend.local_settings()
        except Exception as err:
            log.error("local settings not applied: %s", type(err).__name__)
            return
        if state.problem is not None:
            log.error("local settings file ignored: %s", state.problem)
        self.on_applied(state.effective)

    def open(self) -> None:
        self.shown = SettingsPage(busy=True)

        def done(state: LocalState) -> None:
            if self.shown is not None:
                self.shown = SettingsPage(state)
            self.on_applied(state.effective)
            self.on_change()

        self.background.run(self.backend.local_settings, done, self._failed("unwritable"))

    def close(self) -> None:
        self.shown = None

    def change(self, key: str, text: str) -> None:
        page, who = self.shown, self.audit.who
        if page is None or page.busy or page.state is None or who is None or key not in KEYS:
            return
        if key in page.state.locked:
            self.shown = replace(page, failed="locked")  # managed by IT: not even tried
            return
        try:
            value = parse_value(key, text)
        except ValueError:
            log.warning("setting %s: value refused", key)
            return
        before = shown(getattr(page.state.effective, key))

        def done(state: LocalState) -> None:
            after = shown(getattr(state.effective, key))
            change = {"key": key, "from": before, "to": after or "central"}
            self.audit.record("staff.setting_changed", change, who=who)
            emit(log, "staff.setting_changed", card=who.card_id, role=who.role.value, setting=key)
            self._applied(state)

        self.shown = replace(page, busy=True, failed=None)
        self.background.run(
            lambda: self.backend.change_setting(key, value), done, self._failed("unwritable")
        )

    def reset(self) -> None:
        page, who = self.shown, self.audit.who
        if page is None or page.busy or who is None:
            return

        def done(state: LocalState) -> None:
            self.audit.record("staff.settings_reset", {"to": "central"}, who=who)
            self._applied(state)

        self.shown = replace(page, busy=True, failed=None)
        self.background.run(self.backend.reset_settings, done, self._failed("unwritable"))

    def _applied(self, state: LocalState) -> None:
        if self.shown is not None:
            self.shown = SettingsPage(state)
        self.on_applied(state.effective)
        self.on_change()

    def _failed(self, why: str) -> Callable[[BaseException], None]:
        def failed(err: BaseException) -> None:
            reason = "locked" if isinstance(err, SettingLocked) else why
            log.error("local settings: %s (%s)", reason, type(err).__name__)
            if self.shown is not None:
                self.shown = replace(self.shown, busy=False, failed=reason)
            self.on_change()

        return failed
