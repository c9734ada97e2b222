"""Benchmark: QR reading on real photos and synthetic camera frames (pyzbar, zxing-cpp, ours).

Run: .venv/bin/python tests/bench/bench_codes.py [--frames N] [--empty N] [--seed S]
Pinned to one CPU core, OpenCV single-threaded. Not a test: it prints tables.

"wrong" counts a text other than the expected one. Expected texts are read as bytes:
some hold CR LF, which text-mode reading would turn into LF. qrcode-2/13.txt says
"photograph" where the symbol (read by both pyzbar and zxing-cpp on smoothed variants,
Reed-Solomon checked) says "photography": a reader that reads it counts as "wrong" here.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import cv2
import numpy as np
import zxingcpp

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from drivers.codes.decoders import PyzbarDecoder, Symbology  # noqa: E402
from drivers.codes.reader import CombinedReader  # noqa: E402
from tests import codes_synth as synth  # noqa: E402

PHOTOS = ROOT.parent / "shared" / "data" / "qr-photos"
Reader = Callable[[np.ndarray], list[str]]


def pyzbar_alone() -> Reader:
    decoder = PyzbarDecoder()
    return lambda image: [c.text for c in decoder.decode(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY))]


def zxing_alone() -> Reader:
    """zxing-cpp with its defaults (rotate, invert, downscale), QR and Data Matrix; text
    mode Plain: the default HRI mode writes control characters as "<SOH>" and so on."""
    formats = zxingcpp.BarcodeFormats(
        [zxingcpp.BarcodeFormat.QRCode, zxingcpp.BarcodeFormat.DataMatrix]
    )
    return lambda image: [
        b.text
        for b in zxingcpp.read_barcodes(image, formats=formats, text_mode=zxingcpp.TextMode.Plain)
    ]


def ours(symbologies: tuple[Symbology, ...] = tuple(Symbology)) -> Reader:
    reader = CombinedReader(symbologies)
    return lambda image: [c.text for c in reader.read(image)]


@dataclass
class Tally:
    correct: int = 0
    wrong: int = 0
    missed: int = 0
    ms: list[float] = field(default_factory=list)
    wrong_files: list[str] = field(default_factory=list)

    def add(self, texts: list[str], expected: str | None, seconds: float, label: str) -> None:
        self.ms.append(seconds * 1000)
        if expected is not None and expected in texts:
            self.correct += 1
        elif texts:
            self.wrong += 1
            got, want = texts[0], expected or ""
            at = next(
                (i for i, (a, b) in enumerate(zip(got, want, strict=False)) if a != b),
                min(len(got), len(want)),
            )
            start = max(0, at - 10)
            self.wrong_files.append(
                f"{label}: got {got[start : at + 20]!r}, expected "
                f"{want[start : at + 20] or '(no code)'!r} (from char {start})"
            )
        else:
            self.missed += 1

    def median(self) -> float:
        return statistics.median(self.ms)

    def p90(self) -> float:
        return float(np.percentile(self.ms, 90))


def timed(reader: Reader, image: np.ndarray) -> tuple[list[str], float]:
    start = time.perf_counter()
    texts = reader(image)
    return texts, time.perf_counter() - start


def load_photo(path: Path) -> np.ndarray:
    if path.suffix.lower() == ".gif":  # OpenCV's imread has no GIF decoder
        capture = cv2.VideoCapture(str(path))
        ok, image = capture.read()
        capture.release()
        if not ok:
            raise OSError(f"cannot read {path}")
        return np.asarray(image)
    image = cv2.imread(str(path))
    if image is None:
        raise OSError(f"cannot read {path}")
    return image


def photo_set() -> list[tuple[str, np.ndarray, str]]:
    items = []
    for path in sorted(PHOTOS.glob("qrcode-*/*")):
        if path.suffix.lower() in (".png", ".jpg", ".gif"):
            # bytes, not read_text(): some expected texts hold CR LF, which must stay
            expected = path.with_suffix(".txt").read_bytes().decode("utf-8")
            items.append((str(path.relative_to(PHOTOS)), load_photo(path), expected))
    return items


def bench_photos(configs: dict[str, Reader]) -> None:
    items = photo_set()
    print(f"\n1. Real phone photos: {PHOTOS} ({len(items)} images)\n")
    print(
        f"{'configuration':<26}{'correct':>9}{'wrong':>7}{'missed':>8}"
        f"{'median ms':>11}{'p90 ms':>9}"
    )
    wrong_lists = {}
    for name, reader in configs.items():
        tally = Tally()
        reader(items[0][1])  # warm-up: first calls load libraries and allocate
        for label, image, expected in items:
            texts, seconds = timed(reader, image)
            tally.add(texts, expected, seconds, label)
        print(
            f"{name:<26}{tally.correct:>5}/{len(items):<3}{tally.wrong:>7}{tally.missed:>8}"
            f"{tally.median():>11.2f}{tally.p90():>9.2f}"
        )
        wrong_lists[name] = tally.wrong_files
    for name, wrong in wrong_lists.items():
        for line in wrong:
            print(f"   wrong, {name}: {line}")


def synthetic_frames(count: int, empty: int, seed: int) -> tuple[list, list]:
    rng = np.random.default_rng(seed)
    cards = []
    for _ in range(count):
        payload = synth.random_payload(rng)
        cards.append((synth.card_frame(rng, payload)[0], payload))
    return cards, [synth.empty_frame(rng) for _ in range(empty)]


def bench_synthetic(configs: dict[str, Reader], count: int, empty: int, seed: int) -> None:
    cards, blanks = synthetic_frames(count, empty, seed)
    print(
        f"\n2. Synthetic 1280x720 camera frames (seed {seed}): {count} with a card QR code "
        f"(size, rotation, perspective, blur, noise, low contrast, glare), {empty} without\n"
    )
    print(
        f"{'configuration':<26}{'read':>9}{'rate':>8}{'wrong':>7}{'false pos.':>11}"
        f"{'median ms':>11}{'p90 ms':>9}{'empty ms':>10}{'x pyzbar':>10}"
    )
    base: tuple[float, float] | None = None
    for name, reader in configs.items():
        tally, noise = Tally(), Tally()
        reader(cards[0][0])
        for frame, payload in cards:
            texts, seconds = timed(reader, frame)
            tally.add(texts, payload, seconds, "card")
        for frame in blanks:
            texts, seconds = timed(reader, frame)
            noise.add(texts, None, seconds, "empty")
        rate = tally.correct / len(cards)
        base = base or (rate, tally.median())
        ratio = f"{rate / base[0]:.2f}/{tally.median() / base[1]:.2f}"
        print(
            f"{name:<26}{tally.correct:>5}/{len(cards):<3}{rate:>8.1%}{tally.wrong:>7}"
            f"{noise.wrong:>7}/{len(blanks):<3}{tally.median():>11.2f}{tally.p90():>9.2f}"
            f"{noise.median():>10.2f}{ratio:>10}"
        )
    print("   x pyzbar: success rate / median time, each relative to pyzbar alone")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--frames", type=int, default=300, help="synthetic frames with a card")
    parser.add_argument("--empty", type=int, default=100, help="synthetic frames without code")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    cv2.setNumThreads(1)
    print(
        f"Python {platform.python_version()}, OpenCV {cv2.__version__}, "
        f"zxing-cpp {metadata.version('zxing-cpp')}, pyzbar {metadata.version('pyzbar')}, "
        f"one core "
        f"({platform.processor() or platform.machine()})"
    )
    if PHOTOS.is_dir():
        bench_photos(
            {
                "pyzbar alone": pyzbar_alone(),
                "zxing-cpp alone": zxing_alone(),
                "reader (QR + Data Matrix)": ours(),
            }
        )
    else:
        print(f"\n1. skipped: no photos at {PHOTOS}")
    bench_synthetic(
        {
            "pyzbar alone": pyzbar_alone(),
            "zxing-cpp alone": zxing_alone(),
            "reader (QR)": ours((Symbology.QR,)),
            "reader (QR + Data Matrix)": ours(),
        },
        args.frames,
        args.empty,
        args.seed,
    )


if __name__ == "__main__":
    main()
