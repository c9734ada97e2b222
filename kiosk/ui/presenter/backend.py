"""What the touch UI asks of the kiosk (health, scan, stop, submit), on top of the station."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.core.concerns import Concern
from kiosk.core.identity import CaseNumber
from kiosk.core.receipt import Receipt
from kiosk.core.staff import CardRefused, PinVerdict
from kiosk.services.codes import CardOutcome
from kiosk.services.pages.imaging import EncodedPage
from kiosk.services.pages.pageimage import rotated
from kiosk.services.printout import Printout
from kiosk.services.status import StaffStatus
from kiosk.station import PageOptions, Station, version

if TYPE_CHECKING:
    from kiosk.diag import Check


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

    def scan(self, on_page: Callable[[EncodedPage], None]) -> list[EncodedPage]:
        """One batch; raises ScanStopped (with the pages so far) when it stops early."""
        options = self._batch_options.pop(0) if self._batch_options else {}
        request = self.station.scan_request(options=options)
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

    def check_pin(self, card_id: str, pin: str) -> PinVerdict:
        """A staff card's PIN (Argon2id: a fraction of a second)."""
        login = self.station.staff_login
        if login is None:
            return CardRefused("no-register")
        return login.check_pin(card_id, pin)

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
