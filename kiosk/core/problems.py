"""What the client is told when scanning or sending goes wrong (untranslated sources)."""

from __future__ import annotations

from kiosk.core.text import N_

# Keys are drivers.scanner.Fault values (the core does not import the drivers).
SCAN_PROBLEMS: dict[str, str] = {
    "no_paper": N_(
        "There is no paper in the feeder. Put your pages in face down, top edge "
        "first, then try again."
    ),
    "jammed": N_(
        "The paper is stuck. Open the scanner lid, gently pull out the paper, close "
        "the lid and try again. Your pages so far are kept."
    ),
    "cover_open": N_(
        "The scanner lid is open. Close it and try again. Your pages so far are kept."
    ),
    "busy": N_("The scanner is busy. Wait a moment and try again."),
    "io_error": N_(
        "The scanner is not responding. Try again; if it happens again, please ask "
        "the staff. Your pages so far are kept."
    ),
    "not_found": N_("The scanner cannot be found. Please ask the staff for help."),
    "hung": N_(
        "The scanner stopped responding. Try again; if it happens again, please ask "
        "the staff. Your pages so far are kept."
    ),
    "unsupported": N_("This scanner cannot scan this way. Please ask the staff for help."),
    "truncated": N_(
        "A page did not scan completely. Please scan it again. Your other pages are kept."
    ),
    "cancelled": N_("Scanning was stopped. Your pages so far are kept."),
    "failed": N_("Scanning did not work. Try again; if it happens again, please ask the staff."),
}

GENERIC_PROBLEM = SCAN_PROBLEMS["failed"]


def scan_problem(fault: str) -> str:
    return SCAN_PROBLEMS.get(fault, GENERIC_PROBLEM)
