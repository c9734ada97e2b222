"""Benchmark: the kiosk's page pipeline against lossless and colour JPEG q75, on the
generated corpus (tests/bench/corpus.py), all three in the same run.

Run: .venv/bin/python tests/bench/bench_pages.py [--pages N | --names PAGE...] [--session N]
     [--pnm N] [--no-cli] [--json FILE]
Pinned to one CPU core, OpenCV and OpenMP single-threaded. Not a test: it prints tables.
About 6 minutes for the whole corpus on a quiet 2-core machine; --pages 6 for a quick look.

Pipelines: "kiosk" is kiosk.services.pages.pipeline.process_page(page, mode="auto") and
build_pdf (falls back to imaging.encode_page where the pipeline is missing, and says so);
"lossless" embeds a PNG of the scan (Flate, via img2pdf); "jpeg q75" embeds a colour JPEG
at quality 75, a typical scan app's default (gray scans stay gray), via img2pdf.

Measured the same way on every pipeline's PDF (tests/bench/pages_measure.py): each page's
bytes (its streams plus an equal share of the rest of the file); the page at 300 dpi gray
as a viewer shows it (its one image decoded, else pdftoppm's render), read by tesseract
-l deu --psm 6: CER = edit distance / length of the ground truth after whitespace
normalisation; line CER = each ground-truth line against its best match anywhere in the
OCR text (what OCR adds from a photo or a signature does not count); the stamp's words
(4+ letters, one typo allowed) in that text; the residual skew by one projection-profile
meter (its own error on the lossless inputs, whose skew is known, is printed as its
calibration). "ref" is the lossless scan turned upright by the known rotation: the CER
targets compare with it, page by page.
Upright: the pipeline's reported turn matches the known one (the baselines never turn).
ms/page: the encode of one page (kiosk: the whole process_page), median, on one core.
Memory: a --session-page colour session in a fresh process (pages held as encoded, then
the PDF): peak RSS, and RSS after everything is dropped, against before; "loading" is the
peak after the harness alone has read one scan from its PNM (not the kiosk's doing).
Also: --pnm pages replayed through SANE's real `pnm` backend and the kiosk's SaneScanner
(scan and pipeline time; same pixels and decisions as direct), and the whole corpus through
`kiosk pdf --json` (its decisions against process_page's).
"""

from __future__ import annotations

import os

