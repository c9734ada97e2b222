"""Benchmark: feeder batches through the real scan worker and SANE's test backend for a
while, counting the batches the watchdog had to end ("hung").

What it watches for: a backend's reader thread cancelled while it frees its buffer dies
holding a malloc lock and the next step waits for ever (drivers/scanner/reader_threads.py).
Before the worker waited for the reader, that hung about one page in 6,000 at 150 dpi on a
loaded 2-core machine; the figure to look at is "hung" (0 expected), and pages per second.

Run: ./dev.sh bench   (or .venv/bin/python tests/bench/bench_scan_endurance.py
     [--seconds S] [--dpi D])
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from drivers.scanner.protocol import ColorMode, Hung, ScannerError, ScanRequest, Source  # noqa: E402
from drivers.scanner.sane_scanner import SaneScanner  # noqa: E402

SANE_CONFIG = ROOT / "drivers" / "scanner" / "sane_config"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--dpi", type=int, default=150)
    args = parser.parse_args()
    # The product's bounds, less the page bound: a hang shows after 20 s of silence.
    scanner = SaneScanner(SANE_CONFIG, stall_timeout=20, page_timeout=60)
    request = ScanRequest("test:0", Source.ADF, ColorMode.COLOR, args.dpi)
    outcomes: Counter[str] = Counter()
    pages = 0
    began = time.monotonic()
    while time.monotonic() - began < args.seconds:
        try:
            pages += len(scanner.scan(request))
            outcomes["complete"] += 1
        except Hung as err:
            pages += len(err.pages)
            outcomes["hung"] += 1
            print(f"  hung: {err}", flush=True)
        except ScannerError as err:
            pages += len(err.pages)
            outcomes[type(err).__name__] += 1
    took = time.monotonic() - began
    print(
        f"scan endurance ({args.dpi} dpi colour, feeder of 10): {pages} pages in "
        f"{sum(outcomes.values())} batches, {took:.0f} s ({pages / took:.1f} pages/s); "
        f"hung: {outcomes['hung']}; other faults: "
        f"{sum(n for k, n in outcomes.items() if k not in ('complete', 'hung'))}"
    )


if __name__ == "__main__":  # the scan worker's forkserver imports this module again
    main()
