"""Exit codes of every ``kiosk`` command, in one place (documented in README.md)."""

from __future__ import annotations

from kiosk.core.receipt import ReceiptStatus
from kiosk.station import HeldBatchError, SetupError, StationError, StorageError

# Scripts, service managers and field support rely on these numbers: never renumber.
EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INVALID_INPUT = 3  # not a case number, an unknown held batch
EXIT_CONFIG = 4  # configuration, key file, an inbox that can never work
EXIT_STORAGE = 5  # the kiosk's storage is full or unwritable: nothing scanned
EXIT_QUEUED = 20  # stored safely on the kiosk, not yet delivered (delivered automatically)
EXIT_HELD = 21  # stored safely on the kiosk, held for staff (the inbox cannot take it)
EXIT_FOR_FAULT = {  # drivers.scanner.protocol.Fault values
    "no_paper": 10,
    "jammed": 11,
    "cover_open": 12,
    "busy": 13,
    "io_error": 14,
    "not_found": 15,
    "hung": 16,
    "unsupported": 17,
    "truncated": 18,
    "cancelled": 19,
    "failed": EXIT_FAILED,
}
EXIT_FOR_RECEIPT = {
    ReceiptStatus.DELIVERED: EXIT_OK,
    ReceiptStatus.QUEUED: EXIT_QUEUED,
    ReceiptStatus.HELD: EXIT_HELD,
}


def for_fault(fault: str) -> int:
    return EXIT_FOR_FAULT.get(fault, EXIT_FAILED)


def for_error(err: StationError) -> int:
    if isinstance(err, StorageError):
        return EXIT_STORAGE
    if isinstance(err, HeldBatchError):
        return EXIT_INVALID_INPUT
    return EXIT_CONFIG if isinstance(err, SetupError) else EXIT_FAILED
