"""Soak benchmark: does the scanner watchdog ever trip on a healthy scanner? (issue 9)

Each run is one whole submission through the real path: SaneScanner (SANE's test backend,
drivers/scanner/sane_config, feeder, 10 pages, the product's default timeouts: open 30 s, stall
20 s, page 180 s) -> scan_encoded -> submit into an Outbox (a Vault of a random key) that
delivers to a file:// inbox in a temp dir. Every second run has the CPU busy: two
busy-loop processes, one per core of the 2-core machines here, started before the run and
stopped after it (interleaved, so the machine's other load hits both halves alike).

The product's own setting by default, A4 at 300 dpi colour (26 MB a page through the
pipe, a colour JPEG encode per page competing for the CPU): about 1.5 s a run here, 2 s
under load, so 200 runs take 6 to 8 minutes on 2 cores. --dpi 150 --mode gray is 3x
quicker and shows the watchdog the same protocol (configured, pages, heartbeats).

Run: .venv/bin/python tests/bench/bench_soak.py [--runs N] [--dpi D] [--mode color|gray|bw]
Prints figures, asserts nothing. The goal for watchdog trips (Hung) is 0.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from drivers.scanner import sane_scanner  # noqa: E402
from drivers.scanner.protocol import ColorMode, ScanRequest, Source  # noqa: E402
from drivers.scanner.sane_scanner import SaneScanner  # noqa: E402
from kiosk.core.concerns import concern_by_key  # noqa: E402
from kiosk.core.faults import Fault  # noqa: E402
from kiosk.core.identity import parse_case_number  # noqa: E402
from kiosk.services.pages.scanjob import ScanStopped, scan_encoded  # noqa: E402
from kiosk.services.routing.table import Route  # noqa: E402
from kiosk.services.spool.outbox import Outbox  # noqa: E402
from kiosk.services.spool.vault import Vault  # noqa: E402
from kiosk.services.submission import submit  # noqa: E402

SANE_CONFIG = ROOT / "drivers" / "scanner" / "sane_config"
CASE = parse_case_number("12345BG0012345")
PAGES = 10  # the test backend's feeder is "empty" after 10 sheets
BURNERS = 2


@dataclass
class Run:
    loaded: bool
    seconds: float
    pages: int
    outcome: str  # "ok", "hung", or what else went wrong
    detail: str = ""
    longest_wait: float = 0.0  # the longest the watchdog waited for any message


# -- CPU load ------------------------------------------------------------------------------


def _burn(ready: Connection) -> None:
    ready.send("burning")
    ready.close()
    while True:
        pass


@contextmanager
def cpu_load(on: bool) -> Iterator[None]:
    """Two busy-loop processes for the duration, once both are really running."""
    if not on:
        yield
        return
    ctx = multiprocessing.get_context("spawn")
    procs = []
    for _ in range(BURNERS):
        receive, send = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_burn, args=(send,), daemon=True)
        proc.start()
        send.close()
        if not receive.poll(30):
            raise RuntimeError("a load process did not start")
        receive.recv()
        receive.close()
        procs.append(proc)
    try:
        yield
    finally:
        for proc in procs:
            proc.kill()
        for proc in procs:
            proc.join()


# -- how long the watchdog waited ----------------------------------------------------------

_waits: list[float] = []


def _watch_waits() -> None:
    """Time every wait of the watchdog for the next message (a heartbeat counts): the
    largest one says how close a run came to the 20 s stall timeout."""
    wait = sane_scanner._Worker._wait

    def timed(self: Any) -> None:
        started = time.monotonic()
        try:
            wait(self)
        finally:
            _waits.append(time.monotonic() - started)

    sane_scanner._Worker._wait = timed  # type: ignore[method-assign]


# -- one submission ------------------------------------------------------------------------


def one_run(scanner: SaneScanner, work: Path, loaded: bool, mode: ColorMode, dpi: int) -> Run:
    inbox = work / "inbox"
    inbox.mkdir(parents=True)
    outbox = Outbox(work / "outbox", Vault(os.urandom(32)))
    request = ScanRequest("test:0", Source.ADF, mode, dpi)
    _waits.clear()
    with cpu_load(loaded):
        started = time.perf_counter()
        try:
            pages = scan_encoded(scanner, request)
            outcome = submit(
                outbox,
                CASE,
                concern_by_key("renewal"),
                pages,
                kiosk_id="soak",
                route=Route(inbox.as_uri(), "soak"),
                scanned_at=datetime.now().astimezone(),
                pseudonym_key=os.urandom(32),
            )
        except ScanStopped as err:
            kind = "hung" if err.fault is Fault.HUNG else f"scan stopped: {err.fault.value}"
            seconds = time.perf_counter() - started
            return Run(loaded, seconds, len(err.pages), kind, err.detail, max(_waits, default=0))
        except Exception as err:  # anything else is a finding too, not a crash of the soak
            seconds = time.perf_counter() - started
            return Run(loaded, seconds, 0, type(err).__name__, str(err), max(_waits, default=0))
        seconds = time.perf_counter() - started
    longest = max(_waits, default=0.0)
    if not outcome.delivery.delivered:
        return Run(
            loaded, seconds, len(pages), "not delivered", str(outcome.delivery.error), longest
        )
    landed = [p for p in inbox.rglob("*") if p.is_file()]
    if not landed:
        return Run(loaded, seconds, len(pages), "nothing in the inbox", "", longest)
    return Run(loaded, seconds, len(pages), "ok", "", longest)


# -- report --------------------------------------------------------------------------------


def p95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def report(runs: list[Run], wall: float) -> None:
    print()
    print(
        f"{len(runs)} runs, {sum(r.loaded for r in runs)} under load "
        f"({BURNERS} busy-loop processes, {os.cpu_count()} cores), wall {wall / 60:.1f} min"
    )
    print(
        f"{'':<11} {'runs':>5} {'hung':>5} {'other':>6} {'pages!=10':>10} "
        f"{'median s':>9} {'p95 s':>7} {'max s':>7} {'longest wait s':>15}"
    )
    for label, group in (
        ("no load", [r for r in runs if not r.loaded]),
        ("under load", [r for r in runs if r.loaded]),
        ("all", runs),
    ):
        if not group:
            continue
        seconds = [r.seconds for r in group if r.outcome == "ok"] or [float("nan")]
        print(
            f"{label:<11} {len(group):5d} {sum(r.outcome == 'hung' for r in group):5d} "
            f"{sum(r.outcome not in ('ok', 'hung') for r in group):6d} "
            f"{sum(r.pages != PAGES for r in group):10d} "
            f"{statistics.median(seconds):9.2f} {p95(seconds):7.2f} {max(seconds):7.2f} "
            f"{max(r.longest_wait for r in group):15.2f}"
        )
    pages = Counter(r.pages for r in runs)
    print(
        "pages per run: " + ", ".join(f"{n} pages x{count}" for n, count in sorted(pages.items()))
    )
    hung = sum(r.outcome == "hung" for r in runs)
    print(f"watchdog trips (Hung): {hung} (goal 0)")
    for index, run in enumerate(runs, 1):
        if run.outcome != "ok":
            load = "under load" if run.loaded else "no load"
            print(f"  run {index} ({load}): {run.outcome}: {run.detail} [{run.pages} pages]")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--dpi", type=int, default=300)
    parser.add_argument("--mode", type=ColorMode, default=ColorMode.COLOR)
    args = parser.parse_args()
    print(
        f"soak: {args.runs} submissions, ADF {PAGES} pages A4 {args.dpi} dpi {args.mode.value}, "
        f"SANE test backend; odd runs under load"
    )
    _watch_waits()
    scanner = SaneScanner(SANE_CONFIG)  # the product's defaults: 30 / 20 / 180 s
    print(
        f"timeouts: open {scanner.open_timeout:g} s, stall {scanner.stall_timeout:g} s, "
        f"page {scanner.page_timeout:g} s",
        flush=True,
    )
    runs: list[Run] = []
    began = time.monotonic()
    for index in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            runs.append(one_run(scanner, Path(tmp), index % 2 == 1, args.mode, args.dpi))
        if (index + 1) % 20 == 0 or runs[-1].outcome != "ok":
            done = runs[-1]
            print(
                f"  {index + 1}/{args.runs} runs, last: {done.outcome} "
                f"{done.seconds:.2f} s{' (load)' if done.loaded else ''}",
                flush=True,
            )
    report(runs, time.monotonic() - began)


if __name__ == "__main__":
    main()
