"""The corpus through `kiosk pdf --json` (field support's and the benchmarks' command): one
process, every page, pinned to one core; its decisions against process_page's."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from kiosk.services.pages.imaging import PageReport
from tests.bench.corpus import CorpusPage

KIOSK = Path(sys.executable).parent / "kiosk"


def _one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})


def through_cli(corpus: list[CorpusPage], reports: list[PageReport | None]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as work:
        out = Path(work) / "out.pdf"
        env = {**os.environ, "OMP_NUM_THREADS": "1", "KIOSK_STATE_DIR": work}
        start = time.perf_counter()
        result = subprocess.run(
            [str(KIOSK), "pdf", "--json", *(p.path for p in corpus), "-o", str(out)],
            capture_output=True,
            text=True,
            env=env,
            preexec_fn=_one_core,
            timeout=1800,
        )
        seconds = time.perf_counter() - start
        size = out.stat().st_size if out.exists() else 0
    if result.returncode != 0:
        return {"pages": len(corpus), "error": f"exit {result.returncode}: {result.stderr[-300:]}"}
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    same = 0
    for line, report in zip(lines, reports, strict=False):
        if report is not None:
            same += (line["blank"], line["mode"], line["rotation"]) == (
                report.blank,
                report.mode,
                report.rotation,
            )
    return {
        "pages": len(corpus),
        "lines": len(lines),
        "ms_per_page": seconds * 1000 / len(corpus),
        "same_decisions": same,
        "pdf_kb": size / 1024,
    }
