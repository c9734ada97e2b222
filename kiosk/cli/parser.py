"""The ``kiosk`` command line: every command, its options and its help."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from kiosk import __version__
from kiosk.core.concerns import CONCERN_KEYS

CONFIG_HELP = (
    "kiosk configuration (TOML); default: $KIOSK_CONFIG, else /etc/kiosk/kiosk.toml when "
    "present, else the embedded defaults"
)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """Every command; with ``only="run"`` just that one: the touch UI's start does not
    wait for the ninety-odd options of the other commands (about 8 ms)."""
    parser = argparse.ArgumentParser(prog="kiosk", description="Job-centre scan kiosk")
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = parser.add_subparsers(dest="command", required=True)
    if only == "run":
        _add_run(sub)
        return parser

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
        ("retry", "send a held or failed item again now, after a fix (audited)"),
        ("held", "held and quarantined items: team, age, error class"),
        ("report", "today's report: documents and pages per team, delivered/waiting/held"),
    ):
        command = box_sub.add_parser(name, help=text)
        command.add_argument("--config", type=Path, help=CONFIG_HELP)
        command.add_argument("--json", action="store_true")
        if name in ("show", "retry"):
            command.add_argument("item")
        if name == "report":
            command.add_argument(
                "--day", type=date.fromisoformat, metavar="YYYY-MM-DD", help="default: today"
            )
    receipt = sub.add_parser("receipt", help='"did it arrive?": the receipt index (staff)')
    receipt_sub = receipt.add_subparsers(dest="receipt_command", required=True)
    show = receipt_sub.add_parser("show", help="a receipt: handed in, pages, team, delivered at")
    show.add_argument("receipt", metavar="ID", help="the receipt number, e.g. K7M-4QX-9TB")
    show.add_argument("--config", type=Path, help=CONFIG_HELP)
    show.add_argument("--json", action="store_true")

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
    pdf = sub.add_parser(
        "pdf", help="image files through the page pipeline into one PDF (field support)"
    )
    pdf.add_argument("images", nargs="+", type=Path, metavar="IMAGE", help="PNG, JPEG, TIFF, PNM")
    pdf.add_argument("-o", "--out", type=Path, required=True, metavar="OUT.pdf")
    pdf.add_argument("--json", action="store_true", help="one JSON object per page and line")
    pdf.add_argument(
        "--mode",
        choices=("auto", "color", "gray", "bw"),
        default="auto",
        help="how pages are stored; default: auto, decided per page",
    )
    pdf.add_argument("--drop-blank", action="store_true", help="leave out pages that seem empty")
    _add_run(sub)

    shots = sub.add_parser("screenshots", help="render every screen in every language")
    shots.add_argument("directory", type=Path)
    shots.add_argument("--sheet", type=Path, help="also write a contact sheet PNG here")
    shots.add_argument("--languages", nargs="*", help="default: all five and the pseudo-locale")
    shots.add_argument("--screens", nargs="*", help="only these screens (default: every one)")
    shots.add_argument(
        "--size", type=_size, default=(1920, 1080), metavar="WxH", help="default: 1920x1080"
    )
    shots.add_argument(
        "--config",
        type=Path,
        help="show this kiosk's site look ([kiosk] name and assets_dir: logo, theme, pictograms)",
    )

    devices = sub.add_parser("devices", help="list scanners (field support)")
    devices.add_argument("--config", type=Path, help=CONFIG_HELP)
    devices.add_argument("--json", action="store_true")
    diag = sub.add_parser("diag", help="check the kiosk end to end (field support)")
    diag.add_argument("--config", type=Path, help=CONFIG_HELP)
    diag.add_argument("--json", action="store_true", help="one JSON object on stdout")
    diag.add_argument("--only", metavar="CHECK", help="one check, e.g. storage or delivery")
    diag.add_argument(
        "--scan-test", action="store_true", help="also scan one sheet, in memory only"
    )
    bundle = sub.add_parser(
        "support-bundle", help="one archive for field support, nothing of any client's"
    )
    bundle.add_argument("--out", type=Path, required=True, metavar="FILE", help="a .tar.gz")
    bundle.add_argument("--config", type=Path, help=CONFIG_HELP)
    metrics = sub.add_parser("metrics", help="the kiosk's state for Prometheus (node_exporter)")
    metrics.add_argument("--config", type=Path, help=CONFIG_HELP)
    metrics.add_argument(
        "--textfile",
        type=Path,
        metavar="DIR",
        help="write DIR/kiosk.prom atomically (node_exporter's textfile directory); "
        "default: print to stdout",
    )
    _add_staff(sub)
    return parser


def _add_staff(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    staff = sub.add_parser("staff", help="staff cards, their PINs and the audit log")
    staff_sub = staff.add_subparsers(dest="staff_command", required=True)
    add = staff_sub.add_parser("add", help="enrol a staff card and write it as a PDF to print")
    add.add_argument("--name", required=True, help="printed on the card; never logged")
    add.add_argument("--role", required=True, choices=("office", "support"))
    add.add_argument("--out", type=Path, metavar="FILE", help="default: staff-card-ID.pdf")
    add.add_argument(
        "--expires", type=_date, metavar="YYYY-MM-DD", help="last valid day; default: 2 years"
    )
    listing = staff_sub.add_parser("list", help="enrolled and revoked cards")
    listing.add_argument("--json", action="store_true")
    revoke = staff_sub.add_parser("revoke", help="revoke a card for good (lost, left)")
    revoke.add_argument("card_id", metavar="ID")
    pin = staff_sub.add_parser("pin", help="set a card's PIN (asked twice on a terminal)")
    pin.add_argument("card_id", metavar="ID")
    pin.add_argument("--pin-stdin", action="store_true", help="read the PIN as one line")
    audit = staff_sub.add_parser("audit", help="the staff audit log (logins, changes)")
    audit.add_argument("--verify", action="store_true", help="check the hash chain only")
    audit.add_argument("--json", action="store_true")
    sync = staff_sub.add_parser(
        "sync", help="apply the office's list of revoked cards ([staff] sync_url)"
    )
    for command in (add, listing, revoke, pin, audit, sync):
        command.add_argument("--config", type=Path, help=CONFIG_HELP)


def _date(text: str) -> date:
    """A day, ``YYYY-MM-DD``."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None


def _size(text: str) -> tuple[int, int]:
    """A screen size, ``WIDTHxHEIGHT`` in pixels (e.g. 1366x768)."""
    width, x, height = text.lower().partition("x")
    if not (x and width.isdigit() and height.isdigit() and int(width) > 0 and int(height) > 0):
        raise argparse.ArgumentTypeError(f"not a size WIDTHxHEIGHT: {text!r}")
    return int(width), int(height)


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


def _add_run(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    run = sub.add_parser("run", help="the touch UI: fullscreen kiosk (or --windowed)")
    run.add_argument("--config", type=Path, help=CONFIG_HELP)
    run.add_argument("--windowed", action="store_true", help="a normal window (development)")
