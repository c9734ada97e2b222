"""What the touch UI asks of the kiosk (health, scan, stop, submit), on top of the station."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.core.concerns import Concern
from kiosk.core.identity import CaseNumber
from kiosk.core.log_events import emit
from kiosk.core.receipt import Receipt
from kiosk.core.records import replace
from kiosk.core.staff import CardRefused, PinVerdict
from kiosk.services import local_settings, out_of_order, power, support_bundle
from kiosk.services.codes import CardOutcome
from kiosk.services.config import KioskConfig
from kiosk.services.local_settings import LocalState
from kiosk.services.out_of_order import StaffNotice
from kiosk.services.pages.imaging import EncodedPage
from kiosk.services.pages.pageimage import rotated
from kiosk.services.printout import Printout
from kiosk.services.staff.audit import utc_stamp
from kiosk.services.status import StaffStatus
from kiosk.station import PageOptions, Station, version
from kiosk.ui.presenter.staff_records import StationRecords

if TYPE_CHECKING:
    from kiosk.diag import Check

log = logging.getLogger(__name__)


class KioskBackend:
    """Runs on worker threads only; every call may block on hardware, disk or network."""

    def __init__(
        self,
        station: Station,
        *,
        inbox: str | None = None,
        batch_options: Sequence[PageOptions] = (),
    ) -> None:
        self.station = station
        self.inbox = inbox  # deliver here instead of routing (tests, a single-team kiosk)
        # Backend options per batch, in order (tests inject jams: {3: {"read-return-value":
        # "SANE_STATUS_JAMMED"}}); batches after the last use none.
        self._batch_options = list(batch_options)
        self._central_config: KioskConfig | None = None  # before local settings (first use)
        self.reboot_command: Sequence[str] = power.COMMAND

    @property
    def source(self) -> str:
        return self.station.kiosk.config.scanner.source.value

    @property
    def kiosk_id(self) -> str:
        """Which kiosk this is ([kiosk] id): staff read it off the out-of-order screen."""
        return self.station.kiosk.config.kiosk_id

    @property
    def home_language(self) -> str:
        """The language a new client's session starts in ([kiosk] language)."""
        return self.station.kiosk.config.language

    def check(self) -> str | None:
        return self.station.check(self.inbox)

    @property
    def max_pages(self) -> int:
        """Pages in one submission ([scanner] max_pages)."""
        return self.station.kiosk.config.scanner.max_pages

    @property
    def drop_blank(self) -> bool:
        """Pages flagged empty are taken out by themselves ([scanner] drop_blank)."""
        return self.station.kiosk.config.scanner.drop_blank

    def scan(
        self, on_page: Callable[[EncodedPage], None], max_pages: int | None = None
    ) -> list[EncodedPage]:
        """One batch of at most ``max_pages``; raises ScanStopped (with the pages so far)
        when it stops early."""
        options = self._batch_options.pop(0) if self._batch_options else {}
        request = self.station.scan_request(options=options)
        if max_pages is not None:  # the scanner draws in no sheet beyond it
            request = replace(request, max_pages=min(request.max_pages, max_pages))
        return self.station.scan(request, lambda _n, page: on_page(page))

    def stop(self) -> None:
        """Ask a running scan to stop; it ends with the pages scanned so far."""
        self.station.stop_scan()

    def submit(
        self, case: CaseNumber, concern: Concern, pages: Sequence[tuple[EncodedPage, int]]
    ) -> Receipt:
        """Spool (encrypted), then deliver once; raises StorageError / SpoolError when it
        cannot store."""
        route = self.station.route(case, concern, self.inbox)
        encoded = [rotated(page, rotation) for page, rotation in pages]
        return self.station.submit(case, concern, encoded, route).receipt

    def pseudonym(self, case: CaseNumber) -> str:
        return self.station.pseudonym(case)

    def read_code(self, text: str) -> CardOutcome:
        return self.station.read_code(text)

    @property
    def records(self) -> StationRecords:
        """Held documents, today's report, the receipt index (staff mode's record pages)."""
        return StationRecords(self.station)

    def check_pin(self, card_id: str, pin: str) -> PinVerdict:
        """A staff card's PIN (Argon2id: a fraction of a second)."""
        login = self.station.staff_login
        if login is None:
            return CardRefused("no-register")
        return login.check_pin(card_id, pin)

    def audit(
        self, event: str, card: str, role: str, change: Mapping[str, str | int | float] | None
    ) -> None:
        """One line of the staff audit log for a staff action (card id and role, never a
        name; never anything of a client's). A disk that cannot take it says so."""
        login = self.station.staff_login
        if login is None:
            return
        try:
            login.audit.append(event, time.time(), card, role, change)
        except OSError as err:
            emit(log, "staff.audit_unwritable", detail=str(err))

    # -- staff mode's pages: out of order, local settings, reboot ------------------------

    def staff_notice(self) -> StaffNotice | None:
        """The out-of-order notice staff put up (kept across restarts), or None."""
        return out_of_order.load(out_of_order.path_in(self.station.kiosk.state))

    def put_out_of_order(self, notice: str, card: str) -> StaffNotice:
        path = out_of_order.path_in(self.station.kiosk.state)
        return out_of_order.put(path, notice, utc_stamp(time.time()), card)

    def back_in_service(self) -> None:
        out_of_order.clear(out_of_order.path_in(self.station.kiosk.state))

    def local_settings(self) -> LocalState:
        """The local settings over the central configuration, applied to the station."""
        return self._apply(local_settings.state_of(self._central(), self._settings_path()))

    def change_setting(self, key: str, value: object) -> LocalState:
        """Raises SettingLocked (managed by IT) or ValueError; applied when written."""
        path = self._settings_path()
        return self._apply(local_settings.changed(self._central(), path, key, value))

    def reset_settings(self) -> LocalState:
        return self._apply(local_settings.reset(self._central(), self._settings_path()))

    def save_bundle(self) -> Path:
        """The support bundle on a USB stick where one is mounted, else the state dir;
        raises BundleFailed."""
        from kiosk.diag.report import report_dir

        kiosk = self.station.kiosk
        directory = report_dir(kiosk.state)
        return support_bundle.save(
            directory, kiosk.config.kiosk_id, kiosk.state, kiosk.config.source
        )

    def reboot(self) -> None:
        """Raises RebootFailed (no systemd, polkit said no) with why."""
        power.reboot(self.reboot_command)

    def _settings_path(self) -> Path:
        return local_settings.path_in(self.station.kiosk.state)

    def _central(self) -> KioskConfig:
        if self._central_config is None:
            self._central_config = self.station.kiosk.config
        return self._central_config

    def _apply(self, state: LocalState) -> LocalState:
        config = local_settings.applied(self._central(), state.effective)
        self.station.kiosk = replace(self.station.kiosk, config=config)
        return state

    def diagnostics(self) -> list[Check]:
        """The checks of `kiosk diag` but the camera's (the kiosk holds it open itself)."""
        from kiosk.diag import run_checks  # ssl, smtplib, ...: only when staff ask

        return run_checks(self.station, skip=("camera",))

    def test_scan(self) -> Check:
        """One sheet scanned into memory and judged (size, brightness, streaks)."""
        from kiosk.diag import run_checks

        return run_checks(self.station, only="scan-test", scan=True)[0]

    def save_report(
        self, checks: Sequence[Check], checked: datetime, scan: tuple[Check, datetime] | None
    ) -> Path:
        """The readiness report on a USB stick where one is mounted, else in the state dir."""
        from kiosk.diag.report import readiness_pdf, report_dir, save_report

        kiosk_id = self.kiosk_id
        pdf = readiness_pdf(checks, kiosk_id, version(), checked, scan)
        return save_report(pdf, report_dir(self.station.kiosk.state), kiosk_id, checked)

    @property
    def prints_receipts(self) -> bool:
        """A receipt printer is configured ([receipt] printer)."""
        return self.station.kiosk.receipt_printer is not None

    def print_receipt(self, printout: Printout) -> None:
        """Blocks until printed (or the printer's deadline); raises PrintFailed."""
        printer = self.station.kiosk.receipt_printer
        if printer is not None:
            printer.print_receipt(printout)

    def staff_status(self) -> StaffStatus:
        status = self.station.staff_status()
        printer = self.station.kiosk.receipt_printer
        if printer is None:
            return status
        return replace(status, printer=printer.name, printer_problem=printer.problem())
