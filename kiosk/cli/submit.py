"""``kiosk submit`` and ``kiosk demo``: one submission from the command line."""

from __future__ import annotations

import argparse
import json

from drivers.scanner.protocol import ScannerError, Source
from kiosk.cli.common import open_kiosk, say
from kiosk.cli.receipt import print_receipt
from kiosk.core.concerns import Concern, concern_by_key
from kiosk.core.faults import Fault
from kiosk.core.identity import CaseNumber, InvalidCaseNumber, parse_case_number
from kiosk.core.problems import kept_note, scan_problem
from kiosk.exits import (
    EXIT_FOR_RECEIPT,
    EXIT_INVALID_INPUT,
    EXIT_STORAGE,
    EXIT_USAGE,
    for_fault,
)
from kiosk.services.pages.imaging import EncodedPage
from kiosk.services.pages.scanjob import ScanStopped
from kiosk.services.spool.outbox import SpoolError
from kiosk.station import PageOptions, Station


def run(args: argparse.Namespace) -> int:
    if args.command == "demo":
        return demo(args)
    return submit(args)


def demo(args: argparse.Namespace) -> int:
    """The main job on the embedded defaults (or the configuration found)."""
    ns = argparse.Namespace(
        case=args.case,
        concern=args.concern,
        scanner=None,
        source=None,
        inbox=None,
        config=None,
        json=args.json,
        resume=None,
        no_scan=False,
        set_option=[],
    )
    return submit(ns)


def submit(args: argparse.Namespace) -> int:
    """Scan (or resume), build the PDF, route, spool, deliver once, print the receipt.

    Everything that can be refused is refused before the scanner moves: the number, the
    inbox, the storage, the held batch."""
    try:
        case = parse_case_number(args.case)
    except InvalidCaseNumber as bad:
        say(f"not a case number: {bad.reason}")
        return EXIT_INVALID_INPUT
    concern = concern_by_key(args.concern)  # argparse offered only the known keys
    if args.no_scan and not args.resume:
        say("--no-scan goes with --resume BATCH")
        return EXIT_USAGE
    options = _page_options(args.set_option)
    if isinstance(options, int):
        return options
    station = open_kiosk(args.config)
    route = station.route(case, concern, args.inbox or None)
    station.require_storage()
    pages = station.resume(args.resume, case, concern) if args.resume else []
    if not args.no_scan:
        scanned = _scan(station, args, case, concern, pages, options)
        if isinstance(scanned, int):
            return scanned
        pages = [*pages, *scanned]
    try:
        outcome = station.submit(case, concern, pages, route)
    except SpoolError as err:
        batch = station.hold(case, concern, pages, args.resume)
        say(str(err), f"The {len(pages)} scanned pages are kept (batch {batch}).")
        return EXIT_STORAGE
    if args.resume:
        station.discard(args.resume)
    print_receipt(outcome, args.json)
    return EXIT_FOR_RECEIPT[outcome.receipt.status]


def _scan(
    station: Station,
    args: argparse.Namespace,
    case: CaseNumber,
    concern: Concern,
    before: list[EncodedPage],
    options: PageOptions,
) -> list[EncodedPage] | int:
    if args.scanner:
        station.device = args.scanner
    if station.device == "auto" and not station.scanner_ok():  # settles "auto" when found
        say(scan_problem(Fault.NOT_FOUND))
        return for_fault(Fault.NOT_FOUND)
    request = station.scan_request(
        source=Source(args.source) if args.source else None, options=options
    )

    def progress(number: int, _page: EncodedPage) -> None:
        if not args.json:
            say(f"page {len(before) + number} scanned")

    try:
        pages = station.scan(request, progress)
    except ScanStopped as stop:
        return _stopped(station, args, case, concern, [*before, *stop.pages], stop)
    except ScannerError as err:  # raised outside a batch (device listing)
        say(scan_problem(err.fault))
        return for_fault(err.fault)
    missing = dict.fromkeys(n for page in pages if page.report for n in page.report.scanner_not_set)
    if missing:
        say(f"Scanned as the scanner does where it has no option: {'; '.join(missing)}.")
    return pages


def _stopped(
    station: Station,
    args: argparse.Namespace,
    case: CaseNumber,
    concern: Concern,
    kept: list[EncodedPage],
    stop: ScanStopped,
) -> int:
    """The batch stopped halfway: say why, keep what was scanned, say how to go on."""
    note = kept_note(stop.fault, len(kept))
    say(scan_problem(stop.fault) + (f" {note}" if note else ""), f"({stop.detail})")
    batch = station.hold(case, concern, kept, args.resume) if kept else None
    if batch:
        say(
            f"{len(kept)} page(s) scanned so far are kept, encrypted, as batch {batch}.",
            f"Continue with: kiosk submit --case ... --concern {concern.key} --resume {batch}"
            " [--no-scan to send only these pages]",
        )
    if args.json:
        print(json.dumps({"error": stop.fault.value, "held_batch": batch, "pages_kept": len(kept)}))
    return for_fault(stop.fault)


def _page_options(specs: list[str]) -> PageOptions | int:
    """Parse --set-option values: "[PAGE:]NAME=VALUE", pages counted from 1."""
    options: PageOptions = {}
    for spec in specs:
        head, equals, raw = spec.partition("=")
        where, colon, name = head.rpartition(":")
        where = where if colon else "1"
        if not (where.isdigit() and int(where) >= 1 and name and equals):
            say(
                f"--set-option {spec!r}: expected [PAGE:]NAME=VALUE, "
                "e.g. 4:read-return-value=SANE_STATUS_JAMMED"
            )
            return EXIT_USAGE
        value: str | int | float | bool = raw
        if raw.lower() in ("true", "yes", "false", "no"):
            value = raw.lower() in ("true", "yes")
        elif raw.lstrip("-").isdigit():
            value = int(raw)
        options.setdefault(int(where) - 1, {})[name] = value
    return options
