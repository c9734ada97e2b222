"""Staff mode's own pages for the presenter: out of order, settings, reboot, bundle. One place that
opens and closes them and takes their intents, so the presenter only forwards.

(Held documents, today's report and "did it arrive?" are kiosk.ui.presenter.staff_records.)
"""

from __future__ import annotations

from collections.abc import Callable

from kiosk.core.session import Phase
from kiosk.services.local_settings import Effective
from kiosk.ui.presenter import intents as do
from kiosk.ui.presenter.background import Background
from kiosk.ui.presenter.runner import Backend
from kiosk.ui.presenter.staff_bundle import BundleControl
from kiosk.ui.presenter.staff_out_of_order import OutOfOrderControl
from kiosk.ui.presenter.staff_pages import BUNDLE, OUT_OF_ORDER, REBOOT, SETTINGS, StaffAudit
from kiosk.ui.presenter.staff_reboot import RebootControl
from kiosk.ui.presenter.staff_settings import SettingsControl


class StaffDesk:
    def __init__(
        self,
        backend: Backend,
        background: Background,
        audit: StaffAudit,
        phase: Callable[[], Phase],
        on_applied: Callable[[Effective], None],
        on_change: Callable[[], None],
    ) -> None:
        self.phase = phase
        self.out_of_order = OutOfOrderControl(backend, background, audit, on_change)
        self.settings = SettingsControl(backend, background, audit, on_applied, on_change)
        self.reboot = RebootControl(backend, background, audit, on_change)
        self.bundle = BundleControl(backend, background, audit, on_change)

    def load(self) -> None:
        """At start: the notice staff put up and the local settings, before any client."""
        self.out_of_order.load()
        self.settings.load()

    def open(self, page: str) -> None:
        self.close()
        if page == OUT_OF_ORDER:
            self.out_of_order.open()
        elif page == SETTINGS:
            self.settings.open()
        elif page == REBOOT:
            self.reboot.open()
        elif page == BUNDLE:
            self.bundle.open()

    def close(self) -> None:
        self.out_of_order.close()
        self.settings.close()
        self.reboot.close()
        self.bundle.close()

    def handle(self, intent: do.Intent) -> bool:
        """Carry out one of this desk's intents (in staff mode only); False: not one."""
        if not isinstance(intent, DESK_INTENTS):
            return False
        if self.phase() is not Phase.STAFF:
            return True
        match intent:
            case do.ChooseNotice(notice):
                self.out_of_order.choose(notice)
            case do.PutOutOfOrder():
                self.out_of_order.put()
            case do.BackInService():
                self.out_of_order.back_in_service()
            case do.ChangeSetting(key, value):
                self.settings.change(key, value)
            case do.ResetSettings():
                self.settings.reset()
            case do.Reboot():
                self.reboot.reboot()
            case do.SaveBundle():
                self.bundle.save()
        return True


DESK_INTENTS = (
    do.ChooseNotice,
    do.PutOutOfOrder,
    do.BackInService,
    do.ChangeSetting,
    do.ResetSettings,
    do.Reboot,
    do.SaveBundle,
)
