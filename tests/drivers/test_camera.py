"""Frame sources: OpenCV camera negotiation and loss, recorded videos, reconnect with backoff."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

from drivers.camera.frames import (
    CameraConfig,
    CameraError,
    EndOfFrames,
    FrameListSource,
    OpenCvCamera,
    VideoFileSource,
)
from drivers.camera.reconnect import Backoff, CameraState, FramePump


class FakeCapture:
    """Stands in for cv2.VideoCapture of a UVC camera that offers only some sizes."""

    SIZES = ((640, 480), (1280, 720))

    def __init__(self, device: Any, backend: int, frames: int = 3, opened: bool = True) -> None:
        self.device, self.backend = device, backend
        self.props: dict[int, float] = {cv2.CAP_PROP_FPS: 30.0}
        self.frames, self.opened, self.released = frames, opened, False

    def isOpened(self) -> bool:  # OpenCV's name
        return self.opened

    def set(self, prop: int, value: float) -> bool:
        self.props[prop] = value
        return True

    def get(self, prop: int) -> float:
        if prop in (cv2.CAP_PROP_FRAME_WIDTH, cv2.CAP_PROP_FRAME_HEIGHT):
            wanted = (
                self.props.get(cv2.CAP_PROP_FRAME_WIDTH, 640),
                self.props.get(cv2.CAP_PROP_FRAME_HEIGHT, 480),
            )
            best = min(self.SIZES, key=lambda s: abs(s[0] - wanted[0]) + abs(s[1] - wanted[1]))
            return float(best[0] if prop == cv2.CAP_PROP_FRAME_WIDTH else best[1])
        return self.props.get(prop, 0.0)

    def read(self) -> tuple[bool, np.ndarray | None]:
        if self.frames <= 0:  # unplugged: V4L2 reads fail from now on
            return False, None
        self.frames -= 1
        w, h = int(self.get(cv2.CAP_PROP_FRAME_WIDTH)), int(self.get(cv2.CAP_PROP_FRAME_HEIGHT))
        return True, np.zeros((h, w, 3), np.uint8)

    def release(self) -> None:
        self.released = True


def test_nothing_is_opened_before_open() -> None:
    made: list[FakeCapture] = []
    camera = OpenCvCamera(capture=lambda *a: made.append(FakeCapture(*a)) or made[-1])
    assert made == []
    camera.open()
    assert len(made) == 1


def test_camera_negotiates_what_the_device_offers() -> None:
    made: list[FakeCapture] = []

    def factory(device: Any, backend: int) -> FakeCapture:
        made.append(FakeCapture(device, backend))
        return made[-1]

    camera = OpenCvCamera(
        CameraConfig(device="/dev/v4l/by-id/usb-cam-video-index0", width=1920, height=1080),
        capture=factory,
    )
    camera.open()
    capture = made[0]
    assert capture.device == "/dev/v4l/by-id/usb-cam-video-index0"
    assert capture.backend == cv2.CAP_V4L2
    assert capture.props[cv2.CAP_PROP_FOURCC] == cv2.VideoWriter.fourcc(*"MJPG")
    assert camera.negotiated is not None
    assert (camera.negotiated.width, camera.negotiated.height) == (1280, 720)
    assert camera.read().shape == (720, 1280, 3)
    camera.close()
    assert capture.released


def test_camera_that_cannot_open_raises_and_releases() -> None:
    made: list[FakeCapture] = []

    def factory(device: Any, backend: int) -> FakeCapture:
        made.append(FakeCapture(device, backend, opened=False))
        return made[-1]

    with pytest.raises(CameraError):
        OpenCvCamera(capture=factory).open()
    assert made[0].released


def test_unplugged_camera_raises_camera_error() -> None:
    camera = OpenCvCamera(capture=lambda d, b: FakeCapture(d, b, frames=1))
    camera.open()
    camera.read()
    with pytest.raises(CameraError):
        camera.read()


def test_a_missing_video_device_raises_camera_error() -> None:
    camera = OpenCvCamera(CameraConfig(device="/nonexistent/video99"))
    with pytest.raises(CameraError):
        camera.open()


def write_video(path: Path, frames: list[np.ndarray], fps: float = 15.0) -> None:
    height, width = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), fps, (width, height))
    assert writer.isOpened()
    for frame in frames:
        writer.write(frame)
    writer.release()


def test_video_file_plays_through_the_frame_source_interface(tmp_path: Path) -> None:
    frames = [np.full((120, 160, 3), 40 * i, np.uint8) for i in range(5)]
    write_video(tmp_path / "clip.avi", frames, fps=15.0)
    source = VideoFileSource(tmp_path / "clip.avi")
    source.open()
    assert source.fps == pytest.approx(15.0)
    played = []
    with pytest.raises(EndOfFrames):
        while True:
            played.append(source.read())
    source.close()
    assert len(played) == 5
    means = [float(f.mean()) for f in played]
    assert means == pytest.approx([0, 40, 80, 120, 160], abs=6)  # JPEG: near, not exact


def test_missing_video_file_is_a_camera_error(tmp_path: Path) -> None:
    with pytest.raises(CameraError):
        VideoFileSource(tmp_path / "missing.avi").open()


def test_frame_list_source_loops_on_request() -> None:
    frames = [np.full((2, 2, 3), i, np.uint8) for i in range(2)]
    once = FrameListSource(frames)
    once.open()
    assert [once.read()[0, 0, 0], once.read()[0, 0, 0]] == [0, 1]
    with pytest.raises(EndOfFrames):
        once.read()
    looping = FrameListSource(frames, loop=True)
    looping.open()
    assert [looping.read()[0, 0, 0] for _ in range(5)] == [0, 1, 0, 1, 0]


class FlakySource:
    """Fails to open ``bad_opens`` times, then delivers ``frames`` frames, then unplugs."""

    live = True
    fps = 30.0

    def __init__(self, bad_opens: int, frames: int) -> None:
        self.bad_opens, self.frames = bad_opens, frames
        self.opens = self.closes = 0

    def open(self) -> None:
        self.opens += 1
        if self.bad_opens > 0:
            self.bad_opens -= 1
            raise CameraError("no such device")

    def read(self) -> np.ndarray:
        if self.frames <= 0:
            raise CameraError("unplugged")
        self.frames -= 1
        return np.zeros((4, 4, 3), np.uint8)

    def close(self) -> None:
        self.closes += 1


def test_backoff_grows_and_is_capped() -> None:
    backoff = Backoff(initial=0.5, factor=2.0, maximum=4.0)
    assert [backoff.delay(n) for n in range(1, 7)] == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]


def test_pump_reopens_with_backoff_until_the_camera_returns() -> None:
    waits: list[float] = []
    states: list[CameraState] = []
    source = FlakySource(bad_opens=4, frames=2)
    pump = FramePump(
        source,
        lambda s: waits.append(s) is not None,
        backoff=Backoff(0.5, 2.0, 4.0),
        on_state=states.append,
    )
    assert pump.next_frame() is not None
    assert waits == [0.5, 1.0, 2.0, 4.0]  # every retry waited: no busy loop
    assert source.opens == 5
    assert states == [CameraState.DISCONNECTED, CameraState.CONNECTED]
    assert pump.next_frame() is not None
    assert waits == [0.5, 1.0, 2.0, 4.0]  # frames flowing: no more waiting


def test_pump_after_recovery_starts_backoff_from_the_beginning() -> None:
    waits: list[float] = []
    source = FlakySource(bad_opens=3, frames=1)
    stop_after = 6

    def wait(seconds: float) -> bool:
        waits.append(seconds)
        return len(waits) >= stop_after  # then ask the pump to stop

    pump = FramePump(source, wait, backoff=Backoff(1.0, 2.0, 8.0))
    assert pump.next_frame() is not None  # after 3 failed opens
    assert pump.next_frame() is None  # unplugged, never returns: stopped while waiting
    assert waits == [1.0, 2.0, 4.0, 1.0, 2.0, 4.0]
    assert source.closes >= 1


def test_pump_stops_at_once_when_asked_during_a_wait() -> None:
    source = FlakySource(bad_opens=100, frames=0)
    pump = FramePump(source, lambda s: True)
    assert pump.next_frame() is None
    assert source.opens == 1


def test_pump_reports_the_end_of_a_recording() -> None:
    states: list[CameraState] = []
    pump = FramePump(
        FrameListSource([np.zeros((2, 2, 3), np.uint8)]), lambda s: False, on_state=states.append
    )
    assert pump.next_frame() is not None
    assert pump.next_frame() is None
    assert states == [CameraState.CONNECTED, CameraState.ENDED]


def test_opencv_errors_become_camera_errors() -> None:
    class Broken(FakeCapture):
        def read(self) -> tuple[bool, np.ndarray | None]:
            raise cv2.error("V4L2: select() timeout")

    def refuse(device: Any, backend: int) -> FakeCapture:
        raise cv2.error("backend exploded")

    camera = OpenCvCamera(capture=lambda d, b: Broken(d, b))
    camera.open()
    with pytest.raises(CameraError):
        camera.read()
    with pytest.raises(CameraError):
        OpenCvCamera(capture=refuse).open()
