"""``kiosk diag``: every check PASS / WARN / FAIL with what to do (field support)."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from kiosk.cli.common import open_kiosk
from kiosk.diag import Check, exit_status, run_checks
from kiosk.exits import EXIT_FOR_DIAG
from kiosk.station import Station


def run(args: argparse.Namespace) -> int:
    station = open_kiosk(args.config)
    checks = run_checks(station, args.only, scan=args.scan_test)
    if args.json:
        print(json.dumps(report(station, checks), ensure_ascii=False))
    else:
        for check in checks:
            print(f"{check.status.upper():4}  {check.id:24} {check.detail}")
            if check.fix:
                print(f"      {'':24} -> {check.fix}")
    return EXIT_FOR_DIAG[exit_status(checks)]


def report(station: Station, checks: list[Check]) -> dict[str, object]:
    """What ``kiosk diag --json`` prints (also the support bundle's diag.json)."""
    return {"kiosk": station.kiosk.config.kiosk_id, "checks": [asdict(c) for c in checks]}
