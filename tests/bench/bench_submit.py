"""Benchmark: a 10-page feeder submission (A4, 300 dpi, colour) end to end, against the
minimal pipeline `scanimage --batch` + `img2pdf` on the same SANE device in the same run.

Run: ./dev.sh bench   (or .venv/bin/python tests/bench/bench_submit.py [--rounds N])
Prints medians over the rounds; machines here are shared, so compare the ratio, not seconds.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from drivers.scanner.protocol import ColorMode, ScanRequest, Source  # noqa: E402
from drivers.scanner.sane_scanner import SaneScanner  # noqa: E402
from kiosk.core.concerns import concern_by_key  # noqa: E402
from kiosk.core.identity import parse_case_number  # noqa: E402
from kiosk.services.channels import Parcel  # noqa: E402
from kiosk.services.pages.scanjob import scan_encoded  # noqa: E402
from kiosk.services.routing.table import Route  # noqa: E402
from kiosk.services.spool.outbox import Outbox  # noqa: E402
from kiosk.services.spool.vault import Vault  # noqa: E402
from kiosk.services.submission import make_parcel  # noqa: E402

SANE_CONFIG = ROOT / "drivers" / "scanner" / "sane_config"
CASE = parse_case_number("12345BG0012345")
PICTURES = ("Grid", "Color pattern")  # document-like, and a JPEG worst case


def kiosk_run(picture: str, work: Path) -> tuple[dict[str, float], int, int]:
    """Scan + encode (overlapped), PDF, encrypted spool, folder delivery; seconds per stage."""
    inbox = work / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    outbox = Outbox(work / "outbox", Vault(os.urandom(32)))
    scanner = SaneScanner(SANE_CONFIG)
    request = ScanRequest(
        "test:0", Source.ADF, ColorMode.COLOR, 300, page_options={0: {"test-picture": picture}}
    )
    t0 = time.perf_counter()
    pages = scan_encoded(scanner, request)
    t1 = time.perf_counter()
    parcel: Parcel = make_parcel(
        CASE,
        concern_by_key("renewal"),
        pages,
        kiosk_id="bench",
        route=Route(inbox.as_uri(), "bench"),
        receipt_id="BEN-CHM-ARK",
        scanned_at=datetime.now().astimezone(),
    )
    t2 = time.perf_counter()
    item = outbox.put(parcel, inbox.as_uri())
    t3 = time.perf_counter()
    delivery = outbox.deliver(item)
    t4 = time.perf_counter()
    assert delivery.delivered
    stages = {"scan+encode": t1 - t0, "pdf": t2 - t1, "spool": t3 - t2, "deliver": t4 - t3}
    return stages, len(pages), len(parcel.pdf)


def baseline_run(picture: str, work: Path) -> tuple[float, int, int]:
    """`scanimage --batch --format=jpeg` then `img2pdf`: no worker, no checks, no spool."""
    work.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "SANE_CONFIG_DIR": str(SANE_CONFIG)}
    img2pdf = Path(sys.executable).parent / "img2pdf"
    t0 = time.perf_counter()
    subprocess.run(
        [
            "scanimage",
            "-d",
            "test:0",
            "--source",
            "Automatic Document Feeder",
            "--mode",
            "Color",
            "--resolution",
            "300",
            "-x",
            "210",
            "-y",
            "297",
            "--test-picture",
            picture,
            "--format=jpeg",
            "--batch=p%02d.jpg",
        ],
        cwd=work,
        env=env,
        check=False,
        capture_output=True,
    )
    jpegs = sorted(work.glob("p*.jpg"))
    subprocess.run([str(img2pdf), *map(str, jpegs), "-o", str(work / "out.pdf")], check=True)
    elapsed = time.perf_counter() - t0
    return elapsed, len(jpegs), (work / "out.pdf").stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if not shutil.which("scanimage"):
        sys.exit("scanimage (Debian sane-utils) is needed for the baseline")
    print(f"10-page ADF submission, A4 300 dpi colour, SANE test backend; median of {args.rounds}")
    print(
        f"{'picture':<14} {'pipeline':<22} {'seconds':>8} {'ratio':>6} {'pages':>5} "
        f"{'KB/page':>8}  stages (s)"
    )
    for picture in PICTURES:
        ours: list[float] = []
        base: list[float] = []
        stage_runs: list[dict[str, float]] = []
        for _ in range(args.rounds):  # interleaved, so load on the machine hits both alike
            with tempfile.TemporaryDirectory() as tmp:
                stages, pages, size = kiosk_run(picture, Path(tmp) / "kiosk")
                stage_runs.append(stages)
                ours.append(sum(stages.values()))
                seconds, base_pages, base_size = baseline_run(picture, Path(tmp) / "base")
                base.append(seconds)
        ours_s, base_s = statistics.median(ours), statistics.median(base)
        detail = "  ".join(
            f"{k} {statistics.median(r[k] for r in stage_runs):.2f}" for k in stage_runs[0]
        )
        print(
            f"{picture:<14} {'kiosk submit':<22} {ours_s:8.2f} {ours_s / base_s:6.2f} "
            f"{pages:5d} {size / pages / 1024:8.0f}  {detail}"
        )
        print(
            f"{picture:<14} {'scanimage + img2pdf':<22} {base_s:8.2f} {1.0:6.2f} "
            f"{base_pages:5d} {base_size / base_pages / 1024:8.0f}"
        )


if __name__ == "__main__":
    main()
