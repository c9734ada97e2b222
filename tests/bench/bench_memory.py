"""Benchmark: the touch UI's memory over a long session. The real presenter and window
(offscreen) on SANE's test scanner, 300 dpi colour A4, batches of 10 sheets (its feeder),
one page opened large, sent, finished: RSS before the session, its peak, held with every
page on the review screen, and after the session ended (wiped), against the same session
with 1 page in the same run. Each session runs in a subprocess of its own: clean numbers.

Run: ./dev.sh bench   (or QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bench_memory.py
[--pages 100])
Targets (issue 15): retained <= 0.5 MiB per page, peak <= 400 MiB for 100 pages, after the
session within 20 MiB of before.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.core.records import replace

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

if TYPE_CHECKING:
    from kiosk.ui.presenter.presenter import Presenter

MIB = 2**20
# Batches alternate the test scanner's pictures: a grid (a sparse page) and its colour
# pattern (a JPEG worst case), each for a whole batch of 10 sheets.
PICTURES = ("Grid", "Color pattern")


def status(field: str) -> float:
    """VmRSS or VmHWM (peak) of this process, MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise LookupError(field)


def reset_peak() -> None:
    """From here VmHWM is the peak of what follows (Linux: clear_refs 5)."""
    Path("/proc/self/clear_refs").write_text("5")


