"""The use cases both front ends call: open the kiosk, check it, scan, route, submit, resume.

Qt-free. The CLI parses and prints around these; the touch UI's presenter drives a session
and calls them on worker threads. Failures are exceptions a front end maps to its own
words (exit codes: ``kiosk.exits``; the UI: an out-of-order or error screen).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.app import Kiosk, build
from kiosk.configuration import Configured as Configured  # re-exported
from kiosk.configuration import read_configuration

# The use cases' own modules load with the station (``open_station``), not with this
# module: ``kiosk run`` reads its configuration here before the start screen's first paint.
if TYPE_CHECKING:
    from drivers.scanner.protocol import ScanRequest, Source
    from kiosk.core.concerns import Concern
    from kiosk.core.identity import CaseNumber
    from kiosk.services.codes import CardOutcome
    from kiosk.services.pages.imaging import EncodedPage
    from kiosk.services.routing.table import Route
    from kiosk.services.staff.login import StaffLogin
    from kiosk.services.status import StaffStatus
    from kiosk.services.submission import Outcome
USE_CASES = (
    "drivers.scanner.protocol",
    "kiosk.core.identity",
    "kiosk.core.log_events",
    "kiosk.services.channels.address",
    "kiosk.services.codes",
    "kiosk.services.metrics_store",
    "kiosk.services.pages.scanjob",
    "kiosk.services.routing.table",
    "kiosk.services.spool.keys",
    "kiosk.services.spool.outbox",
    "kiosk.services.status",
    "kiosk.services.submission",
)

log = logging.getLogger(__name__)
# Refuse to start a scan unless the spool can take a large document (colour, many pages).
MIN_FREE_BYTES = 200 * 1024 * 1024
PageOptions = dict[int, dict[str, str | int | float | bool]]


class StationError(Exception):
    """The kiosk cannot do what was asked; the message is for staff, never for a client."""


class SetupError(StationError):
    """A key file, the routing table or an inbox can never work: staff must fix the set-up."""


class StorageError(StationError):
    """The kiosk's storage is full or not writable: no new document can be taken."""


class HeldBatchError(StationError):
    """No such held batch, or it belongs to another case or concern."""


def open_station(given: Path | None, configured: Configured | None = None) -> Station:
    """The kiosk on its configuration (``read_configuration``, unless already read).

    Raises InvalidFile (a broken configuration), SetupError or StorageError. A routing
    table that can never deliver is not raised: it is ``Kiosk.delivery_problem``, which
    ``check`` reports (the spool is still delivered)."""
    from kiosk.services.spool.keys import KeyFileError

    configured = configured or read_configuration(given)
    for module in USE_CASES:  # now, not on a worker thread at a client's first scan
        import_module(module)
    config, origin = configured.config, configured.origin
    try:
        return Station(build(config, embedded=configured.embedded), origin)
    except KeyFileError as err:
        raise SetupError(f"security key problem: {err}") from err
    except OSError as err:  # the state dir or a key file cannot be written (disk full...)
        raise StorageError(
            f"The kiosk cannot write its working files ({err.strerror}): no new documents "
            "can be taken. Please ask the staff."
        ) from err


