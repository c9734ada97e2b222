"""Benchmark: what the card camera costs the kiosk's CPU on the identify screen.

Run: .venv/bin/python tests/bench/bench_camera.py [--frames N]
Not a test: it prints the share of one CPU core the whole process uses (all threads:
grabbing, decoding, the preview with its scaling, mirror and QR locator) while a camera
delivers 30 frames a second, decoding every frame (the baseline, same process) and at the
shipped 12 frames a second.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from drivers.camera.feed import CameraFeed  # noqa: E402
from drivers.camera.frames import FrameListSource  # noqa: E402
from drivers.codes.reader import CombinedReader  # noqa: E402
from tests import codes_synth as synth  # noqa: E402

CAMERA_FPS = 30


def frames(count: int, seed: int = 5) -> list[np.ndarray]:
    """Half with a card held up, half without (a client still reading the screen)."""
    rng = np.random.default_rng(seed)
    half = count // 2
    cards = [synth.card_frame(rng, "12345BG0012345")[0] for _ in range(half)]
    empty = [synth.empty_frame(rng) for _ in range(count - half)]
    return [frame for pair in zip(cards, empty, strict=False) for frame in pair]


class PacedCamera:
    """A live camera at 30 frames a second: each read waits for the next frame time."""

    live = True
    fps = float(CAMERA_FPS)

    def __init__(self, images: list[np.ndarray]) -> None:
        self.source = FrameListSource(images, loop=True)
        self.next = 0.0

    def open(self) -> None:
        self.source.open()
        self.next = time.monotonic()

    def read(self) -> np.ndarray:
        self.next += 1 / CAMERA_FPS
        time.sleep(max(0.0, self.next - time.monotonic()))
        return self.source.read()

    def close(self) -> None:
        self.source.close()


def core_share(images: list[np.ndarray], decode_fps: float, seconds: float) -> tuple[float, int]:
    """Share of one core the process uses while the feed runs; frames decoded a second."""
    camera = CameraFeed(PacedCamera(images), CombinedReader(), decode_fps=decode_fps)
    wall, cpu = time.monotonic(), time.process_time()
    camera.start(lambda _text: None, lambda _frame: None, lambda _state: None)
    time.sleep(seconds)
    camera.stop()
    wall, cpu = time.monotonic() - wall, time.process_time() - cpu
    assert camera.loop is not None
    return cpu / wall * 100, round(camera.loop.stats.decoded / wall)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--frames", type=int, default=60)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    images = frames(args.frames)
    print(
        f"camera at {CAMERA_FPS} frames/s, 1280x720, half the frames with a card; "
        f"{args.seconds:.0f} s per run, median of {args.rounds}"
    )
    print(f"{'decoding':<34} {'decoded/s':>9} {'% of a core':>12} {'ratio':>6}")
    runs = {}
    for name, rate in (("every frame (baseline)", float(CAMERA_FPS)), ("12/s (as shipped)", 12.0)):
        results = [core_share(images, rate, args.seconds) for _ in range(args.rounds)]
        runs[name] = (
            statistics.median(r[0] for r in results),
            statistics.median(r[1] for r in results),
        )
    base = runs["every frame (baseline)"][0]
    for name, (share, decoded) in runs.items():
        print(f"{name:<34} {decoded:>9} {share:>11.0f}% {share / base:>6.2f}")


if __name__ == "__main__":
    main()
