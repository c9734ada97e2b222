"""Benchmark: how soon the review screen is ready after the scanner's last sheet (issue 15:
"the review screen ready <= 1 s after the last sheet").

The real presenter and window (Qt's offscreen platform) on SANE's test scanner, 300 dpi
colour A4, as a client scans: a batch of 10 sheets from the feeder, then the review screen.
Measured from the moment the scanner hands over the batch's last page (its ``on_page``
callback, on the scan thread) to the first paint of the review screen showing every page
of the batch (in the window, on the GUI thread): the last page's trip through the page
pipeline, the scan job's end, the session's step and the review screen's render. The test
pictures alternate between batches: the grid (a sparse page) and the colour pattern (the
pipeline's worst case, a full-page colour JPEG). A warm-up session comes first (imports,
fonts, caches), as on a kiosk that has served a client already. The test scanner is paced
to a real scanner's speed (``--ppm``, default 60 pages a minute: a fast departmental feeder
such as a Fujitsu fi-7160 in colour at 300 dpi; ``--ppm 0``: flat out, pages queue).

Run: ./dev.sh bench   (or QT_QPA_PLATFORM=offscreen .venv/bin/python
tests/bench/bench_review_ready.py [--rounds 3] [--ppm 60])
Target: <= 1 s after the last sheet (median over the rounds, each picture).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

if TYPE_CHECKING:
    from kiosk.ui.presenter.presenter import Presenter

TARGET_S = 1.0
SHEETS = 10  # a batch: SANE's test scanner feeds 10 sheets


class LastSheet:
    """Wraps the kiosk's scanner: the time each page is handed over, the last one kept."""

    def __init__(self, scanner: Any) -> None:
        self.scanner, self.handed_over = scanner, 0.0
        self._scan = scanner.scan
        scanner.scan = self.scan

    def scan(self, request: Any, on_page: Any = None) -> Any:
        def page(*args: Any) -> Any:
            self.handed_over = time.perf_counter()
            return on_page(*args)

        return self._scan(request, page if on_page is not None else None)


def pace(ppm: float) -> dict[str, bool | int]:
    """The test backend's options that deliver an A4 300 dpi colour page in 60/ppm seconds:
    it waits after each 64 KiB it passes on. Flat out it is far faster than any scanner, and
    its pages queue for the page pipeline (the scan job makes it wait: AHEAD = 1)."""
    chunks = 2480 * 3508 * 3 / 65536
    delay_us = round(60 / ppm / chunks * 1e6 / 1000) * 1000
    return {"read-limit": True, "read-limit-size": 65536, "read-delay": True,
            "read-delay-duration": max(1000, min(200000, delay_us))}  # fmt: skip


def one_batch(presenter: Presenter, last: LastSheet) -> tuple[float, float, float, int]:
    """A client: a case, a concern, one batch from the feeder; returns the seconds from the
    last sheet's hand-over to the review screen's first paint, of which to the last page's
    arrival in the session (its trip through the page pipeline) and to the scan's end (the
    scanner's feeder found empty, the job closed), and the batch's page count."""
    from PySide6.QtWidgets import QApplication

    from kiosk.core import events as ev
    from kiosk.core.concerns import concern_by_key
    from kiosk.ui.watchdog import FirstPaint
    from tests.bench.bench_ui import wait_until

    def touch(event: ev.Event) -> None:
        QApplication.processEvents()
        presenter.dispatch(event)
        QApplication.processEvents()

    at = presenter.clock
    touch(ev.LanguageChosen(at=at(), language="de"))
    touch(ev.CaseEntered(at=at(), raw="12345BG0012345"))
    touch(ev.CaseConfirmed(at=at()))
    touch(ev.ConcernChosen(at=at(), concern=concern_by_key("renewal")))
    window = presenter.window
    review = window.screens["review"]
    painted: list[float] = []
    arrived: dict[str, float] = {}
    dispatch = presenter.runner.dispatch

    def noted(event: ev.Event) -> None:  # on the GUI thread, as the presenter gets them
        if isinstance(event, ev.PageScanned | ev.ScanFinished):
            arrived[type(event).__name__] = time.perf_counter()
        dispatch(event)

    presenter.runner.dispatch = noted  # the scan job reports through the runner
    FirstPaint(window, lambda: painted.append(time.perf_counter()), review)
    touch(ev.ScanRequested(at=at()))
    wait_until(lambda: bool(painted), lambda: "the review screen never painted", timeout=600)
    pages = len(presenter.session.pages)
    assert presenter.session.phase.value == "review" and window.current is review, pages
    presenter.runner.dispatch = dispatch
    start = last.handed_over
    seconds = painted[0] - start
    page, finished = arrived["PageScanned"] - start, arrived["ScanFinished"] - start
    touch(ev.Cancelled(at=at()))  # the next client starts afresh
    wait_until(lambda: presenter.session.phase.value == "idle", lambda: "not idle")
    return seconds, page, finished, pages


def main() -> None:
    from tests.bench.bench_memory import PICTURES, open_presenter

    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--ppm", type=float, default=60, help="the scanner's pace, 0: flat out")
    args = parser.parse_args()
    # open_presenter's batches: a 1-sheet warm-up, then batches of SHEETS sheets (the test
    # scanner's feeder), alternating the grid and the colour pattern; each is one client.
    presenter = open_presenter(SHEETS * 2 * args.rounds)
    last = LastSheet(presenter.backend.station.kiosk.scanner)  # type: ignore[attr-defined]
    if args.ppm:
        for options in presenter.backend._batch_options:  # type: ignore[attr-defined]
            options.setdefault(0, {}).update(pace(args.ppm))
    one_batch(presenter, last)  # the warm-up session (1 sheet)
    results: dict[str, list[tuple[float, float, float]]] = {picture: [] for picture in PICTURES}
    for round_ in range(args.rounds * 2):
        seconds, page, finished, pages = one_batch(presenter, last)
        picture = PICTURES[round_ % 2]
        results[picture].append((seconds, page, finished))
        print(f"  {picture:14s} {pages:3d} pages: review painted {seconds * 1000:4.0f} ms after "
              f"the last sheet (its page in the session at {page * 1000:.0f}, the scan's end "
              f"at {finished * 1000:.0f})")  # fmt: skip
    presenter.stop()
    speed = f"paced to {args.ppm:g} pages a minute" if args.ppm else "flat out"
    print(f"review screen after the last sheet, {args.rounds} batches of {SHEETS} sheets per "
          f"picture, the test scanner {speed}:")  # fmt: skip
    for picture, rows in results.items():
        values = [row[0] for row in rows]
        median = statistics.median(values)
        verdict = "PASS" if median <= TARGET_S else "MISS"
        print(f"  {verdict}  {picture:14s} median {median * 1000:5.0f} ms "
              f"(max {max(values) * 1000:.0f}; target <= {TARGET_S * 1000:.0f}); the last "
              f"page's pipeline {statistics.median(r[1] for r in rows) * 1000:.0f} ms, the "
              f"scan's end {statistics.median(r[2] for r in rows) * 1000:.0f}")  # fmt: skip


if __name__ == "__main__":
    main()
