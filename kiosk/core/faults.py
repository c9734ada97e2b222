"""Why a scan stopped, as the scanner drivers report it and the session, screens and exit
codes speak of it (never SANE's strings)."""

from __future__ import annotations

from enum import StrEnum


class Fault(StrEnum):
    """Why a scan stopped; the session and the UI speak in these, not in SANE strings."""

    NO_PAPER = "no_paper"
    JAMMED = "jammed"
    COVER_OPEN = "cover_open"
    BUSY = "busy"
    IO_ERROR = "io_error"
    NOT_FOUND = "not_found"  # no such device, or it went away (unplugged)
    HUNG = "hung"  # the watchdog gave up on a backend that stopped answering
    UNSUPPORTED = "unsupported"  # source, mode or size the device does not offer
    TRUNCATED = "truncated"  # a page came back shorter than announced
    CANCELLED = "cancelled"
    FAILED = "failed"  # anything else the backend reported
