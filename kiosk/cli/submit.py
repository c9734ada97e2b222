"""What ``kiosk submit``, ``demo`` and ``devices`` do, on top of the composed services."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

from drivers.scanner import ScannerError, ScanRequest, Source
from kiosk.app import Kiosk, build, channel_settings, embedded_config, find_config
from kiosk.cli import (
    EXIT_CONFIG,
    EXIT_FAILED,
    EXIT_FOR_FAULT,
    EXIT_HELD,
    EXIT_INVALID_INPUT,
    EXIT_OK,
    EXIT_QUEUED,
    EXIT_STORAGE,
    EXIT_USAGE,
)
from kiosk.core.concerns import concern_by_key
from kiosk.core.identity import CaseNumber, InvalidCaseNumber, parse_case_number
from kiosk.core.problems import kept_note, scan_problem
from kiosk.core.receipt import ReceiptStatus
from kiosk.services.channels.address import inbox_problem
from kiosk.services.config import load_config
from kiosk.services.imaging import EncodedPage
from kiosk.services.keys import KeyFileError
from kiosk.services.outbox import SpoolError
from kiosk.services.routing import Route
from kiosk.services.scanjob import ScanStopped, scan_encoded
from kiosk.services.submission import Outcome
from kiosk.services.submission import submit as submit_pages

# Refuse to start a scan unless the spool can take a large document (colour, many pages).
MIN_FREE_BYTES = 200 * 1024 * 1024


def _say(*lines: str) -> None:
    for line in lines:
        print(line, file=sys.stderr)


def open_kiosk(given: Path | None, *, announce: bool = False) -> Kiosk | int:
    """The composed kiosk, or an exit code after a clear message (bad keys, full disk).

    The configuration is found as ``kiosk run`` finds it (``app.find_config``);
    ``announce`` says which one is used (staff and services, where it matters)."""
    config_path, origin = find_config(given)
    if announce:
        _say(f"configuration: {origin}")
    # The routing table is checked by build(): a table that can never deliver is the
    # kiosk's delivery problem (out of order; the spool is still delivered), not a crash.
    config = load_config(config_path, routing=False) if config_path else embedded_config()
    try:
        return build(config, embedded=config_path is None)
    except KeyFileError as err:
        _say(f"security key problem: {err}")
        return EXIT_CONFIG
    except OSError as err:  # the state dir or a key file cannot be written (disk full...)
        _say(
            f"The kiosk cannot write its working files ({err.strerror}): no new documents "
            "can be taken. Please ask the staff."
        )
        return EXIT_STORAGE


def devices(args: argparse.Namespace) -> int:
    kiosk = open_kiosk(args.config, announce=True)
    if isinstance(kiosk, int):
        return kiosk
    found = kiosk.scanner.devices()
    if args.json:
        print(json.dumps([asdict(d) for d in found]))
    else:
        for d in found:
            print(f"{d.name}\t{d.vendor} {d.model} ({d.kind})")
        if not found:
            print("no scanner found")
    return EXIT_OK if found else EXIT_FOR_FAULT["not_found"]


def outbox(args: argparse.Namespace) -> int:
    kiosk = open_kiosk(args.config, announce=True)
    if isinstance(kiosk, int):
        return kiosk
    from kiosk import staff

    return staff.outbox(kiosk, args)


def routing_sync(args: argparse.Namespace) -> int:
    from kiosk.services.routing_sync import SyncError, sync_routing

    # Not the local table: a broken one is exactly what the sync is there to replace.
    config = load_config(args.config, routing=False)
    if config.routing_sync_url is None or config.routing_table is None:
        _say("set [routing] sync_url and table in the configuration first")
        return EXIT_CONFIG
    try:
        result = sync_routing(
            config.routing_sync_url,
            config.routing_table,
            channel_settings(config).tls,
            config.inbox_policy,
        )
    except SyncError as err:
        _say(f"routing table not updated, the last good one stays: {err}")
        return EXIT_FAILED
    print(result)
    return EXIT_OK


def deliver(args: argparse.Namespace) -> int:
    from kiosk import service

    kiosk = open_kiosk(args.config, announce=True)
    if isinstance(kiosk, int):
        return kiosk
    return service.serve(kiosk)


def demo(args: argparse.Namespace) -> int:
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
    try:
        case = parse_case_number(args.case)
    except InvalidCaseNumber as bad:
        _say(f"not a case number: {bad.reason}")
        return EXIT_INVALID_INPUT
    if args.no_scan and not args.resume:
        _say("--no-scan goes with --resume BATCH")
        return EXIT_USAGE
    kiosk = open_kiosk(args.config)
    if isinstance(kiosk, int):
        return kiosk
    route = _route(kiosk, case, args.concern, args.inbox)
    if isinstance(route, int):
        return route
    if kiosk.outbox.free_bytes() < MIN_FREE_BYTES:
        _say("The kiosk's storage is full: no new documents can be taken. Please ask the staff.")
        return EXIT_STORAGE

    pages: list[EncodedPage] = []
    if args.resume:
        try:
            held_case, held_concern, pages = kiosk.held.take(args.resume)
        except KeyError:
            _say(f"no held batch {args.resume!r} on this kiosk")
            return EXIT_INVALID_INPUT
        if held_case != case or held_concern != args.concern:
            _say("that batch belongs to another case number or concern")
            return EXIT_INVALID_INPUT
    if not args.no_scan:
        scanned = _scan(kiosk, args, case, pages)
        if isinstance(scanned, int):
            return scanned
        pages = [*pages, *scanned]
    try:
        outcome = submit_pages(
            kiosk.outbox,
            case,
            args.concern,
            pages,
            kiosk_id=kiosk.config.kiosk_id,
            route=route,
            scanned_at=datetime.now().astimezone(),
            pseudonym_key=kiosk.pseudonym_key,
        )
    except SpoolError as err:
        batch = kiosk.held.hold(case, args.concern, pages, args.resume)
        _say(str(err), f"The {len(pages)} scanned pages are kept (batch {batch}).")
        return EXIT_STORAGE
    if args.resume:
        kiosk.held.discard(args.resume)
    _print_receipt(outcome, args.json)
    return {
        ReceiptStatus.DELIVERED: EXIT_OK,
        ReceiptStatus.QUEUED: EXIT_QUEUED,
        ReceiptStatus.HELD: EXIT_HELD,
    }[outcome.receipt.status]


def _route(kiosk: Kiosk, case: CaseNumber, concern: str, inbox: str | None) -> Route | int:
    """Where the document goes, decided before anything is scanned."""
    if inbox:
        why = inbox_problem(inbox, kiosk.config.inbox_policy)
        if why:
            _say(f"--inbox: {why}")  # not the URL itself: it may hold credentials
            return EXIT_CONFIG
        return Route(inbox, "explicit")
    if kiosk.routing is None or kiosk.delivery_problem is not None:
        _say(f"no document can be routed: {kiosk.delivery_problem} (and no --inbox given)")
        return EXIT_CONFIG
    return kiosk.routing.route(case, concern)


def _scan(
    kiosk: Kiosk, args: argparse.Namespace, case: CaseNumber, before: list[EncodedPage]
) -> list[EncodedPage] | int:
    config = kiosk.config.scanner
    device = args.scanner or config.device
    if device == "auto":
        found = kiosk.scanner.devices()
        if not found:
            _say(scan_problem("not_found"))
            return EXIT_FOR_FAULT["not_found"]
        device = found[0].name
    options = _page_options(args.set_option)
    if isinstance(options, int):
        return options
    request = ScanRequest(
        device,
        Source(args.source) if args.source else config.source,
        config.mode,
        config.resolution,
        page_options=options,
    )

    def progress(number: int, _page: EncodedPage) -> None:
        if not args.json:
            _say(f"page {len(before) + number} scanned")

    try:
        return scan_encoded(kiosk.scanner, request, progress)
    except ScanStopped as stop:
        kept = [*before, *stop.pages]
        note = kept_note(stop.fault.value, len(kept))
        _say(scan_problem(stop.fault.value) + (f" {note}" if note else ""), f"({stop.detail})")
        if kept:
            batch = kiosk.held.hold(case, args.concern, kept, args.resume)
            _say(
                f"{len(kept)} page(s) scanned so far are kept, encrypted, as batch {batch}.",
                f"Continue with: kiosk submit --case ... --concern {args.concern} --resume {batch}"
                " [--no-scan to send only these pages]",
            )
            if args.json:
                print(
                    json.dumps(
                        {"error": stop.fault.value, "held_batch": batch, "pages_kept": len(kept)}
                    )
                )
        elif args.json:
            print(json.dumps({"error": stop.fault.value, "held_batch": None, "pages_kept": 0}))
        return EXIT_FOR_FAULT.get(stop.fault.value, EXIT_FOR_FAULT["failed"])
    except ScannerError as err:  # raised outside a batch (device listing)
        _say(scan_problem(err.fault.value))
        return EXIT_FOR_FAULT.get(err.fault.value, EXIT_FOR_FAULT["failed"])


def _page_options(specs: list[str]) -> dict[int, dict[str, str | int | float | bool]] | int:
    """Parse --set-option values: "[PAGE:]NAME=VALUE", pages counted from 1."""
    options: dict[int, dict[str, str | int | float | bool]] = {}
    for spec in specs:
        head, equals, raw = spec.partition("=")
        where, colon, name = head.rpartition(":")
        where = where if colon else "1"
        if not (where.isdigit() and int(where) >= 1 and name and equals):
            _say(
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


RECEIPT_WORDS = {
    ReceiptStatus.DELIVERED: "delivered to the team's inbox",
    ReceiptStatus.QUEUED: "stored safely on the kiosk (encrypted); it will be delivered "
    "automatically as soon as the inbox can be reached",
    ReceiptStatus.HELD: "stored safely on the kiosk (encrypted); the inbox cannot take it, "
    "staff will send it on (kiosk outbox list)",
}


def _print_receipt(outcome: Outcome, as_json: bool) -> None:
    receipt = outcome.receipt
    if as_json:
        print(
            json.dumps(
                {
                    "receipt": asdict(receipt),
                    "status": receipt.status.value,
                    "delivered": receipt.delivered,
                    "pdf": outcome.delivery.where,
                    "team": outcome.route.team,
                    "routing_note": outcome.route.reason,
                    "outbox_item": outcome.delivery.item_id,
                    "error": outcome.delivery.error,
                },
                ensure_ascii=False,
            )
        )
        return
    status = RECEIPT_WORDS[receipt.status]
    print(
        "\n".join(
            [
                f"Receipt      {receipt.receipt_id}",
                f"Time         {receipt.created_at}",
                f"Concern      {concern_by_key(receipt.concern).label}",
                f"Pages        {receipt.page_count}",
                f"Case number  {receipt.masked_case}",
                f"Status       {status}",
            ]
        )
    )
    if outcome.delivery.where:
        print(f"PDF          {outcome.delivery.where}")
    if outcome.delivery.error:
        what = "held for staff" if receipt.status is ReceiptStatus.HELD else "not yet delivered"
        _say(f"{what}: {outcome.delivery.error}")
