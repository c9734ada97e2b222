"""The presenter: owns the session, turns intents into core events, runs the commands."""

from __future__ import annotations

import logging
import math
import time
from collections import deque
from collections.abc import Callable, Mapping

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from drivers.camera.preview import PreviewFrame
from drivers.codes.wedge import WedgeTiming
from drivers.output.printer import PrintFailed
from drivers.output.sound import Chime
from drivers.output.speech import Speech
from kiosk.core import events as ev
from kiosk.core.records import replace
from kiosk.core.session import Limits, Phase, Session, step
from kiosk.services import eventlog
from kiosk.services.assets.theme import Theme
from kiosk.services.status import StaffStatus
from kiosk.ui.activity import ActivityFilter
from kiosk.ui.i18n.texts import Texts
from kiosk.ui.presenter import intents as do
from kiosk.ui.presenter import memory
from kiosk.ui.presenter.background import Background
from kiosk.ui.presenter.codes import CardInput
from kiosk.ui.presenter.diagnostics import DiagnosticsPage
from kiosk.ui.presenter.pagereview import LargePage, ReviewNotes, page_views
from kiosk.ui.presenter.pagestore import PageStore
from kiosk.ui.presenter.ports import CardCamera
from kiosk.ui.presenter.printout import printout_for
from kiosk.ui.presenter.runner import Backend, CommandRunner
from kiosk.ui.presenter.staff_desk import StaffDesk
from kiosk.ui.presenter.staff_mode import IDLE_PHASES, StaffModePart
from kiosk.ui.presenter.staff_pages import (
    StaffAudit,
    StaffMember,
)
from kiosk.ui.presenter.staff_pin import StaffPinPage
from kiosk.ui.presenter.staff_records import RecordsPage
from kiosk.ui.presenter.view import Printing, Settings, Site, View
from kiosk.ui.presenter.welcome import spoken_welcome
from kiosk.ui.widgets.theme import SHIPPED
from kiosk.ui.window import Window, screen_name

log = logging.getLogger(__name__)
HEALTH_RECHECK = 30.0  # seconds between checks while out of order
GIVE_BACK_MS = 500  # after a wipe: the session's memory back to the system