@dataclass
class Station:
    kiosk: Kiosk
    origin: str = "embedded defaults"  # where the configuration came from, in words
    device: str = field(init=False)  # the scanner in use; "auto" until one is found

    def __post_init__(self) -> None:
        self.device = self.kiosk.config.scanner.device

    # -- health -------------------------------------------------------------------------

    def check(self, inbox: str | None = None) -> str | None:
        """None when the kiosk can take documents; else "delivery", "storage" or "scanner".

        The touch UI's health check: what it finds of the scanner is recorded (with this
        process's identity) for ``kiosk metrics``, whatever else is wrong."""
        from kiosk.services.metrics_store import record_health

        scanner_ok = self.scanner_ok()
        if self.kiosk.counters is not None:
            record_health(self.kiosk.counters.directory, scanner_ok)
        if inbox is None and self.kiosk.delivery_problem is not None:
            return "delivery"  # a document taken now could never reach its team
        if not self.storage_ok():
            return "storage"
        return None if scanner_ok else "scanner"

    def storage_ok(self) -> bool:
        """The spool is writable and can take a large document."""
        from kiosk.core.log_events import emit

        directory = self.kiosk.outbox.directory
        try:
            probe = directory / ".write-probe"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as err:
            emit(log, "storage.unwritable", path=str(directory), detail=err.strerror)
            return False
        return self.kiosk.outbox.free_bytes() >= MIN_FREE_BYTES

    def require_storage(self) -> None:
        if not self.storage_ok():
            raise StorageError(
                "The kiosk's storage is full: no new documents can be taken. Please ask the staff."
            )

    def scanner_ok(self) -> bool:
        """The configured scanner is there ("auto" settles on the first one found)."""
        names = [d.name for d in self.kiosk.scanner.devices()]
        if self.device == "auto":
            if not names:
                return False
            self.device = names[0]
        return self.device in names

    # -- a submission -------------------------------------------------------------------

    def route(self, case: CaseNumber, concern: Concern, inbox: str | None = None) -> Route:
        """Where the document goes, decided before anything is scanned."""
        from kiosk.services.channels.address import inbox_problem
        from kiosk.services.routing.table import Route

        if inbox is not None:
            why = inbox_problem(inbox, self.kiosk.config.inbox_policy)
            if why:  # not the URL itself: it may hold credentials
                raise SetupError(f"--inbox: {why}")
            return Route(inbox, "explicit")
        if self.kiosk.routing is None or self.kiosk.delivery_problem is not None:
            raise SetupError(f"no document can be routed: {self.kiosk.delivery_problem}")
        return self.kiosk.routing.route(case, concern)

    def scan_request(
        self,
        device: str | None = None,
        source: Source | None = None,
        options: PageOptions | None = None,
    ) -> ScanRequest:
        from drivers.scanner.protocol import ScanRequest

        config = self.kiosk.config.scanner
        return ScanRequest(
            device or self.device,
            source or config.source,
            config.mode,
            config.resolution,
            page_options=options or {},
        )

    def scan(
        self, request: ScanRequest, on_page: Callable[[int, EncodedPage], None] | None = None
    ) -> list[EncodedPage]:
        """One batch; raises ScanStopped (with the pages so far) when it stops early."""
        from kiosk.services.pages.scanjob import scan_encoded

        return scan_encoded(self.kiosk.scanner, request, on_page)

    def stop_scan(self) -> None:
        self.kiosk.scanner.cancel()

    def submit(
        self, case: CaseNumber, concern: Concern, pages: Sequence[EncodedPage], route: Route
    ) -> Outcome:
        """Spool (encrypted), then deliver once; raises StorageError when it cannot store
        (SpoolError from the spool itself)."""
        from kiosk.services.spool.outbox import SpoolError
        from kiosk.services.submission import submit

        counters = self.kiosk.counters
        try:
            self.require_storage()
            outcome = submit(
                self.kiosk.outbox,
                case,
                concern,
                pages,
                kiosk_id=self.kiosk.config.kiosk_id,
                route=route,
                scanned_at=datetime.now().astimezone(),
                pseudonym_key=self.kiosk.pseudonym_key,
            )
        except (StorageError, SpoolError):
            if counters is not None:
                counters.session("failed", 0)
            raise
        if counters is not None:  # by the receipt's word: delivered, queued or held
            counters.session(outcome.receipt.status.value, len(pages))
        return outcome

    def resume(self, batch: str, case: CaseNumber, concern: Concern) -> list[EncodedPage]:
        """The pages of a held batch, for the same case and concern only."""
        try:
            held_case, held_concern, pages = self.kiosk.held.take(batch)
        except KeyError:
            raise HeldBatchError(f"no held batch {batch!r} on this kiosk") from None
        if held_case != case or held_concern != concern.key:
            raise HeldBatchError("that batch belongs to another case number or concern")
        return pages

    def hold(
        self, case: CaseNumber, concern: Concern, pages: Sequence[EncodedPage], batch: str | None
    ) -> str:
        """Keep pages encrypted after a stop; returns the batch id to resume with."""
        return self.kiosk.held.hold(case, concern.key, pages, batch)

    def discard(self, batch: str) -> None:
        self.kiosk.held.discard(batch)

    # -- cards, logs, staff -------------------------------------------------------------

    def read_code(self, text: str) -> CardOutcome:
        """A code from the camera or a USB reader; may look a token up over the network."""
        from kiosk.services.codes import interpret

        staff = self.kiosk.staff.card_read if self.kiosk.staff is not None else None
        return interpret(text, self.kiosk.card_rules, date.today(), self.kiosk.tokens, staff)

    @property
    def staff_login(self) -> StaffLogin | None:
        """A staff card's PIN (``check_pin``: Argon2id, 0.1 s: off the GUI thread); which
        card it is comes with ``read_code``'s ``CardOutcome.staff_card``."""
        return self.kiosk.staff

    def pseudonym(self, case: CaseNumber) -> str:
        from kiosk.core.identity import pseudonym

        return pseudonym(case, self.kiosk.pseudonym_key)

    def staff_status(self) -> StaffStatus:
        from kiosk.services.spool.outbox import HELD, PENDING, QUARANTINED
        from kiosk.services.status import StaffStatus

        items = list(self.kiosk.outbox.items())
        waiting = sorted((s for s in items if s.state == PENDING), key=lambda s: s.created)
        errors = sorted((s for s in items if s.last_error), key=lambda s: s.created)
        oldest = waiting[0].created if waiting else None
        since = time.strftime("%Y-%m-%d %H:%M", time.localtime(oldest)) if oldest else None
        scanner_ok = self.scanner_ok()  # first: it settles "auto" to the device found
        return StaffStatus(
            kiosk_id=self.kiosk.config.kiosk_id,
            version=version(),
            scanner=self.device if self.device != "auto" else "none found",
            scanner_ok=scanner_ok,
            storage_ok=self.storage_ok(),
            free_mb=self.kiosk.outbox.free_bytes() // (1024 * 1024),
            pending=len(waiting),
            held=sum(s.state == HELD for s in items),
            quarantined=sum(s.state == QUARANTINED for s in items),
            oldest_pending=since,
            # A routing table that cannot work outweighs any single item's error.
            last_error=self.kiosk.delivery_problem or (errors[-1].last_error if errors else None),
        )


def version() -> str:
    from importlib import metadata  # 13 ms at import: only staff mode and diagnostics ask

    try:
        return metadata.version("jobcenter-scan-kiosk")
    except metadata.PackageNotFoundError:
        return "unknown"
