"""The card camera for the UI: codes, a mirrored small preview with a hint, pause, reset."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from drivers.camera.feed import CameraFeed, Hint, PreviewFrame
from drivers.camera.frames import FrameListSource
from drivers.camera.reconnect import CameraState
from drivers.codes.reader import CombinedReader, DecodedCode, Symbology
from tests import codes_synth as synth
from tests.drivers.test_code_watch import CASE, TIMEOUT, card_frames, empty_frames


class Recorder:
    def __init__(self) -> None:
        self.texts: list[str] = []
        self.previews: list[PreviewFrame] = []
        self.states: list[CameraState] = []
        self.text_arrived = threading.Event()
        self.ended = threading.Event()

    def text(self, value: str) -> None:
        self.texts.append(value)
        self.text_arrived.set()

    def state(self, state: CameraState) -> None:
        self.states.append(state)
        if state is CameraState.ENDED:
            self.ended.set()


def run(feed: CameraFeed) -> Recorder:
    seen = Recorder()
    feed.start(seen.text, seen.previews.append, seen.state)
    assert seen.ended.wait(TIMEOUT)
    assert feed.loop is not None and feed.loop.join(TIMEOUT)
    feed.stop()
    return seen


def test_a_card_is_read_once_and_every_frame_gives_a_mirrored_preview() -> None:
    frames = empty_frames(2) + card_frames(4)
    seen = run(CameraFeed(FrameListSource(frames), CombinedReader(), preview_fps=1000))
    assert seen.texts == [CASE]
    assert len(seen.previews) == 6
    first = seen.previews[0]
    assert (first.width, first.height) == (480, round(synth.FRAME_H * 480 / synth.FRAME_W))
    assert first.rgb.flags.c_contiguous and first.rgb.dtype == np.uint8
    assert [p.hint for p in seen.previews[2:]] == [Hint.STILL] * 4
    assert all(len(p.codes) == 1 for p in seen.previews[2:])


def test_the_preview_is_mirrored_like_a_mirror_and_the_outline_with_it() -> None:
    """A card on the camera's left shows on the screen's right, outline and all."""
    frame = np.full((360, 640, 3), 255, np.uint8)
    frame[:, :320] = (255, 0, 0)  # blue (BGR) on the camera's left half
    code = DecodedCode(CASE, Symbology.QR, "zxing", ((64.0, 36.0), (192.0, 36.0), (192.0, 144.0)))
    for mirror in (True, False):
        feed = CameraFeed(FrameListSource([]), CombinedReader(), preview_width=320, mirror=mirror)
        preview = feed.preview(frame, [code])
        left, right = preview.rgb[:, :10].mean(axis=(0, 1)), preview.rgb[:, -10:].mean(axis=(0, 1))
        blue_on_right = bool(right[2] > 200 and right[0] < 50 and left.min() > 200)
        assert blue_on_right is mirror
        xs = [x for x, _ in preview.codes[0]]
        expected = [0.9, 0.7, 0.7] if mirror else [0.1, 0.3, 0.3]
        assert xs == pytest.approx(expected)
        assert preview.hint is Hint.STILL


def test_a_small_unreadable_code_asks_to_come_closer_a_large_one_to_hold_still() -> None:
    ticks = iter(range(1000))  # a second apart: the locator runs on every frame
    feed = CameraFeed(
        FrameListSource([]), CombinedReader(), mirror=False, clock=lambda: next(ticks)
    )
    canvas = np.full((720, 1280), 255, np.uint8)
    small = synth.qr_image(CASE, module_px=4)
    canvas[300 : 300 + small.shape[0], 600 : 600 + small.shape[1]] = small
    assert feed.preview(canvas, []).hint is Hint.CLOSER  # located, not read (no codes given)
    large = synth.qr_image(CASE, module_px=12)
    canvas[:] = 255
    canvas[100 : 100 + large.shape[0], 400 : 400 + large.shape[1]] = large
    assert feed.preview(canvas, []).hint is Hint.STILL
    assert feed.preview(np.full((720, 1280), 128, np.uint8), []).hint is Hint.SHOW


class SteppingReader:
    """Each frame read moves the clock on by 1/16 s: a camera at 16 frames a second."""

    def __init__(self) -> None:
        self.now = 0.0
        self.reader = CombinedReader()

    def read(self, image: np.ndarray) -> list[DecodedCode]:
        self.now += 0.0625
        return self.reader.read(image)


def test_previews_are_throttled_to_the_preview_rate() -> None:
    reader = SteppingReader()
    source = FrameListSource(empty_frames(8))
    seen = run(CameraFeed(source, reader, preview_fps=8, clock=lambda: reader.now))
    assert len(seen.previews) == 4  # 8 a second of 16 a second


def test_paused_nothing_is_decoded_or_previewed() -> None:
    feed = CameraFeed(FrameListSource(card_frames(4)), CombinedReader(), preview_fps=1000)
    feed.set_active(False)  # before the start: it holds from the first frame
    seen = run(feed)
    assert feed.loop is not None
    assert (feed.loop.stats.frames, feed.loop.stats.decoded) == (4, 0)  # taken, not decoded
    assert (seen.previews, seen.texts) == ([], [])


def test_after_reset_the_same_card_is_reported_again() -> None:
    """The next client may hold the same card (a family): reset forgets what was seen."""
    frames = card_frames(3)
    source = FrameListSource(frames, live=True, loop=True)
    feed = CameraFeed(source, CombinedReader(), preview_fps=1000)
    seen = Recorder()
    feed.start(seen.text, seen.previews.append, seen.state)
    try:
        assert seen.text_arrived.wait(TIMEOUT)
        seen.text_arrived.clear()
        assert not seen.text_arrived.wait(0.3)  # still in view: not reported again
        feed.reset()
        assert seen.text_arrived.wait(TIMEOUT)
    finally:
        feed.stop()
    assert seen.texts == [CASE, CASE]


def test_a_live_camera_is_decoded_at_most_at_the_decode_rate() -> None:
    """A card is read as well at 12 frames a second as at 30, for less than half the CPU."""
    import time

    source = FrameListSource(empty_frames(3), live=True, loop=True)
    feed = CameraFeed(source, CombinedReader(), decode_fps=12)
    seen = Recorder()
    start = time.monotonic()
    feed.start(seen.text, seen.previews.append, seen.state)
    try:
        time.sleep(1.0)  # a rate over wall time: there is nothing to wait for instead
    finally:
        feed.stop()
    elapsed = time.monotonic() - start
    assert feed.loop is not None
    assert feed.loop.stats.frames > 3 * feed.loop.stats.decoded  # the source ran far ahead
    assert 1 <= feed.loop.stats.decoded <= 1 + 12 * elapsed
