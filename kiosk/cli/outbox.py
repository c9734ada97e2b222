"""Staff commands: ``kiosk outbox list|show|flush|retry|held|report`` (no case numbers in
clear)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict
from datetime import date

from kiosk.cli.common import open_kiosk
from kiosk.exits import EXIT_FAILED, EXIT_HELD, EXIT_OK, EXIT_QUEUED
from kiosk.services.day_report import DayReport, day_report
from kiosk.services.spool.outbox import HELD, PENDING, QUARANTINED, Status
from kiosk.services.spool.stuck import Audit, age_words, send_again, stuck_items
from kiosk.station import Station


def _when(epoch: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(epoch)) if epoch else "now"


def _line(s: Status) -> str:
    due = f"next {_when(s.next_attempt)}" if s.state == PENDING else s.state
    return (
        f"{s.item_id}  {s.state:<11} receipt {s.receipt_id or '?':<11} {s.concern or '?':<10} "
        f"team {s.team or '?':<14} {s.pages or '?'} p.  attempts {s.attempts}  {due}"
        + (f"\n    last error: {s.last_error}" if s.last_error else "")
    )


def run(args: argparse.Namespace) -> int:
    station = open_kiosk(args.config, announce=True)
    box = station.kiosk.outbox
    if args.outbox_command == "held":
        return _held(station, args.json)
    if args.outbox_command == "report":
        day = args.day or date.today()
        report = day_report(box.receipts, box, day)
        print(json.dumps(report.to_json()) if args.json else _report(report))
        return EXIT_OK
    if args.outbox_command == "list":
        items = list(box.items())
        if args.json:
            print(json.dumps([asdict(s) for s in items], ensure_ascii=False))
        else:
            for s in items:
                print(_line(s))
            print(f"{len(items)} item(s) in the outbox")
        return EXIT_OK
    if args.outbox_command in ("show", "retry"):
        try:
            status = box.status(args.item)
        except KeyError:
            print(f"no item {args.item!r} in the outbox", file=sys.stderr)
            return EXIT_FAILED
        if args.outbox_command == "retry":
            result = send_again(box, args.item, _audit(station))
            print("delivered" if result.delivered else f"not delivered: {result.error}")
            return EXIT_OK if result.delivered else EXIT_QUEUED
        print(
            json.dumps(asdict(status), ensure_ascii=False, indent=2) if args.json else _line(status)
        )
        return EXIT_OK
    # flush
    results = box.flush()
    for r in results:
        print(f"{r.item_id}: {'delivered' if r.delivered else r.state + ': ' + (r.error or '')}")
    left = list(box.items())
    pending = [s for s in left if s.state == PENDING]
    stuck = [s for s in left if s.state in (HELD, QUARANTINED)]
    print(
        f"{sum(r.delivered for r in results)} delivered, {len(pending)} still pending, "
        f"{len(stuck)} held or quarantined for staff"
    )
    if pending:
        return EXIT_QUEUED
    return EXIT_HELD if stuck else EXIT_OK


def _audit(station: Station) -> Audit | None:
    """Staff actions from the command line go into the staff audit log, without a card."""
    staff = station.kiosk.staff
    if staff is None:
        return None
    log = staff.audit

    def audit(event: str, change: dict[str, str | int | float]) -> None:
        log.append(event, time.time(), change={**change, "via": "cli"})

    return audit


def _held(station: Station, as_json: bool) -> int:
    items = stuck_items(station.kiosk.outbox)
    now = time.time()
    if as_json:
        rows = [{**asdict(i), "age_s": round(i.age_s(now))} for i in items]
        print(json.dumps(rows))
        return EXIT_OK
    for i in items:
        number, unit = age_words(i.age_s(now))
        print(
            f"{i.item_id}  {i.state:<11} team {i.team or '?':<14} {number} {unit} old  "
            f"attempts {i.attempts}  error class {i.error}"
        )
    print(f"{len(items)} item(s) held or quarantined; after a fix: kiosk outbox retry ITEM")
    return EXIT_OK


def _report(report: DayReport) -> str:
    head = f"{'team':<16}{'documents':>10}{'pages':>8}{'delivered':>11}{'waiting':>9}{'held':>6}"
    lines = [f"Today's report, {report.day.isoformat()}", head]
    for t in (*report.teams, report.total):
        lines.append(
            f"{t.team:<16}{t.documents:>10}{t.pages:>8}{t.delivered:>11}{t.waiting:>9}{t.held:>6}"
        )
    lines.append(
        f"In the outbox now (any day): {report.outbox_waiting} waiting, "
        f"{report.outbox_held} held or quarantined"
    )
    return "\n".join(lines)
