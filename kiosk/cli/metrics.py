"""``kiosk metrics``: the kiosk's state for Prometheus, as node_exporter's textfile or on stdout."""

from __future__ import annotations

import argparse
import sys

from kiosk.cli.common import open_kiosk, say
from kiosk.exits import EXIT_FAILED, EXIT_OK
from kiosk.metrics import TEXTFILE, collect
from kiosk.services.exposition import render, write_textfile


def run(args: argparse.Namespace) -> int:
    text = render(collect(open_kiosk(args.config)))
    if args.textfile is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        write_textfile(args.textfile, TEXTFILE, text)
    except OSError as err:
        say(f"cannot write {args.textfile / TEXTFILE}: {err.strerror}")
        return EXIT_FAILED
    return EXIT_OK