class Presenter(QObject, StaffModePart):
    rendered = Signal()  # after every render: tests and benchmarks wait on it

    def __init__(
        self,
        window: Window,
        backend: Backend,
        catalogs: Mapping[str, Texts],
        *,
        clock: Callable[[], float] = time.monotonic,
        speech: Speech | None = None,
        chime: Chime | None = None,
        camera: CardCamera | None = None,
        tick_ms: int = 1000,
        on_quit: Callable[[], None] | None = None,
        wedge_timing: WedgeTiming | None = None,
        theme: Theme = SHIPPED,
        site: Site | None = None,
    ) -> None:
        super().__init__(window)
        self.theme, self.site = theme, site
        self.window, self.backend, self.catalogs, self.clock = window, backend, catalogs, clock
        self.speech, self.chime = speech, chime
        self.on_quit = on_quit or (lambda: None)
        home = backend.home_language
        limits = Limits(max_pages=backend.max_pages)  # kept by every wipe, like the language
        self.session = Session(
            language=home, home_language=home, last_activity=clock(), limits=limits
        )
        self.store = PageStore()
        self.notes = ReviewNotes(backend.drop_blank)  # the client's answers about pages
        self.background = Background(parent=self)
        self.runner = CommandRunner(backend, self.background, self.store, self.dispatch, clock)
        self.large = LargePage(self.background, self.redraw)  # the one page shown large
        memory.map_page_buffers()
        self.cards = CardInput(
            camera,
            self.background,
            backend.read_code,
            self.dispatch,
            clock,
            on_preview=self.preview,
            on_change=self.render,
            on_staff_pin=self.ask_staff_pin,
            on_staff_card=self._staff_card,
        )
        self.cards.phase_is(self.session.phase)
        self.staff: StaffStatus | None = None
        self.staff_page: str | None = None  # a page of staff mode open over its overview
        self.audit = StaffAudit(backend.audit, self.background)  # who, and what they did
        self._arriving: StaffMember | None = None  # the card that is opening staff mode
        self.staff_pin = StaffPinPage(
            backend.check_pin, self.background, clock, self._pin_ok, self.render
        )
        self.records = RecordsPage(backend.records, self.background, self.audit.record, self.render)
        self.speech_default = False  # the local setting "speech on by default"
        self.desk = StaffDesk(  # out of order, settings, reboot
            backend,
            self.background,
            self.audit,
            lambda: self.session.phase,
            self._settings_applied,
            self.render,
        )
        self.diagnostics = DiagnosticsPage(
            backend,
            self.background,
            lambda: self.cards.camera_state,
            camera is not None,
            self.render,
        )
        # The paper receipt has a worker of its own: a printer that takes its whole deadline
        # never holds up a scan, a card lookup or a health check.
        self.printer = Background(workers=1, parent=self)
        self.printing: Printing | None = None
        self._print_job = 0  # a result for an older job (a wiped session) is dropped
        self.settings = Settings()
        self.explained = False
        self.opened: str | None = None
        self._queue: deque[ev.Event] = deque()
        self._busy = False
        self._spoken: tuple[object, ...] = ()
        self._last_check = -math.inf
        self._shown: View | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(tick_ms)
        self.timer.timeout.connect(self.tick)
        window.intent.connect(self.handle)
        self.activity = ActivityFilter(
            window, clock, self.touched, self.code_read, wedge_timing, self.leave_key
        )  # a USB barcode reader's burst is read as a code, like a card at the camera
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.activity)

    # -- life cycle ------------------------------------------------------------------

    def start(self) -> None:
        self.desk.load()  # a notice staff put up before a restart holds from the start
        if self.desk.out_of_order.notice is not None:
            self.dispatch(ev.OutOfOrder(at=self.clock(), error="staff"))
        self.render()
        self.check_health()
        self.timer.start()
        self.cards.start()

    def stop(self) -> None:
        self.timer.stop()
        self.cards.stop()
        if self.speech is not None:
            self.speech.stop()  # no utterance outlives the kiosk program
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.activity)
        self.activity.stop()
        self.background.shutdown()
        self.printer.shutdown()  # a print job ends by its deadline

    def check_health(self) -> None:
        self._last_check = self.clock()
        self.runner.check(self._health)

    def _health(self, problem: str | None) -> None:
        at = self.clock()
        if problem is not None and self.session.phase is not Phase.OUT_OF_ORDER:
            log.error("out of order: %s", problem)
            self.dispatch(ev.OutOfOrder(at=at, error=problem))
        elif (
            problem is None
            and self.session.phase is Phase.OUT_OF_ORDER
            and self.desk.out_of_order.notice is None  # staff put it out of order: staff end it
        ):
            log.info("back in order")
            self.dispatch(ev.BackInOrder(at=at))

    # -- input -----------------------------------------------------------------------

    def tick(self) -> None:
        now = self.clock()
        self.staff_pin.tick()
        if self.session.phase is Phase.OUT_OF_ORDER and now - self._last_check >= HEALTH_RECHECK:
            self.check_health()
        self.dispatch(ev.Tick(at=now))

    def touched(self) -> None:
        self.dispatch(ev.Touched(at=self.clock()))

    def leave_key(self, key: str) -> None:
        """Escape, Alt+F4, Ctrl+Q: nothing for a client; staff close staff mode or quit."""
        if self.session.phase is Phase.STAFF:
            self.handle(do.LeaveStaff() if key == "close" else do.QuitKiosk())

    def code_read(self, text: str) -> None:
        """A code from a USB code reader (the camera's come through ``cards`` directly)."""
        self.cards.code(text)

    def preview(self, frame: PreviewFrame) -> None:
        self.window.show_preview(frame)  # shown only while the identify screen is

    def handle(self, intent: do.Intent) -> None:
        at = self.clock()
        event = self._event_for(intent, at)
        if event is not None:
            self.dispatch(event)
        else:
            self.render()

    def _event_for(self, intent: do.Intent, at: float) -> ev.Event | None:
        """Intents become core events; only display choices stay here."""
        match intent:
            case do.ChooseLanguage(language):
                return ev.LanguageChosen(at=at, language=language)
            case do.EnterCase(raw):
                return ev.CaseEntered(at=at, raw=raw)
            case do.ConfirmCase():
                return ev.CaseConfirmed(at=at)
            case do.RejectCase():
                return ev.CaseRejected(at=at)
            case do.ChooseConcern(concern):
                return ev.ConcernChosen(at=at, concern=concern)
            case do.Scan():
                return ev.ScanRequested(at=at)
            case do.DeletePage(page_id):
                self.opened = None
                self.notes.answer(page_id)  # brought back, its question is not asked again
                return ev.PageDeleted(at=at, page_id=page_id)
            case do.RestorePage():
                return ev.PageRestored(at=at)
            case do.RotatePage(page_id):
                return ev.PageRotated(at=at, page_id=page_id)
            case do.RescanPage(page_id):  # the next scan takes this page's place
                self.opened = None
                return ev.RescanRequested(at=at, page_id=page_id)
            case do.AddPages():
                return ev.MorePagesRequested(at=at)
            case do.Send():
                return ev.SendRequested(at=at)
            case do.Finish():
                return ev.Finished(at=at)
            case do.StartOver():
                return ev.Cancelled(at=at)
            case do.StillHere():
                return ev.Touched(at=at)
            case do.LeaveStaff():
                return ev.StaffLeft(at=at)
            case do.CheckPages():
                return ev.ReviewRequested(at=at)
        self._display(intent)
        return None

    def _display(self, intent: do.Intent) -> None:
        match intent:
            case do.ToggleSpeech():
                self.settings = replace(self.settings, speech=not self.settings.speech)
                if not self.settings.speech and self.speech is not None:
                    self.speech.stop()
                self._spoken = ()
            case do.ToggleLargeText():
                self.settings = replace(self.settings, large_text=not self.settings.large_text)
            case do.ToggleHighContrast():
                self.settings = replace(
                    self.settings, high_contrast=not self.settings.high_contrast
                )
            case do.BeginIdentify():
                self.explained = True
            case do.OpenPage(page_id):
                self.opened = page_id
            case do.KeepPage(page_id):
                self.notes.answer(page_id)
            case do.ClosePage():
                self.opened = None
            case do.StopScan():
                if self.session.scanning:
                    self.runner.stop_scan()
            case _:
                self.staff_intent(intent)  # staff mode's pages (StaffModePart)

    # -- the core ----------------------------------------------------------------------

    def dispatch(self, event: ev.Event) -> None:
        self._queue.append(event)
        if self._busy:
            return  # the loop below picks it up
        self._busy = True
        try:
            while self._queue:
                self._apply(self._queue.popleft())
        finally:
            self._busy = False
        self.render()

    def _apply(self, event: ev.Event) -> None:
        if isinstance(event, ev.CardRefused):
            self.explained = True  # the reason shows where the number is typed instead
        before = self.session
        self.session, commands = step(self.session, event)
        for command in commands:
            try:
                self._run(command, before)
            except Exception as err:  # the failsafe: a calm screen, never a traceback
                log.error("command %s failed: %s", type(command).__name__, type(err).__name__)
                self._queue.append(ev.FailureOccurred(at=self.clock(), error="unexpected"))
        if self.session.phase is not before.phase:
            self.cards.phase_is(self.session.phase)
            if before.phase is Phase.SCAN and self.session.phase is Phase.REVIEW:
                at = self.clock()  # [scanner] drop_blank: empty pages out (undoable)
                drop = self.notes.to_drop(self.session, self.store)
                self._queue.extend(ev.PageDeleted(at=at, page_id=page) for page in drop)
            if before.phase in IDLE_PHASES and self.session.phase not in IDLE_PHASES:
                eventlog.begin_session()  # a random pseudonym on the log lines of this visit
            if before.phase is Phase.STAFF:
                self.diagnostics.close()  # the next staff visit starts at the overview
                self.close_records()
                self.desk.close()
                self.staff_page = None
                why = "timeout" if isinstance(event, ev.Tick) else "left"
                self.audit.record("staff.logout", {"reason": why})
                self.audit.who = None
            if self.session.phase is Phase.STAFF:
                self.audit.who, self._arriving = self._arriving, None
                self.refresh_staff()
            if self.session.phase is Phase.RECEIPT:
                self.print_receipt()
        if self.session.phase is Phase.IDLE and before.phase is not Phase.IDLE:
            if self.settings.speech and self.speech is not None:
                self.speech.stop()  # the next client hears nothing of the last one's screen
            self.settings = Settings(speech=self.speech_default)  # the next client: defaults
            if self.desk.out_of_order.notice is not None:  # staff put it out of order
                self._queue.append(ev.OutOfOrder(at=self.clock(), error="staff"))
            self.check_health()

    def _run(self, command: ev.Command, before: Session) -> None:
        if isinstance(command, ev.Wipe):
            eventlog.end_session()
            self.staff_pin.close()
            self.runner.forget()
            self.cards.forget()
            self.staff = None
            self.diagnostics.close()
            self._print_job += 1
            self.printing = None
            self.explained = False
            self.opened = None
            self.notes.forget()
            self.large.close()
            # Once the session's widgets are deleted (later): its memory back to the system.
            QTimer.singleShot(GIVE_BACK_MS, memory.give_back)
            self.window.wipe()
        elif isinstance(command, ev.WarnTimeout):
            if self.chime is None or not self.chime.play():
                QApplication.beep()
        else:
            self.runner.run(command)

    def print_receipt(self) -> None:
        """The receipt on paper, off the GUI thread; the screen shows printing, printed or
        "could not be printed" (the printer driver has a deadline: never a stuck screen)."""
        receipt = self.session.receipt
        if receipt is None or not self.backend.prints_receipts:
            return
        self._print_job += 1
        job = self._print_job
        try:
            printout = printout_for(
                receipt, self.session.language, self.catalogs, self.backend.kiosk_id
            )
        except Exception as err:  # a catalog missing: no paper, but the receipt shows
            log.error("receipt printout failed: %s", type(err).__name__)
            self.printing = Printing.FAILED
            return

        def done(_: object) -> None:
            if job == self._print_job:
                self.printing = Printing.PRINTED
                self.render()

        def failed(err: BaseException) -> None:
            if not isinstance(err, PrintFailed):  # PrintFailed is logged where it happens
                log.error("receipt printing failed: %s", type(err).__name__)
            if job == self._print_job:
                self.printing = Printing.FAILED
                self.render()

        self.printing = Printing.PRINTING
        self.printer.run(lambda: self.backend.print_receipt(printout), done, failed)

    # -- output ------------------------------------------------------------------------

    def view(self) -> View:
        s = self.session
        opened = self.opened if s.phase is Phase.REVIEW else None
        pages = page_views(s, self.store, self.notes, self.large, opened)
        return View(
            session=s,
            texts=self.catalogs[s.language],
            pages=pages,
            source=self.backend.source,
            explained=self.explained,
            opened_page=self.opened,
            dropped_blank=tuple(i + 1 for i in self.notes.dropped(s)),
            seconds_left=self._seconds_left(),
            settings=self.settings,
            catalogs=self.catalogs,
            camera=self.cards.camera_state,
            checking_card=self.cards.checking,
            staff=self.staff if s.phase is Phase.STAFF else None,
            diagnostics=self.diagnostics.shown if s.phase is Phase.STAFF else None,
            pin_entry=self.staff_pin.shown,
            staff_role=self.audit.who.role if s.phase is Phase.STAFF and self.audit.who else None,
            staff_page=self.staff_page if s.phase is Phase.STAFF else None,
            out_of_order_page=self.desk.out_of_order.shown if s.phase is Phase.STAFF else None,
            settings_page=self.desk.settings.shown if s.phase is Phase.STAFF else None,
            reboot_page=self.desk.reboot.shown if s.phase is Phase.STAFF else None,
            bundle_page=self.desk.bundle.shown if s.phase is Phase.STAFF else None,
            notice=self.desk.out_of_order.text if s.phase is Phase.OUT_OF_ORDER else None,
            records=self.records.shown if s.phase is Phase.STAFF else None,
            kiosk_id=self.backend.kiosk_id,
            printing=self.printing if s.phase is Phase.RECEIPT else None,
            theme=self.theme,
            site=self.site,
        )

    def _seconds_left(self) -> int | None:
        s = self.session
        limit = s.limits.timeout(s.phase)
        if not s.warned or limit is None:
            return None
        return max(0, math.ceil(limit - (self.clock() - s.last_activity)))

    def redraw(self) -> None:
        """Render even where the view compares equal (a page's large picture arrived)."""
        self._shown = None
        self.render()

    def render(self) -> None:
        view = self.view()
        if view == self._shown:
            return  # a tick or touch that changed nothing: leave the screen alone
        self._shown = view
        try:
            self.window.show_view(view)
        except Exception as err:
            log.error("rendering %s failed: %s", screen_name(view), type(err).__name__)
            if view.session.phase is not Phase.ERROR:
                self.dispatch(ev.FailureOccurred(at=self.clock(), error="unexpected"))
            return
        self._speak(view)
        self.rendered.emit()

    def _speak(self, view: View) -> None:
        if not self.settings.speech or self.speech is None:
            return
        key = (
            screen_name(view),
            view.texts.language,
            view.session.scan_problem,
            view.session.identify_error,
            view.checking_card,
            view.seconds_left is not None,
            view.printing in (Printing.PRINTED, Printing.FAILED),  # told once it is known
        )
        if key != self._spoken:
            self._spoken = key
            if key[0] == "start" and view.seconds_left is None:
                # Nobody has chosen a language yet: the welcome in every language in turn.
                self.speech.say_all(spoken_welcome(view))
            else:
                self.speech.say(self.window.instructions(view), view.texts.language)
