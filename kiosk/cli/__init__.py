"""The ``kiosk`` command: what field support, staff and the tests run.

One module per command group; each parses nothing itself (``parser.py``) and imports its
drivers and services only when it runs, so ``kiosk check-id`` starts in milliseconds.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from kiosk.exits import EXIT_FAILED, EXIT_OK


def _plain_values(args: argparse.Namespace) -> None:
    """argparse turns ``--case=--`` into an empty list: a value is always text here."""
    for name in ("case", "value", "inbox", "scanner"):
        value = getattr(args, name, None)
        if isinstance(value, list):
            setattr(args, name, " ".join(value))


def main(argv: Sequence[str] | None = None) -> int:
    from kiosk.cli.parser import build_parser

    words = list(sys.argv[1:] if argv is None else argv)
    command = next((w for w in words if not w.startswith("-")), None)
    args = build_parser(only="run" if command == "run" else None).parse_args(words)
    _plain_values(args)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        return _dispatch(args)
    except KeyboardInterrupt:
        _error("interrupted")
        return EXIT_FAILED
    except Exception as err:
        return _failed(err)


def _failed(err: Exception) -> int:
    """What a command's failure means: its words and its exit code (re-raised when it is
    none of the kiosk's own: a bug). Imported here: `kiosk run` reads its configuration
    under the start's own rules (kiosk.ui.main), and every command starts sooner."""
    from kiosk.exits import EXIT_CONFIG, for_error
    from kiosk.services.tomlfile import InvalidFile
    from kiosk.station import StationError

    if isinstance(err, InvalidFile):
        for each in err.each():  # a configuration's problems, then its routing table's
            _error(f"configuration problem in {each.path}:", *(f"  {p}" for p in each.problems))
        return EXIT_CONFIG
    if isinstance(err, StationError):
        _error(str(err))
        return for_error(err)
    raise err


def _dispatch(args: argparse.Namespace) -> int:
    command = args.command
    if command in ("check-id", "config", "routing"):
        from kiosk.cli import config

        return config.run(args)
    if command == "decode":
        from kiosk.cli import decode  # OpenCV and the decoders only when needed

        return decode.run(args)
    if command == "pdf":
        from kiosk.cli import pdf  # the page pipeline (OpenCV) only when needed

        return pdf.run(args)
    if command == "run":
        from kiosk.ui import main as ui  # Qt only when needed

        return ui.run(args)
    if command == "screenshots":
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # the same pixels with or without a display
        from kiosk.devtools.screenshots import render_all
        from kiosk.services.config import load_config

        site = load_config(args.config) if args.config else None  # a broken one: exit 4
        written = render_all(
            args.directory, args.languages or None, args.sheet, args.size, site, args.screens
        )
        print(f"{len(written)} screenshots in {args.directory}")
        return EXIT_OK
    if command == "outbox":
        from kiosk.cli import outbox

        return outbox.run(args)
    if command == "deliver":
        from kiosk.cli import deliver

        return deliver.run(args)
    if command == "devices":
        from kiosk.cli import devices

        return devices.run(args)
    if command == "diag":
        from kiosk.cli import diag

        return diag.run(args)
    if command == "support-bundle":
        from kiosk.cli import bundle

        return bundle.run(args)
    if command == "metrics":
        from kiosk.cli import metrics

        return metrics.run(args)
    if command == "receipt":
        from kiosk.cli import receipt_show

        return receipt_show.run(args)
    if command == "staff":
        from kiosk.cli import staff

        return staff.run(args)
    from kiosk.cli import submit  # submit, demo

    return submit.run(args)


def _error(*lines: str) -> None:
    for line in lines:
        print(line, file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
