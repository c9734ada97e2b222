"""Exit codes of every ``kiosk`` command, in one place (documented in README.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.core.faults import Fault
from kiosk.core.receipt import ReceiptStatus

if TYPE_CHECKING:  # the station (and its configuration) loads only where a command needs it
    from kiosk.station import StationError

# Scripts, service managers and field support rely on these numbers: never renumber.
EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INVALID_INPUT = 3  # not a case number, an unknown held batch
EXIT_CONFIG = 4  # configuration, key file, an inbox that can never work
EXIT_STORAGE = 5  # the kiosk's storage is full or unwritable: nothing scanned
EXIT_AUDIT_BROKEN = 6  # `kiosk staff audit --verify`: a line edited, deleted or cut off
EXIT_QUEUED = 20  # stored safely on the kiosk, not yet delivered (kiosk deliver keeps trying)
EXIT_HELD = 21  # stored safely on the kiosk, held for staff (the inbox cannot take it)
# `kiosk diag` alone, as monitoring plugins count: 0 all pass, 1 a warning, 2 a failure.
EXIT_DIAG_WARNED = 1
EXIT_DIAG_FAILED = 2
# Keyed by kiosk.diag.Status's values (a StrEnum: Status.WARN == "warn"), not the enum
# itself: importing kiosk.diag here would load every check's module (ssl, smtplib, ...) into
# the touch UI's start, which needs only the exit codes.
EXIT_FOR_DIAG = {"pass": EXIT_OK, "warn": EXIT_DIAG_WARNED, "fail": EXIT_DIAG_FAILED}
EXIT_FOR_FAULT: dict[Fault, int] = {
    Fault.NO_PAPER: 10,
    Fault.JAMMED: 11,
    Fault.COVER_OPEN: 12,
    Fault.BUSY: 13,
    Fault.IO_ERROR: 14,
    Fault.NOT_FOUND: 15,
    Fault.HUNG: 16,
    Fault.UNSUPPORTED: 17,
    Fault.TRUNCATED: 18,
    Fault.CANCELLED: 19,
    Fault.FAILED: EXIT_FAILED,
}
EXIT_FOR_RECEIPT = {
    ReceiptStatus.DELIVERED: EXIT_OK,
    ReceiptStatus.QUEUED: EXIT_QUEUED,
    ReceiptStatus.HELD: EXIT_HELD,
}


def for_fault(fault: Fault) -> int:
    return EXIT_FOR_FAULT.get(fault, EXIT_FAILED)


def for_error(err: StationError) -> int:
    from kiosk.station import HeldBatchError, SetupError, StorageError

    if isinstance(err, StorageError):
        return EXIT_STORAGE
    if isinstance(err, HeldBatchError):
        return EXIT_INVALID_INPUT
    return EXIT_CONFIG if isinstance(err, SetupError) else EXIT_FAILED
