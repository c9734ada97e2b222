"""The base of staff mode's page controls (out of order, reboot, support bundle)."""

from __future__ import annotations

from collections.abc import Callable

from kiosk.ui.presenter.background import Background
from kiosk.ui.presenter.runner import Backend
from kiosk.ui.presenter.staff_pages import StaffAudit


class StaffControl:
    """What every staff page's control works with: the backend, the background thread,
    the audit log and the presenter's redraw (``on_change``)."""

    def __init__(
        self,
        backend: Backend,
        background: Background,
        audit: StaffAudit,
        on_change: Callable[[], None],
    ) -> None:
        self.backend, self.background, self.audit = backend, background, audit
        self.on_change = on_change
