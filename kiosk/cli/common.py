"""What every command shares: where its words go, and opening the kiosk."""

from __future__ import annotations

import sys
from pathlib import Path

from kiosk.station import Station, open_station


def say(*lines: str) -> None:
    """Messages for the person at the terminal go to stderr (stdout is for results)."""
    for line in lines:
        print(line, file=sys.stderr)


def open_kiosk(given: Path | None, *, announce: bool = False) -> Station:
    """The station on the configuration ``kiosk run`` would use; ``announce`` says which
    one on stderr (staff and services, where it matters). Raises what ``open_station``
    raises; ``kiosk.cli.main`` turns it into a message and an exit code."""
    station = open_station(given)
    if announce:
        say(f"configuration: {station.origin}")
    return station
