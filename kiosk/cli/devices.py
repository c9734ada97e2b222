"""``kiosk devices``: the scanners SANE sees (field support)."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from kiosk.cli.common import open_kiosk
from kiosk.core.faults import Fault
from kiosk.exits import EXIT_OK, for_fault


def run(args: argparse.Namespace) -> int:
    found = open_kiosk(args.config, announce=True).kiosk.scanner.devices()
    if args.json:
        print(json.dumps([asdict(d) for d in found]))
    else:
        for d in found:
            print(f"{d.name}\t{d.vendor} {d.model} ({d.kind})")
        if not found:
            print("no scanner found")
    return EXIT_OK if found else for_fault(Fault.NOT_FOUND)