for _name in ("OMP_NUM_THREADS", "OMP_THREAD_LIMIT", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import argparse  # noqa: E402
import ctypes  # noqa: E402
import gc  # noqa: E402
import hashlib  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import cv2  # noqa: E402
import img2pdf  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from drivers.scanner.protocol import ScannedPage  # noqa: E402
from kiosk.services.pages.imaging import EncodedPage, PageReport, encode_page  # noqa: E402
from kiosk.services.pages.pdf import DocumentInfo, build_pdf  # noqa: E402
from tests.bench import pages_measure as measure  # noqa: E402
from tests.bench.corpus import SPECS, CorpusPage, pages  # noqa: E402
from tests.bench.pages_report import print_report  # noqa: E402

INFO = DocumentInfo(
    "Benchmark", "12345BG0012345", "other", "bench-1", "R-0001", datetime(2026, 12, 1, tzinfo=UTC)
)


ALL_CORES = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else set()


def pin_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    cv2.setNumThreads(1)


def kiosk_encoder() -> tuple[str, Callable[[ScannedPage], EncodedPage]]:
    try:
        from kiosk.services.pages.pipeline import process_page
    except ImportError:
        return "kiosk (encode_page)", encode_page
    return "kiosk", lambda page: process_page(page, mode="auto")


def pipeline_version() -> str:
    """HEAD and a hash of the page code as it is on disk (the lead commits later)."""
    sources = sorted((ROOT / "kiosk/services/pages").rglob("*.py"))
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in sources)).hexdigest()[:10]
    head = subprocess.run(
        ["git", "-C", str(ROOT), "log", "-1", "--format=%h %cs"], capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "kiosk/services/pages"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return f"HEAD {head}, kiosk/services/pages sha256 {digest}" + (
        " (uncommitted changes)" if dirty else ""
    )


@dataclass
class Run:
    """One pipeline over the corpus: its PDF, per-page encode times and reports."""

    label: str
    pdf: bytes = b""
    ms: list[float] = field(default_factory=list)
    reports: list[PageReport | None] = field(default_factory=list)
    pdf_ms: float = 0.0


def _png(page: ScannedPage) -> bytes:
    out = io.BytesIO()
    _image(page).save(out, "PNG", dpi=(page.dpi, page.dpi))
    return out.getvalue()


def _jpeg75(page: ScannedPage) -> bytes:
    out = io.BytesIO()
    _image(page).save(out, "JPEG", quality=75, dpi=(page.dpi, page.dpi))
    return out.getvalue()


def _image(page: ScannedPage) -> Image.Image:
    mode = "RGB" if len(page.pixels) == page.width * page.height * 3 else "L"
    return Image.frombuffer(mode, (page.width, page.height), page.pixels, "raw", mode, 0, 1)


def run_pipelines(corpus: list[CorpusPage]) -> list[Run]:
    label, encode = kiosk_encoder()
    kiosk, lossless, jpeg = Run(label), Run("lossless (PNG)"), Run("jpeg q75")
    encoded: list[EncodedPage] = []
    pngs: list[bytes] = []
    jpegs: list[bytes] = []
    for page in corpus:
        scanned = page.scanned()
        for run, make, into in (
            (kiosk, encode, encoded),
            (lossless, _png, pngs),
            (jpeg, _jpeg75, jpegs),
        ):
            start = time.perf_counter()
            result: Any = make(scanned)
            run.ms.append((time.perf_counter() - start) * 1000)
            into.append(result)
        kiosk.reports.append(encoded[-1].report)
        lossless.reports.append(None)
        jpeg.reports.append(None)
    for run, build in (
        (kiosk, lambda: build_pdf(encoded, INFO)),
        (lossless, lambda: img2pdf.convert(pngs)),
        (jpeg, lambda: img2pdf.convert(jpegs)),
    ):
        start = time.perf_counter()
        run.pdf = build()
        run.pdf_ms = (time.perf_counter() - start) * 1000 / len(corpus)
    return [kiosk, lossless, jpeg]


def _upright(run: Run, index: int, page: CorpusPage) -> bool:
    report = run.reports[index]
    turned = report.rotation if report is not None else 0
    return (page.rotation - turned) % 360 == 0


def measure_run(
    run: Run, corpus: list[CorpusPage], refs: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Per page: KB, CER, stamp words, residual skew, upright, flagged blank, ms, mode."""
    sizes = measure.page_bytes(run.pdf)
    grays = measure.page_grays(run.pdf)
    with ThreadPoolExecutor(max_workers=2) as pool:  # tesseract runs as a process
        texts = list(pool.map(_read, corpus, grays))
    rows = []
    for index, (page, gray, text) in enumerate(zip(corpus, grays, texts, strict=True)):
        report = run.reports[index]
        row: dict[str, Any] = {
            "kb": sizes[index] / 1024,
            "ms": run.ms[index],
            "upright": _upright(run, index, page),
            "blank": bool(report and report.blank),
            "mode": report.mode if report else ("color" if page.mode == "color" else "gray"),
            "rotation": report.rotation if report else 0,
        }
        if page.text is not None and text is not None:
            row["cer"] = measure.cer(text, page.text)
            row["line_cer"] = measure.line_cer(text, page.text)
            row["ocr"] = text
            if page.stamp_text:
                row["stamp"] = measure.words_found(page.stamp_text, text)
            skew = measure.skew_of(gray)
            row["skew"] = None if skew is None else abs(skew)
        rows.append(row)
        if not refs[index] and run.label.startswith("lossless"):
            refs[index].update(_reference(page, gray, row))
    return rows


def _read(page: CorpusPage, gray: np.ndarray) -> str | None:
    return measure.ocr(gray) if page.text is not None else None


def _reference(page: CorpusPage, gray: np.ndarray, lossless: dict[str, Any]) -> dict[str, Any]:
    """The lossless render turned upright by the known rotation, read again where turned."""
    ref: dict[str, Any] = {"meter_error": None}
    if page.text is None:
        return ref
    if lossless.get("skew") is not None:
        ref["meter_error"] = abs(lossless["skew"] - abs(page.skew))
    if page.rotation == 0:
        for key in ("cer", "line_cer", "stamp"):
            ref[key] = lossless.get(key)
        return ref
    text = measure.ocr(np.ascontiguousarray(np.rot90(gray, k=-page.rotation // 90)))
    ref["cer"] = measure.cer(text, page.text)
    ref["line_cer"] = measure.line_cer(text, page.text)
    if page.stamp_text:
        ref["stamp"] = measure.words_found(page.stamp_text, text)
    return ref


def memory_child(count: int) -> None:
    """A colour session of ``count`` pages in this fresh process; prints JSON."""
    pin_one_core()
    _, encode = kiosk_encoder()
    colour = [p for p in pages() if p.mode == "color"]
    for page in colour:
        page.pnm_file()  # made from the PNG once, beforehand: not part of the session
    gc.collect()
    before = _rss_mib()
    scanned = colour[0].scanned()  # what loading one scan costs here, outside the kiosk
    del scanned
    loading = _peak_mib()
    held: list[EncodedPage] = []
    for number in range(count):
        scanned = colour[number % len(colour)].scanned()
        held.append(encode(scanned))
        del scanned
    pdf = build_pdf(held, INFO)
    held_mib = _rss_mib()
    peak = _peak_mib()
    encoded = sum(len(p.data) for p in held) / 2**20
    del held, pdf
    gc.collect()
    after = _rss_mib()
    ctypes.CDLL("libc.so.6").malloc_trim(0)  # what of it is only glibc's free lists
    print(
        json.dumps(
            {
                "pages": count,
                "before": before,
                "loading": loading,
                "peak": peak,
                "held": held_mib,
                "after": after,
                "trimmed": _rss_mib(),
                "encoded": encoded,
            }
        )
    )


def _peak_mib() -> float:
    """This process's peak RSS (VmHWM). Not getrusage's ru_maxrss: that keeps the parent's
    peak across fork and exec, so a child started by a big benchmark would report it."""
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def _rss_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def memory_session(count: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--memory-child", str(count)],
        capture_output=True,
        text=True,
        check=True,
        timeout=3600,
    ).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def _progress(what: str, since: float) -> None:
    print(f"[{time.perf_counter() - since:6.1f} s] {what}", file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("--pages", type=int, default=None, help="N pages spread over the corpus")
    parser.add_argument("--names", nargs="*", default=None, help="only these corpus pages")
    parser.add_argument("--session", type=int, default=100, help="pages in the memory session")
    parser.add_argument("--pnm", type=int, default=3, help="pages replayed through SANE pnm")
    parser.add_argument("--no-cli", dest="cli", action="store_false", help="skip kiosk pdf")
    parser.add_argument("--json", type=Path, default=None, help="write the figures here")
    parser.add_argument("--memory-child", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child is not None:
        memory_child(args.memory_child)
        return
    pin_one_core()
    start = time.perf_counter()
    names = args.names
    if args.pages and not names:  # every kind of page, not the first N letters
        every = [spec.name for spec in SPECS]
        step = len(every) / min(args.pages, len(every))
        names = [every[int(i * step)] for i in range(min(args.pages, len(every)))]
    corpus = pages(names=names)
    version = pipeline_version()
    _progress(f"{len(corpus)} corpus pages ready", start)
    runs = run_pipelines(corpus)
    _progress("pipelines run, PDFs built", start)
    if hasattr(os, "sched_setaffinity"):  # measuring (tesseract) may use every core
        os.sched_setaffinity(0, ALL_CORES)
    refs: list[dict[str, Any]] = [{} for _ in corpus]
    results = {
        run.label: measure_run(run, corpus, refs) for run in sorted(runs, key=_lossless_first)
    }
    pdfa = {run.label: measure.is_pdfa(run.pdf) for run in runs}
    _progress("outputs rendered, read and measured", start)
    memory = memory_session(args.session) if args.session else None
    _progress("memory session done", start)
    from tests.bench.pages_cli import through_cli
    from tests.bench.pages_pnm import replay

    pnm = replay(corpus, args.pnm, kiosk_encoder()[1]) if args.pnm else None
    _progress("pnm replay done", start)
    cli = through_cli(corpus, runs[0].reports) if args.cli else None
    _progress("kiosk pdf done", start)
    figures = print_report(corpus, runs, results, refs, pdfa, memory, pnm, cli, version)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1, ensure_ascii=False, default=str))


def _lossless_first(run: Run) -> int:
    return 0 if run.label.startswith("lossless") else 1


if __name__ == "__main__":
    main()
