"""The ``kiosk`` command: what field support, staff and the tests run."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from kiosk import __version__
from kiosk.core.concerns import CONCERN_KEYS
from kiosk.core.identity import InvalidCaseNumber, parse_case_number
from kiosk.services.tomlfile import InvalidFile

# Exit codes (documented in README.md): scripts and field support rely on them.
EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INVALID_INPUT = 3
EXIT_CONFIG = 4
EXIT_STORAGE = 5
EXIT_QUEUED = 20  # stored safely on the kiosk, not yet delivered (delivered automatically)
EXIT_HELD = 21  # stored safely on the kiosk, held for staff (the inbox cannot take it)
EXIT_FOR_FAULT = {
    "no_paper": 10,
    "jammed": 11,
    "cover_open": 12,
    "busy": 13,
    "io_error": 14,
    "not_found": 15,
    "hung": 16,
    "unsupported": 17,
    "truncated": 18,
    "cancelled": 19,
    "failed": EXIT_FAILED,
}


CONFIG_HELP = (
    "kiosk configuration (TOML); default: $KIOSK_CONFIG, else /etc/kiosk/kiosk.toml when "
    "present, else the embedded defaults"
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk", description="Job-centre scan kiosk")
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = parser.add_subparsers(dest="command", required=True)

    submit = sub.add_parser("submit", help="scan, build the PDF, route, deliver, print a receipt")
    submit.add_argument("--case", required=True, help="BG-Nummer or Kundennummer")
    submit.add_argument("--concern", required=True, choices=CONCERN_KEYS)
    _add_scan_options(submit)
    submit.add_argument(
        "--resume", metavar="BATCH", help="continue a batch that stopped halfway (jam, open cover)"
    )
    submit.add_argument(
        "--no-scan",
        action="store_true",
        help="with --resume: send the held pages without scanning more",
    )

    demo = sub.add_parser("demo", help="a whole submission on the embedded defaults")
    demo.add_argument("--case", default="12345BG0012345")
    demo.add_argument("--concern", default="renewal", choices=CONCERN_KEYS)
    demo.add_argument("--json", action="store_true")

    check_id = sub.add_parser("check-id", help="is this a case number, and which kind?")
    check_id.add_argument("value")
    check_id.add_argument("--json", action="store_true")

    config = sub.add_parser("config", help="configuration files")
    config_sub = config.add_subparsers(dest="config_command", required=True)
    check = config_sub.add_parser("check", help="validate a kiosk config or routing table")
    check.add_argument("file", type=Path)

    box = sub.add_parser("outbox", help="documents waiting for delivery (staff)")
    box_sub = box.add_subparsers(dest="outbox_command", required=True)
    for name, text in (
        ("list", "every item, its state and schedule"),
        ("flush", "deliver everything pending now"),
        ("show", "one item"),
        ("retry", "try a held or failed item again now"),
    ):
        command = box_sub.add_parser(name, help=text)
        command.add_argument("--config", type=Path, help=CONFIG_HELP)
        command.add_argument("--json", action="store_true")
        if name in ("show", "retry"):
            command.add_argument("item")

    deliver = sub.add_parser(
        "deliver", help="the delivery service: sends what waits in the outbox, until stopped"
    )
    deliver.add_argument("--config", type=Path, help=CONFIG_HELP)

    routing = sub.add_parser("routing", help="the routing table")
    routing_sub = routing.add_subparsers(dest="routing_command", required=True)
    sync = routing_sub.add_parser("sync", help="fetch the table from [routing] sync_url")
    sync.add_argument("--config", type=Path, required=True)

    decode = sub.add_parser(
        "decode",
        help="read QR / Data Matrix codes in images and say what they mean (field support)",
    )
    decode.add_argument("images", nargs="+", type=Path, metavar="IMAGE")
    decode.add_argument("--json", action="store_true", help="one JSON object per image")
    decode.add_argument("--letters", action="store_true", help="accept letters' B#0 codes")
    decode.add_argument(
        "--url-param",
        action="append",
        metavar="NAME",
        help="query parameter that carries the case in a card URL",
    )
    decode.add_argument("--card-key", type=Path, metavar="FILE", help="key of signed cards")
    decode.add_argument("--staff-key", type=Path, metavar="FILE", help="key of staff cards")
    run = sub.add_parser("run", help="the touch UI: fullscreen kiosk (or --windowed)")
    run.add_argument("--config", type=Path, help=CONFIG_HELP)
    run.add_argument("--windowed", action="store_true", help="a normal window (development)")

    shots = sub.add_parser("screenshots", help="render every screen in every language")
    shots.add_argument("directory", type=Path)
    shots.add_argument("--sheet", type=Path, help="also write a contact sheet PNG here")
    shots.add_argument("--languages", nargs="*", help="default: all five and the pseudo-locale")

    devices = sub.add_parser("devices", help="list scanners (field support)")
    devices.add_argument("--config", type=Path, help=CONFIG_HELP)
    devices.add_argument("--json", action="store_true")
    return parser


def _add_scan_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--scanner", metavar="DEVICE", help="SANE device, e.g. test:0")
    p.add_argument("--source", choices=("adf", "flatbed", "duplex"))
    p.add_argument("--inbox", metavar="URL", help="deliver here instead of routing")
    p.add_argument("--config", type=Path, help=CONFIG_HELP)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument(
        "--set-option",
        action="append",
        default=[],
        metavar="[PAGE:]NAME=VALUE",
        help="set a backend option before page PAGE (default 1) of the batch; "
        "e.g. 4:read-return-value=SANE_STATUS_JAMMED on the test scanner",
    )


def _plain_values(args: argparse.Namespace) -> None:
    """argparse turns ``--case=--`` into an empty list: a value is always text here."""
    for name in ("case", "value", "inbox", "scanner"):
        value = getattr(args, name, None)
        if isinstance(value, list):
            setattr(args, name, " ".join(value))


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    _plain_values(args)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        if args.command == "check-id":
            return _check_id(args)
        if args.command == "config":
            return _config_check(args.file)
        if args.command == "decode":
            from kiosk import decode  # imports OpenCV and the decoders only when needed

            return decode.run(args)
        if args.command in ("run", "screenshots"):
            from kiosk.ui import main as ui  # imports Qt only when needed

            return ui.run(args) if args.command == "run" else ui.screenshots(args)
        from kiosk import commands  # imports drivers and services only when needed

        if args.command == "devices":
            return commands.devices(args)
        if args.command == "deliver":
            return commands.deliver(args)
        if args.command == "outbox":
            return commands.outbox(args)
        if args.command == "routing":
            return commands.routing_sync(args)
        if args.command == "demo":
            return commands.demo(args)
        return commands.submit(args)
    except InvalidFile as err:
        for each in err.each():
            _error(f"configuration problem in {each.path}:", *(f"  {p}" for p in each.problems))
        return EXIT_CONFIG
    except KeyboardInterrupt:
        _error("interrupted")
        return EXIT_FAILED


def _error(*lines: str) -> None:
    for line in lines:
        print(line, file=sys.stderr)


def _check_id(args: argparse.Namespace) -> int:
    try:
        case = parse_case_number(args.value)
    except InvalidCaseNumber as bad:
        if args.json:
            print(json.dumps({"valid": False, "reason": bad.reason}))
        else:
            print(f"not a case number: {bad.reason}")
        return EXIT_FAILED
    if args.json:
        print(
            json.dumps(
                {
                    "valid": True,
                    "kind": case.kind.value,
                    "value": case.value,
                    "masked": case.masked(),
                },
                ensure_ascii=False,
            )
        )
    else:
        print(f"{case.kind.value}: {case.value}")
    return EXIT_OK


def _config_check(path: Path) -> int:
    """Every check the kiosk makes at start, for a kiosk configuration (and the routing
    table it names) or a routing table on its own: problems exit 4, warnings do not."""
    from kiosk.services.config import load_config
    from kiosk.services.routing import TABLE_KEYS, RoutingTable, load_routing
    from kiosk.services.tomlfile import TomlFile

    def report(table_path: Path, table: RoutingTable) -> None:
        teams, rules = len(table.teams), len(table.rules)
        print(f"{table_path}: routing table OK ({teams} teams, {rules} rules)")
        for warning in table.warnings:
            print(f"warning: {warning}", file=sys.stderr)

    # An InvalidFile (the configuration's problems, then its routing table's) is reported
    # by main() like every command's, exit 4.
    data = TomlFile.read(path).data
    if "kiosk" not in data and any(key in data for key in TABLE_KEYS):
        report(path, load_routing(path))
        return EXIT_OK
    config = load_config(path)
    print(f"{path}: OK (kiosk {config.kiosk_id}, scanner {config.scanner.device})")
    if config.routing_table is not None:
        report(config.routing_table, load_routing(config.routing_table, config.inbox_policy))
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
