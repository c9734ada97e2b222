"""Corpus pages replayed through SANE's real `pnm` backend and the kiosk's scanner adapter,
then the page pipeline: what a page costs from the device to the encoded page."""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from drivers.scanner.protocol import ColorMode, ScannedPage, ScanRequest, Source
from drivers.scanner.sane_scanner import SaneScanner
from kiosk.services.pages.imaging import EncodedPage
from tests.bench.corpus import CorpusPage

ROOT = Path(__file__).resolve().parents[2]


def _pick(corpus: list[CorpusPage], count: int) -> list[CorpusPage]:
    """A colour text page, a gray one, a blank back, then the rest in corpus order."""
    tests: list[Callable[[CorpusPage], bool]] = [
        lambda p: p.mode == "color" and p.text is not None,
        lambda p: p.mode == "gray" and p.text is not None,
        lambda p: p.blank,
    ]
    firsts = [next((p for p in corpus if test(p)), None) for test in tests]
    chosen = [p for p in firsts if p is not None]
    chosen += [p for p in corpus if p not in chosen]
    return chosen[:count]


def replay(
    corpus: list[CorpusPage], count: int, encode: Callable[[ScannedPage], EncodedPage]
) -> dict[str, Any]:
    scan_ms: list[float] = []
    pipeline_ms: list[float] = []
    same_pixels = same_decisions = 0
    not_set: set[str] = set()
    chosen = _pick(corpus, count)
    with tempfile.TemporaryDirectory() as work:
        config = Path(work) / "sane"
        shutil.copytree(ROOT / "drivers" / "scanner" / "sane_config", config)
        dll = config / "dll.conf"
        dll.write_text(dll.read_text() + "pnm\n")
        scanner = SaneScanner(config, open_timeout=30, stall_timeout=20, page_timeout=120)
        for page in chosen:
            mode = ColorMode.COLOR if page.mode == "color" else ColorMode.GRAY
            request = ScanRequest(
                "pnm:0",
                Source.FLATBED,
                mode,
                300,
                page_options={0: {"filename": str(page.pnm_file())}},
            )
            start = time.perf_counter()
            (scanned,) = scanner.scan(request)
            scan_ms.append((time.perf_counter() - start) * 1000)
            not_set.update(str(n) for n in scanned.not_set)
            direct = page.scanned()
            same_pixels += bytes(scanned.pixels) == direct.pixels
            start = time.perf_counter()
            replayed = encode(scanned)
            pipeline_ms.append((time.perf_counter() - start) * 1000)
            same_decisions += replayed.report == encode(direct).report
    return {
        "pages": len(chosen),
        "names": [p.name for p in chosen],
        "scan_ms": statistics.median(scan_ms),
        "pipeline_ms": statistics.median(pipeline_ms),
        "same_pixels": same_pixels,
        "same_decisions": same_decisions,
        "not_set": "; ".join(sorted(not_set)) or "nothing",
    }
