"""Staff mode's pages and who is in staff mode: which role may open which page, and the
audit helper every staff action goes through (card id, role, action, what changed).

A page is a key (``OpenStaffPage("settings")``); its screen is ``staff-<key>`` in the
window. A page with no screen registered yet shows its title and Back. The staff member
is known from the login: the card id and role of ``CardAccepted``/``PinOk``. A card of the
first form (no role signed in) on a kiosk where nobody is enrolled counts as support:
such cards were made by whoever holds the staff key (IT), and staff mode offered
diagnostics to them before roles existed; once anyone is enrolled, every card needs its
enrolment, its role and its PIN.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from kiosk.core.staff import Role
from kiosk.core.text import N_
from kiosk.ui.presenter.background import Background

log = logging.getLogger(__name__)

Change = Mapping[str, str | int | float]

OUT_OF_ORDER = "out-of-order"
SETTINGS = "settings"
HELD = "held"
REPORT = "report"
LOOKUP = "lookup"
BUNDLE = "bundle"
REBOOT = "reboot"
DIAGNOSTICS = "diagnostics"  # its own screen and intents (OpenDiagnostics), listed for roles


@dataclass(frozen=True, slots=True)
class PageSpec:
    key: str
    title: str  # untranslated (N_): the button on the staff home and the page's title
    pictogram: str
    support_only: bool = False


# In the order of the staff home's buttons.
PAGES = (
    PageSpec(OUT_OF_ORDER, N_("Out of order"), "warning"),
    PageSpec(SETTINGS, N_("Settings"), "switch-on"),
    PageSpec(HELD, N_("Held documents"), "hourglass"),
    PageSpec(REPORT, N_("Today's report"), "requested"),
    PageSpec(LOOKUP, N_("Did it arrive?"), "qr-card"),
    PageSpec(DIAGNOSTICS, N_("Diagnostics"), "info", support_only=True),
    PageSpec(BUNDLE, N_("Support bundle"), "save-report", support_only=True),
    PageSpec(REBOOT, N_("Reboot the PC"), "restart", support_only=True),
)
SPECS = {spec.key: spec for spec in PAGES}


def pages_for(role: Role | None) -> tuple[PageSpec, ...]:
    """The pages this role may open, in button order (no role: none)."""
    if role is None:
        return ()
    return tuple(p for p in PAGES if role is Role.SUPPORT or not p.support_only)


def may_open(role: Role | None, page: str) -> bool:
    return any(p.key == page for p in pages_for(role))


@dataclass(frozen=True, slots=True)
class StaffMember:
    """Who is in staff mode: the card's id and role (never a name)."""

    card_id: str
    role: Role


def member_for(card_id: str, role: Role | None) -> StaffMember:
    """The staff member a login names; a card without a role counts as support (above)."""
    return StaffMember(card_id, role or Role.SUPPORT)


AuditWriter = Callable[[str, str, str, Change | None], None]  # event, card, role, change


class StaffAudit:
    """Writes one audit line per staff action, off the GUI thread (the line is fsync'ed).

    ``who`` is set at login and cleared when staff mode ends; an action with nobody in
    staff mode is not written (it cannot happen through the UI) but logged."""

    def __init__(self, write: AuditWriter, background: Background) -> None:
        self.write, self.background = write, background
        self.who: StaffMember | None = None

    def record(
        self,
        action: str,
        change: Change | None = None,
        *,
        wait: bool = False,
        who: StaffMember | None = None,
    ) -> None:
        """``wait``: write it now, on this thread (the program is about to end). ``who``:
        the staff member who asked (a result that arrives after staff mode closed)."""
        who = who or self.who
        if who is None:
            log.warning("staff action %s with nobody in staff mode: not audited", action)
            return
        frozen = dict(change) if change else None
        if wait:
            try:
                self.write(action, who.card_id, who.role.value, frozen)
            except Exception as err:
                log.error("staff audit line not written: %s", type(err).__name__)
            return

        def failed(err: BaseException) -> None:
            log.error("staff audit line not written: %s", type(err).__name__)

        self.background.run(
            lambda: self.write(action, who.card_id, who.role.value, frozen),
            lambda _: None,
            failed,
        )
