"""What the client is told when scanning or sending goes wrong (untranslated sources)."""

from __future__ import annotations

from kiosk.core.text import N_

# Keys are drivers.scanner.protocol.Fault values (the core does not import the drivers).
SCAN_PROBLEMS: dict[str, str] = {
    "no_paper": N_(
        "There is no paper in the feeder. Put your pages in face down, top edge "
        "first, then try again."
    ),
    "jammed": N_(
        "The paper is stuck. Open the scanner lid, gently pull out the paper, close "
        "the lid and try again."
    ),
    "cover_open": N_("The scanner lid is open. Close it and try again."),
    "busy": N_("The scanner is busy. Wait a moment and try again."),
    "io_error": N_(
        "The scanner is not responding. Try again; if it happens again, please ask the staff."
    ),
    "not_found": N_("The scanner cannot be found. Please ask the staff for help."),
    "hung": N_(
        "The scanner stopped responding. Try again; if it happens again, please ask the staff."
    ),
    "unsupported": N_("This scanner cannot scan this way. Please ask the staff for help."),
    "truncated": N_("A page did not scan completely. Please scan it again."),
    "cancelled": N_("Scanning was stopped."),
    "failed": N_("Scanning did not work. Try again; if it happens again, please ask the staff."),
}

GENERIC_PROBLEM = SCAN_PROBLEMS["failed"]
PAGES_KEPT = N_("Your pages so far are kept.")
OTHER_PAGES_KEPT = N_("Your other pages are kept.")


def scan_problem(fault: str) -> str:
    return SCAN_PROBLEMS.get(fault, GENERIC_PROBLEM)


def kept_note(fault: str, pages_kept: int) -> str | None:
    """After any fault the pages scanned before stay; say so, but never when there are none."""
    if pages_kept <= 0:
        return None
    return OTHER_PAGES_KEPT if fault == "truncated" else PAGES_KEPT
