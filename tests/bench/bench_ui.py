"""Benchmark of the touch UI: cold start to the ready start screen (a subprocess), peak
memory, and the longest GUI-thread stall during a 10-page scan and send (SANE test scanner).

Run: ./dev.sh bench   (or QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bench_ui.py)
Where a stall comes from: tests/bench/stall_probe.py runs the same session under a sampler.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from kiosk.ui.presenter.presenter import Presenter

COLD_START = """
import time; t0 = time.perf_counter()
from PySide6.QtWidgets import QApplication
from kiosk.core.session import LANGUAGES
from kiosk.ui.i18n.texts import load_texts
from kiosk.ui.window import Window
from kiosk.ui.presenter.view import View
from kiosk.core.session import Session
app = QApplication([])
catalogs = {l: load_texts(l) for l in LANGUAGES}
w = Window(kiosk_mode=False); w.resize(1920, 1080)
w.show_view(View(Session(), catalogs["de"], catalogs=catalogs)); w.show(); app.processEvents()
print(time.perf_counter() - t0)
"""


def cold_start() -> float:
    out = subprocess.run([sys.executable, "-c", COLD_START], capture_output=True, text=True)
    return float(out.stdout.strip().splitlines()[-1])


def open_session() -> tuple[QApplication, Presenter]:
    """The kiosk window on the SANE test scanner, delivering to a folder; started."""
    from PySide6.QtWidgets import QApplication

    from kiosk.core.session import LANGUAGES
    from kiosk.ui.i18n.texts import load_texts
    from kiosk.ui.presenter.presenter import Presenter
    from kiosk.ui.window import Window
    from tests.ui.driver import make_backend

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    work = Path(tempfile.mkdtemp())
    os.environ["KIOSK_STATE_DIR"] = str(work / "state")
    (work / "inbox").mkdir()
    backend = make_backend(ROOT / "drivers" / "scanner" / "sane_config", work / "inbox", [])
    catalogs = {lang: load_texts(lang) for lang in LANGUAGES}
    window = Window(kiosk_mode=False)
    window.resize(1920, 1080)
    window.show()
    presenter = Presenter(window, backend, catalogs)
    presenter.start()
    # The start-up health check (it also starts the scan workers' forkserver).
    wait_until(lambda: presenter.background.running == 0, lambda: "no health check result")
    return app, presenter


def wait_until(done: Callable[[], bool], why: Callable[[], str], timeout: float = 120.0) -> None:
    """Run the event loop as ``app.exec()`` would (asleep between events) until ``done()``.
    Spinning ``processEvents()`` instead would take the GIL and a core from the workers."""
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError(why())
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)


SWITCHES: list[tuple[str, float]] = []  # language switches on the review screen, 10 pages


def client_session(presenter: Presenter) -> float:
    """One client: language, case number, concern, a 10-page scan, send; seconds taken.

    A touch comes through the event loop, so the loop has its turn before and after each:
    feeding them back to back would add their renders up into one stall nobody sees."""
    from PySide6.QtWidgets import QApplication

    from kiosk.core import events as ev
    from kiosk.core.concerns import concern_by_key

    def touch(event: type[ev.Event], **fields: str) -> None:
        # Stamped with the presenter's clock: a session whose events were "at 0" looked
        # idle since boot, and the presenter's next tick timed it out (back to the start).
        QApplication.processEvents()
        presenter.dispatch(event(at=presenter.clock(), **fields))
        QApplication.processEvents()

    def reach(phase: str) -> None:
        wait_until(
            lambda: presenter.session.phase.value == phase,
            lambda: f"no {phase} screen; the session is at {presenter.session.phase.value}",
        )

    t0 = time.perf_counter()
    touch(ev.LanguageChosen, language="de")
    touch(ev.CaseEntered, raw="12345BG0012345")
    touch(ev.CaseConfirmed)
    touch(ev.ConcernChosen, concern=concern_by_key("sick"))
    touch(ev.ScanRequested)
    reach("review")
    for language in ("uk", "ar", "tr", "en", "de"):  # issue 11: under 300 ms on review
        started = time.perf_counter()
        touch(ev.LanguageChosen, language=language)
        SWITCHES.append((language, time.perf_counter() - started))
    touch(ev.SendRequested)
    reach("receipt")
    return time.perf_counter() - t0


def session_stall() -> tuple[float, float]:
    from PySide6.QtCore import Qt, QTimer

    _app, presenter = open_session()
    longest, last = 0.0, 0.0

    def beat() -> None:
        nonlocal longest, last
        now = time.perf_counter()
        longest, last = max(longest, now - last), now

    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.timeout.connect(beat)
    timer.start(10)
    last = time.perf_counter()
    total = client_session(presenter)
    timer.stop()
    presenter.stop()
    return longest, total


def main() -> None:
    start = cold_start()
    stall, total = session_stall()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"cold start to ready start screen: {start * 1000:.0f} ms")
    print(f"10-page scan + send (150 dpi gray, SANE test): {total:.2f} s")
    print(f"longest GUI-thread stall during it: {stall * 1000:.0f} ms")
    shown = ", ".join(f"{lang} {s * 1000:.0f}" for lang, s in SWITCHES)
    print(f"language switch on the review screen (10 pages), ms: {shown}")
    print(f"peak memory (maxrss): {peak:.0f} MiB")


if __name__ == "__main__":
    main()
