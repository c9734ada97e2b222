"""Staff mode's part of the presenter: the PIN page, who is in staff mode, the pages staff
open (diagnostics, out of order, settings, held documents, report, "did it arrive?",
reboot, support bundle) and the intents on them. A mixin of ``Presenter``: the same
object, its staff-mode responsibilities in one file."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from kiosk.core import events as ev
from kiosk.core.records import replace
from kiosk.core.session import Phase, Session, staff_mode_possible
from kiosk.core.staff import CardAccepted, PinOk
from kiosk.services.local_settings import Effective, limits_for
from kiosk.services.status import StaffStatus
from kiosk.ui.presenter import intents as do
from kiosk.ui.presenter.staff_pages import DIAGNOSTICS, StaffMember, may_open, member_for

if TYPE_CHECKING:
    from kiosk.ui.presenter.background import Background
    from kiosk.ui.presenter.codes import CardInput
    from kiosk.ui.presenter.diagnostics import DiagnosticsPage
    from kiosk.ui.presenter.runner import Backend
    from kiosk.ui.presenter.staff_desk import StaffDesk
    from kiosk.ui.presenter.staff_pages import StaffAudit
    from kiosk.ui.presenter.staff_pin import StaffPinPage
    from kiosk.ui.presenter.staff_records import RecordsPage
    from kiosk.ui.presenter.view import Settings

log = logging.getLogger(__name__)
IDLE_PHASES = (Phase.IDLE, Phase.OUT_OF_ORDER)  # no client at the kiosk


class StaffModePart:
    """Staff mode, for ``Presenter`` (which builds every attribute named here)."""

    session: Session
    settings: Settings
    backend: Backend
    background: Background
    cards: CardInput
    audit: StaffAudit
    staff_pin: StaffPinPage
    records: RecordsPage
    desk: StaffDesk
    diagnostics: DiagnosticsPage
    staff: StaffStatus | None
    staff_page: str | None
    speech_default: bool
    _arriving: StaffMember | None
    clock: Callable[[], float]
    on_quit: Callable[[], None]

    def dispatch(self, event: ev.Event) -> None: ...
    def render(self) -> None: ...

    def staff_intent(self, intent: do.Intent) -> None:
        match intent:
            case do.CheckAgain():
                if self.diagnostics.shown is not None:
                    self.diagnostics.check()
                else:
                    self.refresh_staff()
            case do.PinDigit(digit):
                self.staff_pin.type(digit)
            case do.PinErase():
                self.staff_pin.erase()
            case do.PinClear():
                self.staff_pin.clear()
            case do.PinSubmit():
                self.staff_pin.submit()
            case do.PinCancel():
                self.staff_pin.close()
            case do.OpenDiagnostics():
                self.open_staff_page(DIAGNOSTICS)
            case do.CloseDiagnostics():
                self.diagnostics.close()
                self.refresh_staff()
            case do.TestScan():
                if self.session.phase is Phase.STAFF:
                    self.diagnostics.test_scan()
            case do.SaveReport():
                if self.session.phase is Phase.STAFF:
                    self.diagnostics.save()
            case do.OpenStaffPage(page):
                self.open_staff_page(page)
            case do.CloseStaffPage():
                self.staff_page = None
                self.close_records()
                self.desk.close()
                self.refresh_staff()
            case do.SendAgain() | do.ReceiptKey() | do.ReceiptErase() | do.ReceiptClear():
                if self.session.phase is Phase.STAFF:
                    self.records_intent(intent)
            case do.ReceiptLookup():
                if self.session.phase is Phase.STAFF:
                    self.records.submit()
            case do.QuitKiosk():
                if self.session.phase is Phase.STAFF:
                    log.info("staff quit the kiosk program")
                    self.audit.record("staff.restart_program", wait=True)  # before Qt ends
                    self.on_quit()
            case _:
                self.desk.handle(intent)  # out of order, settings, reboot

    def ask_staff_pin(self, card: CardAccepted) -> None:
        """An enrolled staff card: its PIN first, where staff mode could open now (never
        over a client's session: the core's rule, asked of the core)."""
        if staff_mode_possible(self.session):
            self.staff_pin.open(card)
            self.render()

    def _pin_ok(self, verdict: PinOk) -> None:
        log.info("staff card %s opened staff mode (%s)", verdict.card_id, verdict.role.value)
        self._arriving = member_for(verdict.card_id, verdict.role)
        self.dispatch(ev.StaffCardShown(at=self.clock()))

    def _settings_applied(self, settings: Effective) -> None:
        """The local settings, live: the start language and the client screens' idle
        timeout are the session's (kept by every wipe), speech the next client's default.
        Only staff mode or an empty kiosk gets here: no client is affected mid-session."""
        s = self.session
        limits = limits_for(s.limits, settings.idle_timeout)
        home = self.backend.home_language  # the configuration the backend now runs with
        self.session = replace(s, home_language=home, limits=limits)
        self.speech_default = settings.speech
        if s.phase in IDLE_PHASES:  # nobody at the kiosk: the start screen shows it now
            self.session = replace(self.session, language=home)
            self.settings = replace(self.settings, speech=settings.speech)

    def _staff_card(self, card: CardAccepted | None) -> None:
        """A staff card that opens staff mode alone (nobody enrolled): who it is."""
        if card is None:  # a staff card on a kiosk without a staff register
            self._arriving = member_for("unknown", None)
        else:
            self._arriving = member_for(card.card_id, card.role)

    def open_staff_page(self, page: str) -> None:
        """A page of staff mode, where this staff member's role may open it."""
        who = self.audit.who
        if self.session.phase is not Phase.STAFF or who is None or not may_open(who.role, page):
            log.warning("staff page %s refused", page)
            return
        self.diagnostics.close()
        if page == DIAGNOSTICS:
            self.staff_page = None
            self.diagnostics.open()
        else:
            self.staff_page = page
        self.records.open(page)  # held, report, lookup: loaded off the GUI thread
        # "Did it arrive?": a code at the camera or USB reader is the receipt's QR code.
        self.cards.read_receipts(self.receipt_code if self.records.takes_code() else None)
        self.desk.open(page)  # out of order, settings, reboot

    def receipt_code(self, text: str) -> None:
        self.records.code(text)
        self.render()

    def close_records(self) -> None:
        self.records.close()
        self.cards.read_receipts(None)

    def records_intent(self, intent: do.Intent) -> None:
        match intent:
            case do.SendAgain(item_id):
                self.records.send_again(item_id)
            case do.ReceiptKey(char):
                self.records.type(char)
            case do.ReceiptErase():
                self.records.erase()
            case do.ReceiptClear():
                self.records.clear()

    def refresh_staff(self) -> None:
        """The kiosk's state for staff, worked out off the GUI thread (it asks SANE)."""

        def done(status: StaffStatus) -> None:
            if self.session.phase is Phase.STAFF:
                self.staff = status
                self.render()

        def failed(err: BaseException) -> None:
            log.error("staff status failed: %s", type(err).__name__)

        self.staff = None
        self.background.run(self.backend.staff_status, done, failed)
