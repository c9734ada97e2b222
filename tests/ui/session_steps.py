"""One whole client session in the real kiosk window, for the real-window tests.

Shared by tests/ui/real_window_session.py (Xvfb, taps through X with xdotool) and
tests/ui/cage_session.py (cage, taps through Qt's window-system input): each gives a way to
tap at a point of the screen and a way to see where the window system has the window; the
steps, and what a client must be able to read and reach at each, are the same.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QPoint
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from kiosk.ui.main import Running
from tests.ui.layout_rules import clipped_text, cut_off, overlaps, shown

# Every phase the session passes, in order: the window is looked at in each.
PHASES = ("idle", "identify", "confirm", "concern", "scan", "review", "receipt")


def settle(seconds: float = 0.15) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.01)


def laid_out(window: QWidget) -> None:
    """Carry out the pending layout requests, as Qt does before it paints. One round lays
    out one level: a layout whose size changes asks its parent's layout in a new request, so
    a label takes as many rounds as it has widgets above it; as many as the deepest has."""
    levels = max((_depth(child, window) for child in window.findChildren(QWidget)), default=0)
    for _ in range(levels + 1):
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)


def _depth(widget: QWidget, top: QWidget) -> int:
    depth, above = 0, widget.parentWidget()
    while above is not None and widget is not top:
        widget, above, depth = above, above.parentWidget(), depth + 1
    return depth


def layout_problems(running: Running) -> list[str]:
    """What a client cannot read or reach on the window now: measured once the layout
    requests still pending are carried out, as Qt carries them out before it paints. The
    screen's words may change in the very turn of the event loop that ended a wait (the
    receipt printer answering while the screen settled): measured at once, a label would be
    measured against the old words' layout, a frame nobody ever sees."""
    laid_out(running.window)
    widgets = list(shown(running.window))
    found = clipped_text(widgets) + cut_off(widgets, running.window)
    return found + overlaps(widgets, running.window)


def wait_for(
    what: str, ready: Callable[[], bool], timeout: float = 60, state: Callable[[], str] = str
) -> None:
    """Until ``ready()``, then until the screen has settled: the state changes in the same
    event as the screen's words, and Qt lays the new words out in the next turns of the
    event loop; a check or a tap right away would see the old layout."""
    end = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > end:
            raise SystemExit(f"timed out waiting for {what} ({state()})")
        settle(0.05)
    settle(0.3)


def button(running: Running, text: str) -> QAbstractButton:
    for widget in running.window.findChildren(QAbstractButton):
        usable = widget.isVisible() and widget.isEnabled()
        if usable and text in (widget.text(), widget.accessibleName()):
            return widget
    visible = [
        (b.text(), b.accessibleName(), b.isEnabled())
        for b in running.window.findChildren(QAbstractButton)
        if b.isVisible()
    ]
    raise SystemExit(
        f"no visible button {text!r} on {running.presenter.session.phase.value}: {visible}"
    )


def centre(target: QAbstractButton) -> QPoint:
    """The middle of a button, in screen coordinates: where a finger would go."""
    return target.mapToGlobal(QPoint(target.width() // 2, target.height() // 2))


def tap_through(
    running: Running,
    tap_at: Callable[[QPoint], None],
    where: Callable[[str], Any],
) -> dict[str, Any]:
    """Tap a client's session through, from the start screen to the receipt: a language,
    the case number on the keypad, the concern, a scan of the test scanner's 10 pages,
    send. ``tap_at`` taps a point of the screen (through the window system); ``where`` is
    called once per phase and returns where the window system has the window then.
    Returns what was seen: the window per phase, layout problems, steps, pages, receipt."""

    def phase() -> str:
        return running.presenter.session.phase.value

    seen: dict[str, Any] = {}
    steps: list[str] = []
    problems: dict[str, list[str]] = {}

    def look(name: str) -> None:
        """Where the window system has the window, and what a client cannot read or reach."""
        seen[name] = where(name)
        found = layout_problems(running)
        if found:
            problems[name] = found

    def tap(text: str) -> None:
        tap_at(centre(button(running, text)))
        settle()

    def step(text: str, then: str) -> None:
        tap(text)
        wait_for(then, lambda: phase() == then)
        steps.append(f"{text} -> {then}")
        look(then)

    wait_for("the start screen", lambda: running.window.isVisible())
    settle(0.5)
    look("idle")
    step("Deutsch", "identify")
    tap("Starten")  # the picture-led explanation comes first
    for key in ("1", "2", "3", "4", "5", "BG", "1", "2", "3", "4", "5"):
        tap(key)
    step("Weiter", "confirm")
    step("Ja, das ist meine Nummer", "concern")
    step("Ich bin krank", "scan")
    tap("Scannen")
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
    return {
        "platform": running.app.platformName(),
        "screen": [screen.x(), screen.y(), screen.width(), screen.height()],
        "windows": seen,
        "problems": problems,
        "steps": steps,
        "pages": pages,
        "receipt": receipt.receipt_id if receipt else None,
    }
