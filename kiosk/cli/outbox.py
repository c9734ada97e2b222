"""Staff commands: ``kiosk outbox list|show|flush|retry`` (no case numbers in clear)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict

from kiosk.cli.common import open_kiosk
from kiosk.exits import EXIT_FAILED, EXIT_HELD, EXIT_OK, EXIT_QUEUED
from kiosk.services.spool.outbox import HELD, PENDING, QUARANTINED, Status


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
    box = open_kiosk(args.config, announce=True).kiosk.outbox
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
            box.retry(args.item)
            result = box.deliver(args.item)
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
