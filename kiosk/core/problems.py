"""What the client is told when scanning or sending goes wrong (untranslated sources)."""

from __future__ import annotations

from kiosk.core.faults import Fault
from kiosk.core.text import N_

SCAN_PROBLEMS: dict[Fault, str] = {
    Fault.NO_PAPER: N_(
        "There is no paper in the feeder. Put your pages in face down, top edge "
        "first, then try again."
    ),
    Fault.JAMMED: N_(
        "The paper is stuck. Open the scanner lid, gently pull out the paper, close "
        "the lid and try again."
    ),
    Fault.COVER_OPEN: N_("The scanner lid is open. Close it and try again."),
    Fault.BUSY: N_("The scanner is busy. Wait a moment and try again."),
    Fault.IO_ERROR: N_(
        "The scanner is not responding. Try again; if it happens again, please ask the staff."
    ),
    Fault.NOT_FOUND: N_("The scanner cannot be found. Please ask the staff for help."),
    Fault.HUNG: N_(
        "The scanner stopped responding. Try again; if it happens again, please ask the staff."
    ),
    Fault.UNSUPPORTED: N_("This scanner cannot scan this way. Please ask the staff for help."),
    Fault.TRUNCATED: N_("A page did not scan completely. Please scan it again."),
    Fault.CANCELLED: N_("Scanning was stopped."),
    Fault.FAILED: N_(
        "Scanning did not work. Try again; if it happens again, please ask the staff."
    ),
}

GENERIC_PROBLEM = SCAN_PROBLEMS[Fault.FAILED]
PAGES_KEPT = N_("Your pages so far are kept.")
OTHER_PAGES_KEPT = N_("Your other pages are kept.")


def scan_problem(fault: Fault) -> str:
    return SCAN_PROBLEMS.get(fault, GENERIC_PROBLEM)


def kept_note(fault: Fault, pages_kept: int) -> str | None:
    """After any fault the pages scanned before stay; say so, but never when there are none."""
    if pages_kept <= 0:
        return None
    return OTHER_PAGES_KEPT if fault is Fault.TRUNCATED else PAGES_KEPT
