"""What the touch UI asks of the kiosk's services: health, scan, stop, submit (Qt-free)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from drivers.scanner import ScanRequest
from kiosk.app import Kiosk
from kiosk.core.identity import CaseNumber, pseudonym
from kiosk.core.receipt import Receipt
from kiosk.services.imaging import EncodedPage
from kiosk.services.outbox import SpoolError
from kiosk.services.pageimage import rotated
from kiosk.services.routing import Route
from kiosk.services.scanjob import scan_encoded
from kiosk.services.submission import submit

log = logging.getLogger(__name__)
# Refuse to start when the spool cannot take a large document (as `kiosk submit` does).
MIN_FREE_BYTES = 200 * 1024 * 1024
PageOptions = dict[int, dict[str, str | int | float | bool]]


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
        """None when the kiosk can take documents; else "scanner" or "storage"."""
        if not self._storage_ok():
            return "storage"
        names = [d.name for d in self.kiosk.scanner.devices()]
        if self.device == "auto":
            if not names:
                return "scanner"
            self.device = names[0]
        elif self.device not in names:
            return "scanner"
        return None

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
