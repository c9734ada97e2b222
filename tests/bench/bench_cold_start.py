"""Benchmark: `kiosk run`'s own start path, from the first import to the painted start screen.

Each run is a fresh interpreter (nothing cached in memory) that imports `kiosk.ui.main`,
calls `start()` (the configuration found or the embedded defaults, the station, the
delivery worker, peripherals, every catalog, the window, the presenter) and processes
events once, so the start screen has been laid out and painted. Printed: each phase's
median over RUNS, and a bare PySide6 window in the same interpreter state as the baseline.

Run: .venv/bin/python tests/bench/bench_cold_start.py [RUNS]
"""

from __future__ import annotations

import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

KIOSK = """
import json, time; t0 = time.perf_counter()
import argparse
from kiosk.ui.main import start
t1 = time.perf_counter()
running = start(argparse.Namespace(config=None, windowed=True))
running.app.processEvents()
t2 = time.perf_counter()
running.stop()
print(json.dumps({"import": t1 - t0, "start": t2 - t1, "total": t2 - t0}))
"""

BARE = """
import json, time; t0 = time.perf_counter()
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([]); w = QLabel("Willkommen"); w.resize(1920, 1080); w.show()
app.processEvents()
print(json.dumps({"total": time.perf_counter() - t0}))
"""


def measure(code: str, env: dict[str, str]) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT
    )
    if out.returncode != 0:
        raise SystemExit(out.stderr[-2000:])
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    # An installed kiosk runs from compiled bytecode (the package compiles it); a checkout
    # with PYTHONDONTWRITEBYTECODE would otherwise measure the compiler too.
    for package in ("kiosk", "drivers"):
        compileall.compile_dir(ROOT / package, quiet=1)
    with tempfile.TemporaryDirectory() as state:
        env = {**os.environ, "KIOSK_STATE_DIR": state, "QT_QPA_PLATFORM": "offscreen"}
        env.pop("KIOSK_CONFIG", None)
        measure(KIOSK, env)  # first run creates the state dir's keys: not a cold start
        kiosk = [measure(KIOSK, env) for _ in range(runs)]
        bare = [measure(BARE, env)["total"] for _ in range(runs)]
    for phase in ("import", "start", "total"):
        values = [r[phase] for r in kiosk]
        print(
            f"kiosk run, {phase:6}: median {statistics.median(values) * 1000:5.0f} ms "
            f"(min {min(values) * 1000:.0f}, max {max(values) * 1000:.0f}, {runs} runs)"
        )
    total = statistics.median(r["total"] for r in kiosk)
    base = statistics.median(bare)
    print(f"bare PySide6 window: median {base * 1000:5.0f} ms")
    print(f"ratio kiosk / bare window: {total / base:.2f}")


if __name__ == "__main__":
    main()