def open_presenter(pages: int) -> Presenter:
    from PySide6.QtWidgets import QApplication

    from drivers.scanner.protocol import ColorMode
    from kiosk.app import build, embedded_config
    from kiosk.core.session import LANGUAGES
    from kiosk.station import Station
    from kiosk.ui.i18n.texts import load_texts
    from kiosk.ui.presenter.backend import KioskBackend
    from kiosk.ui.presenter.presenter import Presenter
    from kiosk.ui.window import Window
    from tests.bench.bench_ui import wait_until

    QApplication.instance() or QApplication([])
    work = Path(tempfile.mkdtemp())
    os.environ["KIOSK_STATE_DIR"] = str(work / "state")
    (work / "inbox").mkdir()
    config = embedded_config()
    scanner = replace(
        config.scanner,
        sane_config_dir=ROOT / "drivers" / "scanner" / "sane_config",
        resolution=300,
        mode=ColorMode.COLOR,
    )
    kiosk = build(replace(config, scanner=scanner), embedded=True)
    one: dict[int, dict[str, str | int | float | bool]] = {
        0: {"test-picture": PICTURES[0]},
        1: {"read-return-value": "SANE_STATUS_NO_DOCS"},  # the feeder is empty after 1 sheet
    }
    full = [{0: {"test-picture": PICTURES[i % 2]}} for i in range(-(-pages // 10))]
    batches = [one, *([one] if pages == 1 else full)]  # the warm-up, then the session
    backend = KioskBackend(
        Station(kiosk), inbox=(work / "inbox").as_uri() + "/", batch_options=batches
    )
    window = Window(kiosk_mode=False)
    window.resize(1920, 1080)
    window.show()
    presenter = Presenter(window, backend, {lang: load_texts(lang) for lang in LANGUAGES})
    presenter.start()
    wait_until(lambda: presenter.background.running == 0, lambda: "no health check result")
    return presenter


def session(presenter: Presenter, pages: int) -> tuple[float, float, float]:
    """One client: a case, a concern, ``pages`` pages in batches, one opened large, sent,
    finished. Returns RSS on the review screen with every page, and the encoded pages'
    and thumbnails' bytes then (MiB)."""
    from PySide6.QtWidgets import QApplication

    from kiosk.core import events as ev
    from kiosk.core.concerns import concern_by_key
    from kiosk.ui.presenter import intents as do
    from tests.bench.bench_ui import wait_until

    def touch(event: ev.Event) -> None:
        QApplication.processEvents()
        presenter.dispatch(event)
        QApplication.processEvents()

    def reach(phase: str) -> None:
        wait_until(
            lambda: presenter.session.phase.value == phase and presenter.background.running == 0,
            lambda: f"no {phase}; at {presenter.session.phase.value}",
            timeout=1800,
        )

    at = presenter.clock
    touch(ev.LanguageChosen(at=at(), language="de"))
    touch(ev.CaseEntered(at=at(), raw="12345BG0012345"))
    touch(ev.CaseConfirmed(at=at()))
    touch(ev.ConcernChosen(at=at(), concern=concern_by_key("renewal")))
    while True:
        touch(ev.ScanRequested(at=at()))
        reach("review")
        if len(presenter.session.pages) >= pages:
            break
        touch(ev.MorePagesRequested(at=at()))
    middle = presenter.session.pages[len(presenter.session.pages) // 2].page_id
    presenter.handle(do.OpenPage(middle))
    wait_until(lambda: presenter.large.image is not None, lambda: "no large picture")
    presenter.handle(do.ClosePage())
    QApplication.processEvents()
    held = status("VmRSS")
    stored = [presenter.store.get(p.page_id) for p in presenter.session.pages]
    encoded = sum(len(s.encoded.data) for s in stored if s is not None) / MIB
    thumbnails = sum(s.thumbnail.sizeInBytes() for s in stored if s is not None) / MIB
    touch(ev.SendRequested(at=at()))
    reach("receipt")
    touch(ev.Finished(at=at()))
    reach("idle")
    return held, encoded, thumbnails


def settle() -> None:
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    for _ in range(3):
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QApplication.processEvents()
    gc.collect()
    from kiosk.ui.presenter.presenter import GIVE_BACK_MS

    deadline = time.monotonic() + GIVE_BACK_MS / 1000 + 0.5  # the presenter gives back
    while time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.05)
    if os.environ.get("BENCH_TRIM"):
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)


def run(pages: int) -> dict[str, float]:
    """In this process: a warm-up session of 1 page (imports, fonts, caches), then the
    measured one."""
    presenter = open_presenter(pages)
    session(presenter, 1)
    settle()
    before = status("VmRSS")
    reset_peak()
    started = time.perf_counter()
    held, encoded, thumbnails = session(presenter, pages)
    seconds = time.perf_counter() - started
    peak = status("VmHWM")
    settle()
    after = status("VmRSS")
    presenter.stop()
    return {"pages": pages, "before": before, "held": held, "peak": peak, "after": after,
            "seconds": seconds, "encoded": encoded, "thumbnails": thumbnails}  # fmt: skip


def measured(pages: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--run", str(pages)],
        stdout=subprocess.PIPE, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--run", type=int, help=argparse.SUPPRESS)  # the subprocess
    args = parser.parse_args()
    if args.run is not None:
        print(json.dumps(run(args.run)))
        return
    one, many = measured(1), measured(args.pages)
    print(f"UI memory, 300 dpi colour A4, SANE test scanner ({args.pages} pages vs 1), MiB:")
    print(f"{'pages':>6} {'before':>8} {'held':>8} {'peak':>8} {'after':>8} {'after-before':>13}")
    for r in (one, many):
        print(
            f"{r['pages']:>6.0f} {r['before']:>8.1f} {r['held']:>8.1f} {r['peak']:>8.1f}"
            f" {r['after']:>8.1f} {r['after'] - r['before']:>+13.1f}"
        )
    per_page = (many["held"] - one["held"]) / (many["pages"] - one["pages"])
    print(f"retained per page (held, {args.pages} vs 1 page): {per_page:.2f} MiB (target <= 0.5)")
    ui = (many["held"] - one["held"] - many["encoded"] + one["encoded"]) / (
        many["pages"] - one["pages"]
    )
    print(
        f"  of it the encoded page: {many['encoded'] / many['pages']:.2f} MiB/page (its content's),"
        f" the UI's own (thumbnail, tile, rest): {ui:.2f} MiB/page"
        f" (thumbnails alone {many['thumbnails'] / many['pages']:.2f})"
    )
    print(f"peak for {args.pages} pages: {many['peak']:.0f} MiB (target <= 400)")
    print(f"after the session: {many['after'] - many['before']:+.1f} MiB (target within 20)")
    print(f"session time: {many['seconds']:.0f} s for {args.pages} pages")


if __name__ == "__main__":
    main()
