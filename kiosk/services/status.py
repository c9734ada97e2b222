"""The kiosk's state as staff mode shows it (a plain record: no client data in it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StaffStatus:
    """The kiosk's state for office staff and field support (no client data in it)."""

    kiosk_id: str
    version: str
    scanner: str  # the device in use, or "none found"
    scanner_ok: bool
    storage_ok: bool
    free_mb: int
    pending: int  # documents waiting in the outbox
    held: int  # refused by an inbox: staff must look
    quarantined: int  # unreadable or tampered: field support must look
    oldest_pending: str | None = None  # local time of the oldest waiting document
    last_error: str | None = None  # the outbox's newest delivery error
    printer: str | None = None  # the receipt printer's CUPS queue; None: no printer
    printer_problem: str | None = None  # what stops it now, else its last failure
