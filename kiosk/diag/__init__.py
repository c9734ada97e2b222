"""Diagnostics for field support: each check PASS, WARN or FAIL, with one line of what to do.

Qt-free and read-only: no check sends a document, writes into an inbox (a folder inbox gets
an empty probe file, removed at once) or prints anything of a client's. By responsibility:

- ``local``: identity, storage, outbox, the client certificate, the receipt printer;
- ``network``: the delivery walk, inbox by inbox (DNS, TCP, TLS, the inbox's protocol);
- ``clock``: NTP synchronised, and the skew against the inbox servers' HTTP ``Date:``;
- ``systemd``: the kiosk's units (active, restarts, watchdog kills);
- ``devices``: the scanner, the card camera, the test scan;
- ``events``: the warning and error events of the last 24 h, ids and counts only.

Every network step has its own short timeout; the whole run stays within seconds.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator

from kiosk.diag.check import Check, Status, worst
from kiosk.diag.clock import SKEW_FAIL, SKEW_WARN, clock
from kiosk.diag.devices import (
    BLANK_MEAN,
    STREAK_STEP,
    camera,
    judge_page,
    scan_test,
    scanner,
    streak_columns,
)
from kiosk.diag.events import events
from kiosk.diag.local import (
    CUPSD_CONF,
    OLDEST_WARN,
    client_certificate,
    client_certificate_days,
    client_certificate_expiry,
    cups_keeps_job_files,
    identity,
    outbox,
    printer,
    storage,
)
from kiosk.diag.network import (
    CERT_WARN_DAYS,
    DEFAULT_PORTS,
    STEP_TIMEOUT,
    ServerClock,
    delivery,
    server_certificate_expiry,
    server_clock,
)
from kiosk.diag.systemd import KIOSK_UNITS, services
from kiosk.station import Station

__all__ = [
    "BLANK_MEAN", "CERT_WARN_DAYS", "CUPSD_CONF", "DEFAULT_PORTS", "KIOSK_UNITS",
    "OLDEST_WARN", "SKEW_FAIL", "SKEW_WARN", "STEP_TIMEOUT", "STREAK_STEP",
    "Check", "ServerClock", "Status", "client_certificate_days", "client_certificate_expiry",
    "cups_keeps_job_files", "exit_status", "judge_page", "run_checks",
    "server_certificate_expiry", "server_clock", "streak_columns",
]  # fmt: skip


def run_checks(
    station: Station, only: str | None = None, scan: bool = False, skip: Collection[str] = ()
) -> list[Check]:
    """All checks (with ``scan``: a test scan too), or those whose id is ``only`` or starts
    with ``only:`` (only the checks that can yield such ids are run); none of ``skip`` (the
    touch UI's staff page leaves out the camera it holds open itself)."""
    clocks: list[ServerClock] = []  # what the inbox servers' clocks said in the walk
    groups: list[tuple[tuple[str, ...], Callable[[Station], Iterator[Check]]]] = [
        (("identity",), identity),
        (("storage",), storage),
        (("scanner",), scanner),
        (("camera",), camera),
        (("outbox",), outbox),
        (("client-certificate",), client_certificate),
        (("delivery", "clock"), lambda station: delivery(station, clocks)),
        (("clock",), lambda _station: clock(clocks)),  # after the walk: it compares clocks
        (("printer",), printer),
        (("services",), lambda _station: services()),
        (("events",), lambda station: events(station.kiosk.state)),
    ]
    if scan:
        groups.append((("scan-test",), scan_test))
    head = None if only is None else only.split(":", 1)[0]
    found = [
        check
        for names, run in groups
        if (head is None or head in names) and names[0] not in skip
        for check in run(station)
    ]
    if only is None:
        return found
    return [c for c in found if c.id == only or c.id.startswith(f"{only}:")]


def exit_status(checks: list[Check]) -> Status:
    return worst([c.status for c in checks])
