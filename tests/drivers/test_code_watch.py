"""The camera path end to end: video or flaky camera, through CodeWatch, to a card number."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import cv2
import numpy as np
import pytest

from drivers.camera.frames import CameraError, FrameListSource, VideoFileSource
from drivers.camera.reconnect import Backoff, CameraState
from drivers.codes.reader import CombinedReader, DecodedCode, Symbology
from drivers.codes.watch import CodeWatch, Confirmation, Confirmer
from kiosk.core.cards import CardRules, read_card
from tests import codes_synth as synth

CASE = "12345BG0012345"
CLEAR = synth.Degradation(
    code_px=220, angle=12.0, tilt=0.04, blur=0.6, noise=4.0, contrast=0.9, glare=False
)
TIMEOUT = 30.0  # generous for a loaded CI machine; the wait ends as soon as the event is set


def card_frames(count: int, payload: str = CASE, seed: int = 1) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [synth.card_frame(rng, payload, CLEAR)[0] for _ in range(count)]


def empty_frames(count: int, seed: int = 2) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [synth.empty_frame(rng) for _ in range(count)]


def write_video(path: Path, frames: list[np.ndarray], fps: float = 15.0) -> Path:
    writer = cv2.VideoWriter(
        str(path), cv2.VideoWriter.fourcc(*"MJPG"), fps, (synth.FRAME_W, synth.FRAME_H)
    )
    for frame in frames:
        writer.write(frame)
    writer.release()
    return path


class CaseWaiter:
    """The callback a presenter would install: classify, and signal the identifier."""

    def __init__(self) -> None:
        self.values: list[str] = []
        self.arrived = threading.Event()

    def __call__(self, codes: list[DecodedCode]) -> None:
        for code in codes:
            self.values.append(read_card(code.text, CardRules(), date(2026, 11, 21)).value)
        self.arrived.set()


def test_card_in_a_video_arrives_as_a_case_number(tmp_path: Path) -> None:
    frames = empty_frames(3) + card_frames(5) + empty_frames(3, seed=3)
    video = write_video(tmp_path / "camera.avi", frames)
    waiter = CaseWaiter()
    loop = CodeWatch(VideoFileSource(video), CombinedReader(), waiter)
    with loop:
        assert waiter.arrived.wait(TIMEOUT)
        assert loop.join(TIMEOUT)
    assert waiter.values == [CASE]  # reported once, though readable in five frames
    assert (loop.stats.frames, loop.stats.decoded, loop.stats.dropped) == (11, 11, 0)


def test_a_video_without_a_card_reports_nothing(tmp_path: Path) -> None:
    video = write_video(tmp_path / "empty.avi", empty_frames(6))
    waiter = CaseWaiter()
    with CodeWatch(VideoFileSource(video), CombinedReader(), waiter) as loop:
        assert loop.join(TIMEOUT)
    assert waiter.values == [] and loop.stats.decoded == 6


def test_a_single_frame_read_is_not_reported() -> None:
    frames = empty_frames(2) + card_frames(1) + empty_frames(2, seed=4)
    waiter = CaseWaiter()
    with CodeWatch(FrameListSource(frames), CombinedReader(), waiter) as loop:
        assert loop.join(TIMEOUT)
    assert waiter.values == []


class FlakyCamera:
    """A live camera that is unplugged at first (open fails twice), then shows a card."""

    live = True
    fps = 30.0

    def __init__(self, frames: list[np.ndarray], bad_opens: int = 2) -> None:
        self.source = FrameListSource(frames, loop=True)
        self.bad_opens = bad_opens

    def open(self) -> None:
        if self.bad_opens > 0:
            self.bad_opens -= 1
            raise CameraError("no such device")
        self.source.open()

    def read(self) -> np.ndarray:
        return self.source.read()

    def close(self) -> None:
        self.source.close()


def test_camera_plugged_in_late_still_delivers_the_card() -> None:
    states: list[CameraState] = []
    waiter = CaseWaiter()
    loop = CodeWatch(
        FlakyCamera(card_frames(2)),
        CombinedReader(),
        waiter,
        on_state=states.append,
        backoff=Backoff(initial=0.01, maximum=0.02),
    )
    with loop:
        assert waiter.arrived.wait(TIMEOUT)
    assert waiter.values[0] == CASE
    assert states[:2] == [CameraState.DISCONNECTED, CameraState.CONNECTED]


def test_stop_returns_promptly_while_waiting_to_reconnect() -> None:
    disconnected = threading.Event()

    def on_state(state: CameraState) -> None:
        if state is CameraState.DISCONNECTED:
            disconnected.set()

    loop = CodeWatch(
        FlakyCamera([], bad_opens=10**6),
        CombinedReader(),
        lambda codes: None,
        on_state=on_state,
        backoff=Backoff(initial=3600.0, maximum=3600.0),
    )
    loop.start()
    assert disconnected.wait(TIMEOUT)
    loop.stop(timeout=TIMEOUT)  # would hang for an hour if the backoff ignored stop
    assert loop.join(0)


class BlockingReader:
    """Signals ``taken`` when it gets its first frame, then holds it until ``release``."""

    def __init__(self, taken: threading.Event, release: threading.Event) -> None:
        self.taken, self.release = taken, release
        self.seen: list[int] = []

    def read(self, image: np.ndarray) -> list[DecodedCode]:
        self.seen.append(int(image[0, 0, 0]))
        if len(self.seen) == 1:
            self.taken.set()
            assert self.release.wait(TIMEOUT)
        return []


class GatedCamera(FrameListSource):
    """A live source that delivers its second frame only once the reader has the first."""

    def __init__(self, frames: list[np.ndarray], gate: threading.Event) -> None:
        super().__init__(frames, live=True)
        self.gate, self.reads = gate, 0

    def read(self) -> np.ndarray:
        self.reads += 1
        if self.reads == 2:
            assert self.gate.wait(TIMEOUT)
        return super().read()


def test_a_busy_reader_drops_live_frames_and_gets_the_newest() -> None:
    taken, ended = threading.Event(), threading.Event()
    frames = [np.full((4, 4, 3), i, np.uint8) for i in range(10)]
    reader = BlockingReader(taken, ended)
    loop = CodeWatch(
        GatedCamera(frames, taken),
        reader,
        lambda codes: None,
        on_state=lambda s: ended.set() if s is CameraState.ENDED else None,
    )
    with loop:
        assert loop.join(TIMEOUT)
    # Frame 0 went to the reader; 1..8 were each replaced by the next while it was busy;
    # the reader, free again, got the newest (9).
    assert (loop.stats.frames, loop.stats.decoded, loop.stats.dropped) == (10, 2, 8)
    assert reader.seen == [0, 9]


class FailingOnceReader:
    def __init__(self) -> None:
        self.inner = CombinedReader()
        self.calls = 0

    def read(self, image: np.ndarray) -> list[DecodedCode]:
        self.calls += 1
        if self.calls == 1:
            raise RuntimeError("decoder crashed on a frame")
        return self.inner.read(image)


def test_a_reader_error_on_one_frame_does_not_end_scanning() -> None:
    waiter = CaseWaiter()
    with CodeWatch(FrameListSource(card_frames(3)), FailingOnceReader(), waiter):
        assert waiter.arrived.wait(TIMEOUT)
    assert waiter.values == [CASE]


def code(text: str = CASE) -> DecodedCode:
    return DecodedCode(text, Symbology.QR, "test")


@pytest.mark.parametrize(
    ("reads", "reported_at"),
    [
        ([0.0], []),  # one frame alone is never enough
        ([0.0, 0.1], [0.1]),  # two frames within the window
        ([0.0, 1.5], []),  # two frames too far apart
        ([0.0, 0.1, 0.2, 2.0, 3.0], [0.1]),  # stays in view: reported once
        ([0.0, 0.1, 4.0, 4.1], [0.1, 4.1]),  # out of view long enough: reported again
    ],
)
def test_confirmation_across_frames(reads: list[float], reported_at: list[float]) -> None:
    confirmer = Confirmer(Confirmation(frames=2, window_s=1.0, repeat_after_s=3.0))
    reported = [at for at in reads if confirmer.feed([code()], at)]
    assert reported == reported_at


def test_confirmation_keeps_codes_apart() -> None:
    confirmer = Confirmer()
    assert confirmer.feed([code("A")], 0.0) == []
    assert confirmer.feed([code("B")], 0.1) == []
    assert [c.text for c in confirmer.feed([code("A"), code("B")], 0.2)] == ["A", "B"]
