"""Made-up states for the screenshots of staff mode's home and its own pages (out of order,
settings, reboot, support bundle), the staff timeout warning and the out-of-order screen
with a notice."""

from __future__ import annotations

from drivers.scanner.protocol import ColorMode
from kiosk.core.records import replace
from kiosk.core.session import Phase
from kiosk.core.staff import Role
from kiosk.services.local_settings import Effective, LocalSettings, LocalState
from kiosk.services.out_of_order import NOTICES
from kiosk.ui.presenter.staff_bundle import BundlePage
from kiosk.ui.presenter.staff_out_of_order import OutOfOrderPage
from kiosk.ui.presenter.staff_reboot import RebootPage
from kiosk.ui.presenter.staff_settings import SettingsPage
from kiosk.ui.presenter.view import View

DESK_SCREENS = {
    "staff-out-of-order": "out-of-order",
    "staff-settings": "settings",
    "staff-reboot": "reboot",
    "staff-bundle": "bundle",
}
_LOCAL = LocalSettings(scan_mode=ColorMode.GRAY, idle_timeout=120)
_SETTINGS = LocalState(
    _LOCAL,
    Effective("de", ColorMode.GRAY, True, False, 120),
    frozenset({"language"}),  # [staff] locked = ["language"]
)


def desk_sample(name: str, view: View) -> View:
    """``view`` with what the screen ``name`` shows of staff mode (a support card; the
    office card on "staff-office")."""
    if name == "out-of-order-notice":
        return replace(view, notice=NOTICES["repair"])
    if view.session.phase is not Phase.STAFF:
        return view
    role = Role.OFFICE if name == "staff-office" else Role.SUPPORT
    view = replace(view, staff_role=role)
    if name == "staff-timeout":
        return replace(view, seconds_left=17)
    page = DESK_SCREENS.get(name)
    if page is None:
        return view
    view = replace(view, staff_page=page)
    if page == "out-of-order":
        shown = OutOfOrderPage("reception", "14.03.2025 09:58", "repair")
        return replace(view, out_of_order_page=shown)
    if page == "settings":
        return replace(view, settings_page=SettingsPage(_SETTINGS))
    if page == "bundle":
        saved = "/media/kiosk/USB-STICK/support-bundle-duesseldorf-mitte-01-20250314-0958.tar.gz"
        return replace(view, bundle_page=BundlePage(saved=saved))
    return replace(view, reboot_page=RebootPage())
