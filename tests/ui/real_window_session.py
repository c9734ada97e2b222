"""A whole client session in the real kiosk window, tapped through X with xdotool.

Run by tests/ui/test_real_window.py inside an X server (Xvfb) with no window manager:
``kiosk.ui.main.start()`` builds the kiosk exactly as ``kiosk run`` does (embedded
defaults: the SANE test scanner, a folder inbox in KIOSK_STATE_DIR), on Qt's xcb platform.
This script only finds where a button is and asks the X server to click there: the click
arrives as a real pointer event, through the window system, like a finger on a touch
screen. After every step it checks, with X's own xwininfo, that the window still covers the
screen exactly. Prints one JSON object: the steps, the window geometries seen, the receipt.
The steps themselves are tests/ui/session_steps.py's, shared with the test under cage.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QPoint  # noqa: E402

from kiosk.ui.main import Running, start  # noqa: E402
from tests.ui.session_steps import tap_through  # noqa: E402


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


def main() -> None:
    running = start(argparse.Namespace(config=None, windowed=False))
    result = tap_through(running, xdotool_tap, lambda _phase: x_geometry(running))
    print(json.dumps(result))
    running.stop()


if __name__ == "__main__":
    main()
