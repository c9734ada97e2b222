"""A whole client session in the real kiosk window, tapped through X with xdotool.

Run by tests/ui/test_real_window.py inside an X server (Xvfb) with no window manager:
``kiosk.ui.main.start()`` builds the kiosk exactly as ``kiosk run`` does (embedded
defaults: the SANE test scanner, a folder inbox in KIOSK_STATE_DIR), on Qt's xcb platform.
This script only finds where a button is and asks the X server to click there: the click
arrives as a real pointer event, through the window system, like a finger on a touch
screen. After every step it checks, with X's own xwininfo, that the window still covers the
screen exactly. Prints one JSON object: the steps, the window geometries seen, the receipt.
The steps themselves are tests/ui/session_steps.py's, shared with the test under cage.

``--printer QUEUE``: the embedded defaults with ``[receipt] printer = QUEUE`` (a CUPS queue
of the test's; ``CUPS_SERVER`` says where its scheduler is), as a site's kiosk.toml sets it:
the receipt screen prints the receipt, and the script waits until the screen says whether
it was printed.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QPoint  # noqa: E402

import kiosk.configuration  # noqa: E402
from kiosk.configuration import embedded_config  # noqa: E402
from kiosk.core.records import replace  # noqa: E402
from kiosk.services.config import KioskConfig, ReceiptSettings  # noqa: E402
from kiosk.ui.main import Running, start  # noqa: E402
from kiosk.ui.presenter.view import Printing  # noqa: E402
from tests.ui.session_steps import layout_problems, tap_through, wait_for  # noqa: E402


def x_geometry(running: Running) -> tuple[int, int, int, int]:
    """The window as the X server has it (not as Qt believes it is)."""
    out = subprocess.run(
        ["xwininfo", "-id", str(int(running.window.winId()))],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip

    def field(name: str) -> int:
        found = re.search(rf"{name}:\s+(-?\d+)", out)
        assert found, out
        return int(found.group(1))

    return (
        field("Absolute upper-left X"), field("Absolute upper-left Y"),
        field("Width"), field("Height"),
    )  # fmt: skip


def xdotool_tap(point: QPoint) -> None:
    subprocess.run(
        ["xdotool", "mousemove", "--sync", str(point.x()), str(point.y()), "click", "1"],
        check=True,
    )


def with_printer(queue: str) -> None:
    """``kiosk run`` on the embedded defaults plus ``[receipt] printer = queue``."""

    def config() -> KioskConfig:
        return replace(embedded_config(), receipt=ReceiptSettings(printer=queue, deadline=20))

    kiosk.configuration.embedded_config = config  # read_configuration reads it there


def printed(running: Running) -> dict[str, Any]:
    """Waits until the receipt screen says whether the receipt was printed; what it said,
    and what a client could not read there then."""
    presenter = running.presenter
    wait_for(
        "the receipt printer",
        lambda: presenter.printing in (Printing.PRINTED, Printing.FAILED),
        state=lambda: f"printing {presenter.printing}",
    )
    found = layout_problems(running)
    receipt = presenter.session.receipt
    assert receipt is not None
    return {
        "printing": str(presenter.printing),
        "created_at": receipt.created_at,
        "problems": found,
        "geometry": x_geometry(running),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--printer", help="the CUPS queue receipts are printed on")
    args = parser.parse_args()
    if args.printer:
        with_printer(args.printer)
    running = start(argparse.Namespace(config=None, windowed=False))
    result = tap_through(running, xdotool_tap, lambda _phase: x_geometry(running))
    if args.printer:
        result["printed"] = printed(running)
    print(json.dumps(result))
    running.stop()


if __name__ == "__main__":
    main()
