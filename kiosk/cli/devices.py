"""``kiosk devices``: the scanners SANE sees (field support)."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path

from drivers.scanner.sane_setup import sane_setup, usb_devices
from kiosk.cli.common import open_kiosk, say
from kiosk.core.faults import Fault
from kiosk.exits import EXIT_OK, for_fault


def run(args: argparse.Namespace) -> int:
    station = open_kiosk(args.config, announce=True)
    found = station.kiosk.scanner.devices()
    if args.json:
        print(json.dumps([asdict(d) for d in found]))
    else:
        for d in found:
            print(f"{d.name}\t{d.vendor} {d.model} ({d.kind})")
        if not found:
            print("no scanner found")
    if not found:  # on stderr: the JSON on stdout stays a list of devices
        for line in explain(station.kiosk.config.scanner.sane_config_dir):
            say(line)
    return EXIT_OK if found else for_fault(Fault.NOT_FOUND)


def explain(config_dir: Path | None) -> list[str]:
    """What field support needs when SANE sees nothing: its configuration, the USB devices
    there are, and who may open them."""
    setup = sane_setup(config_dir)
    source = "[scanner] sane_config_dir" if setup.from_env else "the system's"
    lines = [f"SANE configuration: {setup.config_dir} ({source})"]
    if setup.problem:
        lines.append(f"  problem: {setup.problem}")
    else:
        lines.append(f"  backends loaded: {', '.join(setup.backends)}")
    usb = usb_devices()
    lines.append(f"USB devices ({len(usb)}, hubs left out):")
    lines += [f"  {device}" for device in usb] or ["  none"]
    lines.append(
        "A USB scanner needs its backend in dll.conf and the kiosk user's access to its "
        "device node (udev uaccess, or a group such as scanner)."
    )
    return lines
