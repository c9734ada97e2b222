"""The one place that turns SANE's English status messages into typed faults.

python-sane raises a single exception type whose only content is the message of
``sane_strstatus()``; these strings are SANE's own (backend/sane_strstatus.c).
"""

from __future__ import annotations

from kiosk.core.faults import Fault

_FAULT_BY_MESSAGE: dict[str, Fault] = {
    "document feeder out of documents": Fault.NO_PAPER,
    "document feeder jammed": Fault.JAMMED,
    "scanner cover is open": Fault.COVER_OPEN,
    "device busy": Fault.BUSY,
    "error during device i/o": Fault.IO_ERROR,
    "operation was cancelled": Fault.CANCELLED,
    "operation was canceled": Fault.CANCELLED,
    "operation not supported": Fault.UNSUPPORTED,
    "invalid argument": Fault.FAILED,
    "out of memory": Fault.FAILED,
    # Some libsane builds (seen: Debian 12, sane-backends 1.2.1) print the no-docs text
    # for ACCESS_DENIED too; either way the client cannot go on.
    "access to resource has been denied": Fault.FAILED,
    "end of file reached": Fault.TRUNCATED,
}


def fault_from_message(message: str) -> Fault:
    """Map a python-sane error message to a Fault; unknown messages are FAILED."""
    return _FAULT_BY_MESSAGE.get(message.strip().rstrip(".").lower(), Fault.FAILED)
