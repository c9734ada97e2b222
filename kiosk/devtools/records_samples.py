"""Made-up data for the screenshots of staff mode's record pages (held, report, lookup)."""

from __future__ import annotations

from datetime import datetime, timedelta

from kiosk.ui.presenter.staff_records import Found, HeldRow, Records, TeamRow

RECORD_SCREENS = {"staff-held": "held", "staff-report": "report", "staff-lookup": "lookup"}
_HANDED_IN = datetime(2025, 3, 14, 9, 58).astimezone()


def sample_records(name: str) -> Records | None:
    page = RECORD_SCREENS.get(name)
    if page == "held":
        rows = (
            HeldRow(
                "3f9a2c41d0e14b7a9c55e1f2a3b4c5d6", "leistung-1", False, (3, "h"), "refused", 4
            ),
            HeldRow(
                "8b1e7c0a52f34d6e8a9b0c1d2e3f4a5b", "widerspruch", False, (2, "d"), "address", 1
            ),
        )
        return Records("held", loading=False, held=rows, sent="waiting")
    if page == "report":
        teams = (
            TeamRow("eingangszone", 3, 11, 3, 0, 0),
            TeamRow("leistung-1", 14, 96, 12, 1, 1),
            TeamRow("vermittlung-1", 6, 9, 6, 0, 0),
        )
        total = TeamRow("all", 23, 116, 21, 1, 1)
        return Records(
            "report",
            loading=False,
            report_day="14.03.2025",
            teams=teams,
            total=total,
            outbox_waiting=2,
            outbox_held=1,
        )
    if page == "lookup":
        found = Found(
            "K7M-4QX-9TB",
            _HANDED_IN,
            3,
            "sick",
            "vermittlung-1",
            "delivered",
            _HANDED_IN + timedelta(seconds=4),
        )
        return Records("lookup", loading=False, typed="K7M4QX9TB", found=found)
    return None
