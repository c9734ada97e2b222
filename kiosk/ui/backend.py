"""What the touch UI asks of the kiosk's services: health, scan, stop, submit (Qt-free)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from datetime import date, datetime
from importlib import metadata

from drivers.scanner import ScanRequest
from kiosk.app import Kiosk
from kiosk.core.identity import CaseNumber, pseudonym
from kiosk.core.receipt import Receipt
from kiosk.services.cardinput import CardOutcome, interpret
from kiosk.services.imaging import EncodedPage
from kiosk.services.outbox import HELD, PENDING, QUARANTINED, SpoolError
from kiosk.services.pageimage import rotated
from kiosk.services.routing import Route
from kiosk.services.scanjob import scan_encoded
from kiosk.services.status import StaffStatus
from kiosk.services.submission import submit

log = logging.getLogger(__name__)
# Refuse to start when the spool cannot take a large document (as `kiosk submit` does).
MIN_FREE_BYTES = 200 * 1024 * 1024
PageOptions = dict[int, dict[str, str | int | float | bool]]


def _version() -> str:
    try:
        return metadata.version("jobcenter-scan-kiosk")
    except metadata.PackageNotFoundError:
        return "unknown"


class KioskBackend:
    """Runs on worker threads only; every call may block on hardware, disk or network."""

    def __init__(
        self,
        kiosk: Kiosk,
        *,
        inbox: str | None = None,
        batch_options: Sequence[PageOptions] = (),
    ) -> None:
        self.kiosk = kiosk
        self.inbox = inbox  # deliver here instead of routing (tests, a single-team kiosk)
        # Backend options per batch, in order (tests inject jams: {3: {"read-return-value":
        # "SANE_STATUS_JAMMED"}}); batches after the last use none.
        self._batch_options = list(batch_options)
        self.device = kiosk.config.scanner.device

    @property
    def source(self) -> str:
        return self.kiosk.config.scanner.source.value

    @property
    def home_language(self) -> str:
        """The language a new client's session starts in ([kiosk] language)."""
        return self.kiosk.config.language

    def check(self) -> str | None:
        """None when the kiosk can take documents; else "delivery", "storage" or "scanner"."""
        if self.inbox is None and self.kiosk.delivery_problem is not None:
            return "delivery"  # a document taken now could never reach its team
        if not self._storage_ok():
            return "storage"
        return None if self._scanner_ok() else "scanner"

    def _scanner_ok(self) -> bool:
        names = [d.name for d in self.kiosk.scanner.devices()]
        if self.device == "auto":
            if not names:
                return False
            self.device = names[0]
        return self.device in names

    def _storage_ok(self) -> bool:
        directory = self.kiosk.outbox.directory
        try:
            probe = directory / ".write-probe"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as err:
            log.error("spool %s not writable: %s", directory, err.strerror)
            return False
        return self.kiosk.outbox.free_bytes() >= MIN_FREE_BYTES

    def scan(self, on_page: Callable[[EncodedPage], None]) -> list[EncodedPage]:
        """One batch; raises ScanStopped (with the pages so far) when it stops early."""
        config = self.kiosk.config.scanner
        options = self._batch_options.pop(0) if self._batch_options else {}
        request = ScanRequest(
            self.device, config.source, config.mode, config.resolution, page_options=options
        )
        return scan_encoded(self.kiosk.scanner, request, lambda _n, page: on_page(page))

    def stop(self) -> None:
        """Ask a running scan to stop; it ends with the pages scanned so far."""
        self.kiosk.scanner.cancel()

    def submit(
        self, case: CaseNumber, concern: str, pages: Sequence[tuple[EncodedPage, int]]
    ) -> Receipt:
        """Spool (encrypted), then deliver once; raises SpoolError when it cannot store."""
        if not self._storage_ok():
            raise SpoolError("the kiosk's storage is full or not writable")
        encoded = [rotated(page, rotation) for page, rotation in pages]
        outcome = submit(
            self.kiosk.outbox,
            case,
            concern,
            encoded,
            kiosk_id=self.kiosk.config.kiosk_id,
            route=self._route(case, concern),
            scanned_at=datetime.now().astimezone(),
            pseudonym_key=self.kiosk.pseudonym_key,
        )
        return outcome.receipt

    def _route(self, case: CaseNumber, concern: str) -> Route:
        if self.inbox is not None:
            return Route(self.inbox, "explicit")
        if self.kiosk.routing is None:
            raise RuntimeError("no routing table configured and no inbox given")
        return self.kiosk.routing.route(case, concern)

    def pseudonym(self, case: CaseNumber) -> str:
        return pseudonym(case, self.kiosk.pseudonym_key)

    def read_code(self, text: str) -> CardOutcome:
        """A code from the camera or a USB reader; may look a token up over the network."""
        return interpret(text, self.kiosk.card_rules, date.today(), self.kiosk.tokens)

    def staff_status(self) -> StaffStatus:
        items = list(self.kiosk.outbox.items())
        waiting = sorted((s for s in items if s.state == PENDING), key=lambda s: s.created)
        errors = sorted((s for s in items if s.last_error), key=lambda s: s.created)
        oldest = waiting[0].created if waiting else None
        since = time.strftime("%Y-%m-%d %H:%M", time.localtime(oldest)) if oldest else None
        scanner_ok = self._scanner_ok()  # first: it settles "auto" to the device found
        return StaffStatus(
            kiosk_id=self.kiosk.config.kiosk_id,
            version=_version(),
            scanner=self.device if self.device != "auto" else "none found",
            scanner_ok=scanner_ok,
            storage_ok=self._storage_ok(),
            free_mb=self.kiosk.outbox.free_bytes() // (1024 * 1024),
            pending=len(waiting),
            held=sum(s.state == HELD for s in items),
            quarantined=sum(s.state == QUARANTINED for s in items),
            oldest_pending=since,
            # A routing table that cannot work outweighs any single item's error.
            last_error=self.kiosk.delivery_problem or (errors[-1].last_error if errors else None),
        )
