"""Carries out the core's commands that need the scanner or storage, on worker threads."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from drivers.scanner.protocol import ScannerError
from kiosk.core import events as ev
from kiosk.core.concerns import Concern
from kiosk.core.faults import Fault
from kiosk.core.identity import CaseNumber
from kiosk.core.receipt import Receipt
from kiosk.core.staff import PinVerdict
from kiosk.services.codes import CardOutcome
from kiosk.services.local_settings import LocalState
from kiosk.services.out_of_order import StaffNotice
from kiosk.services.pages.imaging import EncodedPage
from kiosk.services.pages.scanjob import ScanStopped
from kiosk.services.printout import Printout
from kiosk.services.spool.outbox import SpoolError
from kiosk.services.status import StaffStatus
from kiosk.station import StorageError
from kiosk.ui.presenter.background import Background
from kiosk.ui.presenter.pagestore import PageStore, StoredPage, prepare

if TYPE_CHECKING:  # kiosk.diag (ssl, smtplib, ...) loads only when staff open diagnostics
    from kiosk.diag import Check
    from kiosk.ui.presenter.staff_records import RecordsBackend

log = logging.getLogger(__name__)


class Backend(Protocol):
    @property
    def source(self) -> str: ...

    @property
    def home_language(self) -> str: ...

    @property
    def kiosk_id(self) -> str: ...

    def check(self) -> str | None: ...

    @property
    def max_pages(self) -> int: ...

    @property
    def drop_blank(self) -> bool: ...

    def scan(
        self, on_page: Callable[[EncodedPage], None], max_pages: int | None = None
    ) -> list[EncodedPage]: ...

    def stop(self) -> None: ...

    def submit(
        self, case: CaseNumber, concern: Concern, pages: list[tuple[EncodedPage, int]]
    ) -> Receipt: ...

    def pseudonym(self, case: CaseNumber) -> str: ...

    def read_code(self, text: str) -> CardOutcome: ...

    def staff_status(self) -> StaffStatus: ...

    @property
    def prints_receipts(self) -> bool: ...

    def print_receipt(self, printout: Printout) -> None: ...

    def check_pin(self, card_id: str, pin: str) -> PinVerdict: ...

    @property
    def records(self) -> RecordsBackend: ...

    def audit(
        self, event: str, card: str, role: str, change: Mapping[str, str | int | float] | None
    ) -> None: ...

    def staff_notice(self) -> StaffNotice | None: ...

    def put_out_of_order(self, notice: str, card: str) -> StaffNotice: ...

    def back_in_service(self) -> None: ...

    def local_settings(self) -> LocalState: ...

    def change_setting(self, key: str, value: object) -> LocalState: ...

    def reset_settings(self) -> LocalState: ...

    def reboot(self) -> None: ...

    def save_bundle(self) -> Path: ...

    def diagnostics(self) -> list[Check]: ...

    def test_scan(self) -> Check: ...

    def save_report(
        self, checks: Sequence[Check], checked: datetime, scan: tuple[Check, datetime] | None
    ) -> Path: ...


class CommandRunner:
    """StartScan, CancelScan, Submit and DiscardPages; results come back as events.

    Each batch has a generation number: pages and endings of a batch that was
    cancelled or wiped are dropped, never shown to the next client.
    """

    def __init__(
        self,
        backend: Backend,
        background: Background,
        store: PageStore,
        dispatch: Callable[[ev.Event], None],
        clock: Callable[[], float],
    ) -> None:
        self.backend = backend
        self.background = background
        self.store = store
        self.dispatch = dispatch
        self.clock = clock
        self.generation = 0

    def run(self, command: ev.Command) -> None:
        if isinstance(command, ev.StartScan):
            self.start_scan(command.max_pages)
        elif isinstance(command, ev.CancelScan):
            self.stop_scan()
            self.generation += 1  # whatever that batch still sends is dropped
        elif isinstance(command, ev.Submit):
            self.submit(command)
        elif isinstance(command, ev.DiscardPages):
            self.store.discard(command.page_ids)

    def forget(self) -> None:
        """Part of a wipe: results still on their way belong to nobody."""
        self.generation += 1
        self.store.clear()

    def stop_scan(self) -> None:
        self.background.run(self.backend.stop, lambda _: None, lambda _: None)

    def start_scan(self, max_pages: int | None = None) -> None:
        self.generation += 1
        batch = self.generation

        def on_page(page: EncodedPage) -> None:  # on the encoding thread
            self.background.post(lambda stored: self._page(batch, stored), prepare(page))

        self.background.run(
            lambda: self.backend.scan(on_page, max_pages),
            lambda _pages: self._scan_ended(batch, None),
            lambda err: self._scan_ended(batch, err),
        )

    def _page(self, batch: int, stored: StoredPage) -> None:
        if batch != self.generation:
            return
        page_id = self.store.add(stored)
        self.dispatch(ev.PageScanned(at=self.clock(), page=ev.PageRef(page_id)))

    def _scan_ended(self, batch: int, err: BaseException | None) -> None:
        if batch != self.generation:
            return
        at = self.clock()
        if err is None:
            self.dispatch(ev.ScanFinished(at=at))
        elif isinstance(err, (ScanStopped, ScannerError)):
            log.info("scan stopped: %s", err.fault.value)
            self.dispatch(ev.ScanFailed(at=at, fault=err.fault))
        else:
            log.error("scan failed unexpectedly: %s", type(err).__name__)
            self.dispatch(ev.ScanFailed(at=at, fault=Fault.FAILED))

    def submit(self, command: ev.Submit) -> None:
        pages = []
        for ref in command.pages:
            stored = self.store.get(ref.page_id)
            if stored is None:
                raise LookupError("a page of the document is missing from the page store")
            pages.append((stored.encoded, ref.rotation))
        tag = self.backend.pseudonym(command.case)
        self.background.run(
            lambda: self.backend.submit(command.case, command.concern, pages),
            lambda receipt: self.dispatch(ev.Submitted(at=self.clock(), receipt=receipt)),
            lambda err: self._submit_failed(err, tag),
        )

    def _submit_failed(self, err: BaseException, tag: str) -> None:
        # Exception texts can quote what they were given: log the type, and the pseudonym.
        log.error("submission for %s failed: %s", tag, type(err).__name__)
        error = "storage" if isinstance(err, (SpoolError, StorageError)) else "unexpected"
        self.dispatch(ev.SubmitFailed(at=self.clock(), error=error))

    def check(self, done: Callable[[str | None], None]) -> None:
        def failed(err: BaseException) -> None:
            log.error("health check failed: %s", type(err).__name__)
            done("scanner")

        self.background.run(self.backend.check, done, failed)
