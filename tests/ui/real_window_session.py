"""A whole client session in the real kiosk window, tapped through X with xdotool.

Run by tests/ui/test_real_window.py inside an X server (Xvfb) with no window manager:
``kiosk.ui.main.start()`` builds the kiosk exactly as ``kiosk run`` does (embedded
defaults: the SANE test scanner, a folder inbox in KIOSK_STATE_DIR), on Qt's xcb platform.
This script only finds where a button is and asks the X server to click there: the click
arrives as a real pointer event, through the window system, like a finger on a touch
screen. After every step it checks, with X's own xwininfo, that the window still covers the
screen exactly. Prints one JSON object: the steps, the window geometries seen, the receipt.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QPoint  # noqa: E402
from PySide6.QtWidgets import QAbstractButton, QApplication  # noqa: E402

from kiosk.ui.main import Running, start  # noqa: E402
from tests.ui.layout_rules import clipped_text, cut_off, overlaps, shown  # noqa: E402


def settle(seconds: float = 0.15) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.01)


def wait_for(
    what: str, ready: Callable[[], bool], timeout: float = 60, state: Callable[[], str] = str
) -> None:
    end = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > end:
            raise SystemExit(f"timed out waiting for {what} ({state()})")
        settle(0.05)


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


def button(running: Running, text: str) -> QAbstractButton:
    for widget in running.window.findChildren(QAbstractButton):
        usable = widget.isVisible() and widget.isEnabled()
        if usable and text in (widget.text(), widget.accessibleName()):
            return widget
    shown = [
        (b.text(), b.accessibleName(), b.isEnabled())
        for b in running.window.findChildren(QAbstractButton)
        if b.isVisible()
    ]
    raise SystemExit(
        f"no visible button {text!r} on {running.presenter.session.phase.value}: {shown}"
    )


def tap(running: Running, text: str) -> None:
    target = button(running, text)
    centre = target.mapToGlobal(QPoint(target.width() // 2, target.height() // 2))
    subprocess.run(
        ["xdotool", "mousemove", "--sync", str(centre.x()), str(centre.y()), "click", "1"],
        check=True,
    )
    settle()


def main() -> None:
    args = argparse.Namespace(config=None, windowed=False)
    running = start(args)
    phase = lambda: running.presenter.session.phase.value  # noqa: E731
    seen: dict[str, tuple[int, int, int, int]] = {}
    steps: list[str] = []
    problems: dict[str, list[str]] = {}

    def look(name: str) -> None:
        """Where X has the window, and what a client cannot read or reach on it."""
        seen[name] = x_geometry(running)
        widgets = list(shown(running.window))
        found = clipped_text(widgets) + cut_off(widgets, running.window)
        found += overlaps(widgets, running.window)
        if found:
            problems[name] = found

    def step(text: str, then: str) -> None:
        tap(running, text)
        wait_for(then, lambda: phase() == then)
        steps.append(f"{text} -> {then}")
        look(then)

    wait_for("the start screen", lambda: running.window.isVisible())
    settle(0.5)
    look("idle")
    step("Deutsch", "identify")
    tap(running, "Starten")  # the picture-led explanation comes first
    for key in ("1", "2", "3", "4", "5", "BG", "1", "2", "3", "4", "5"):
        tap(running, key)
    step("Weiter", "confirm")
    step("Ja, das ist meine Nummer", "concern")
    step("Ich bin krank", "scan")
    tap(running, "Scannen")
    wait_for(
        "the review screen",
        lambda: phase() == "review",
        timeout=120,
        state=lambda: f"{phase()}, problem {running.presenter.session.scan_problem}",
    )
    settle(0.3)
    look("review")
    pages = len(running.presenter.session.pages)
    send = next(
        b.accessibleName()
        for b in running.window.findChildren(QAbstractButton)
        if b.isVisible() and b.accessibleName().endswith("senden")
    )
    step(send, "receipt")
    receipt = running.presenter.session.receipt
    screen = running.app.primaryScreen().geometry()
    print(
        json.dumps(
            {
                "screen": [screen.x(), screen.y(), screen.width(), screen.height()],
                "windows": seen,
                "problems": problems,
                "steps": steps,
                "pages": pages,
                "receipt": receipt.receipt_id if receipt else None,
            }
        )
    )
    running.stop()


if __name__ == "__main__":
    main()
