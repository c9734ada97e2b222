"""The devices: the scanner, the card camera, and the test scan (one sheet, memory only)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, TypeVar

from drivers.scanner.protocol import ScannerError, Setting
from drivers.scanner.sane_setup import access_path, sane_setup, usb_devices, usb_node
from kiosk.app import camera_parts, find_camera
from kiosk.core.faults import Fault
from kiosk.diag.check import Check, Status
from kiosk.services.pages.imaging import EncodedPage
from kiosk.services.pages.scanjob import ScanStopped
from kiosk.station import Station

if TYPE_CHECKING:
    import numpy as np

    from drivers.camera.frames import FrameSource
    from drivers.codes.reader import CodeReader

_T = TypeVar("_T")
FIRST_FRAME_TIMEOUT = 3.0  # seconds for the camera to open and deliver its first frame
MEASURE_SECONDS = 1.0  # seconds of frames after the first, for the rates
MIN_CAMERA_FPS = 5.0  # a camera slower than this makes cards slow to read (dark? USB?)
MIN_DECODE_FPS = 5.0  # a decoder slower than this too (the kiosk decodes at most 12/s)


def scanner(station: Station) -> Iterator[Check]:
    """Found or not; where SANE reads its configuration and what it loads; what the device
    offers against what is configured; for a USB scanner, which grant lets the kiosk open it."""
    config = station.kiosk.config.scanner
    setup = sane_setup(config.sane_config_dir)
    origin = "sane_config_dir / SANE_CONFIG_DIR" if setup.from_env else "the system's"
    where = (
        f"SANE config {setup.config_dir} ({origin}): {', '.join(setup.backends) or 'no backend'}"
    )
    if setup.problem is not None:
        fix = "list the scanner's backend in dll.conf (see `kiosk devices`)"
        yield Check("scanner", Status.FAIL, f"{setup.problem}; {where}", fix)
        return
    if not station.scanner_ok():
        usb = len(usb_devices())
        fix = "run `kiosk devices`: it says which SANE backends and USB devices it sees"
        detail = f"{config.device} not found; {where}; {usb} USB devices seen"
        yield Check("scanner", Status.FAIL, detail, fix)
        return
    found = f"{station.device} found (configured: {config.device}); {where}"
    node = usb_node(station.device)
    if node is not None:
        found += f"; USB access: {access_path(node, os.geteuid(), frozenset(os.getgroups()))}"
    try:
        offers = station.kiosk.scanner.capabilities(station.device)
    except ScannerError as err:
        fix = "run `kiosk devices`; power the scanner off and on"
        yield Check("scanner", Status.WARN, f"{found}; its options cannot be read: {err}", fix)
        return
    sources = ", ".join(s.value for s in offers.sources) or "none"
    modes = ", ".join(m.value for m in offers.modes) or "none"
    dpi = f"{min(offers.resolutions)}-{max(offers.resolutions)} dpi" if offers.resolutions else ""
    found += f"; offers {sources}; modes {modes}" + (f"; {dpi}" if dpi else "")
    if offers.fixed:  # no option for it: scanned as the device does it (one sheet, gray)
        found += f"; no option for {', '.join(s.value for s in offers.fixed)}"
    if config.source not in offers.sources and Setting.SOURCE not in offers.fixed:
        fix = f"set [scanner] source to one of {sources}"
        yield Check("scanner", Status.FAIL, f"{found}; cannot scan from {config.source.value}", fix)
    elif config.mode not in offers.modes and Setting.MODE not in offers.fixed:
        fix = f"set [scanner] mode to one of {modes}"
        yield Check("scanner", Status.WARN, f"{found}; has no {config.mode.value} mode", fix)
    else:
        yield Check("scanner", Status.PASS, found)


# -- the card camera -----------------------------------------------------------------------


def camera(station: Station) -> Iterator[Check]:
    settings = station.kiosk.config.camera
    if settings.device == "none":
        yield Check("camera", Status.PASS, "no camera configured (keypad only)")
        return
    if settings.device == "auto" and find_camera() is None:
        found = "no camera found (device auto): cards by keypad or USB reader only"
        yield Check("camera", Status.PASS, found)
        return
    parts = camera_parts(settings)
    assert parts is not None  # a device is named or was found
    yield try_camera(*parts, name=str(parts[0].config.device))


def try_camera(
    source: FrameSource,
    reader: CodeReader,
    *,
    name: str,
    first_frame: float = FIRST_FRAME_TIMEOUT,
    measure: float = MEASURE_SECONDS,
) -> Check:
    """Open the camera, wait for its first frame, then run the kiosk's own code watch over
    it (grabber and decoder threads, uncapped) for ``measure`` seconds: the frames that
    arrive a second, and how many of them the decoders get through. What is read and the
    frames themselves are dropped at once: a client may stand in front of it."""
    from drivers.camera.reconnect import Backoff
    from drivers.codes.watch import CodeWatch

    watched = _Watched(source)
    watch = CodeWatch(
        watched, reader, lambda _codes: None, backoff=Backoff(initial=3600.0), max_rate=None
    )  # the long backoff: one attempt, a failure is reported rather than retried
    started = time.monotonic()
    watch.start()
    try:
        _wait(lambda: watch.stats.frames > 0 or watched.stopped, started + first_frame)
        if watch.stats.frames == 0:
            return _no_frames(name, watched, first_frame)
        came = time.monotonic()
        frames, decoded = watch.stats.frames, watch.stats.decoded
        _wait(lambda: watched.stopped, came + measure)
        took = max(time.monotonic() - came, 1e-3)
        frames, decoded = watch.stats.frames - frames, watch.stats.decoded - decoded
    finally:
        watch.stop(timeout=0.5)  # a hung read is left to its daemon thread
    if watched.error is not None:
        return Check("camera", Status.FAIL, f"{name}: frames stopped ({watched.error})",
                     "check the camera's cable; replug it")  # fmt: skip
    return _rates(name, watched.shape, came - started, frames / took, decoded / took,
                  decoded / max(frames, 1), live=source.live)  # fmt: skip


def _wait(done: Callable[[], bool], until: float) -> bool:
    """Poll ``done`` until it holds (True) or ``until`` (a monotonic time) passes."""
    while not done():
        if time.monotonic() >= until:
            return False
        time.sleep(0.01)
    return True


def _no_frames(name: str, watched: _Watched, waited: float) -> Check:
    if watched.error is not None:
        return Check("camera", Status.FAIL, f"{name}: {watched.error}",
                     "is the camera plugged in? `ls -l /dev/v4l/by-id/`; a running "
                     "`kiosk run` holds it (its staff mode shows the camera)")  # fmt: skip
    if watched.stopped:
        return Check("camera", Status.FAIL, f"{name}: no frames at all",
                     "replug the camera")  # fmt: skip
    return Check("camera", Status.FAIL, f"{name}: no frame within {waited:g} s",
                 "replug the camera; is it in use by another program?")  # fmt: skip


def _rates(
    name: str,
    shape: tuple[int, ...],
    opened: float,
    fps: float,
    decode_fps: float,
    share: float,
    *,
    live: bool,
) -> Check:
    size = f"{shape[1]}x{shape[0]}"
    arrive = f"{fps:.0f} frames/s" if live else f"a recording, {fps:.0f} frames/s"
    detail = (
        f"{name}: first frame after {opened:.1f} s, {size}, {arrive}; decoders "
        f"{decode_fps:.0f} frames/s ({share:.0%} of the frames)"
    )
    if live and fps < MIN_CAMERA_FPS:
        return Check("camera", Status.WARN, detail,
                     "more light on the card tray, or the camera on its own USB port")  # fmt: skip
    if decode_fps < MIN_DECODE_FPS:
        return Check("camera", Status.WARN, detail,
                     "the CPU is busy: cards will read slowly (see `top`)")  # fmt: skip
    return Check("camera", Status.PASS, detail)


class _Watched:
    """A frame source that remembers why it failed (for the detail line)."""

    def __init__(self, source: FrameSource) -> None:
        self.source = source
        self.fps, self.live = source.fps, source.live
        self.error: str | None = None  # why it failed, as the driver says it
        self.ended = False  # a recording played out
        self.shape: tuple[int, ...] = (0, 0)  # of the first frame

    @property
    def stopped(self) -> bool:
        return self.error is not None or self.ended

    def open(self) -> None:
        self._call(self.source.open)

    def read(self) -> np.ndarray:
        frame = self._call(self.source.read)
        if self.shape == (0, 0):
            self.shape = frame.shape
        return frame

    def close(self) -> None:
        self.source.close()

    def _call(self, method: Callable[[], _T]) -> _T:
        from drivers.camera.frames import CameraError, EndOfFrames

        try:
            return method()
        except CameraError as err:
            self.error = str(err)
            raise
        except EndOfFrames:
            self.ended = True
            raise


# -- the test scan -------------------------------------------------------------------------

BLANK_MEAN = 200  # a page this bright on average (of 255) is a blank sheet
STREAK_STEP = 12  # a column this much darker or lighter than its neighbours is a streak


def scan_test(station: Station) -> Iterator[Check]:
    """One sheet, in memory only: never routed, never delivered, never written to disk."""
    first: list[EncodedPage] = []

    def one_sheet(_number: int, page: EncodedPage) -> None:
        first.append(page)
        station.stop_scan()  # one sheet tells enough

    try:
        station.scan(station.scan_request(), one_sheet)
    except ScanStopped as stop:
        if stop.fault is not Fault.CANCELLED or not first:
            fix = "put one sheet in and try again; `kiosk devices` if the scanner is missing"
            why = f"scan stopped: {stop.fault.value} ({stop.detail})"
            yield Check("scan-test", Status.FAIL, why, fix)
            return
    except ScannerError as err:
        yield Check(
            "scan-test", Status.FAIL, f"scanner: {err.fault.value}", "see the scanner check"
        )
        return
    if not first:
        yield Check("scan-test", Status.FAIL, "no page came", "put one sheet in and try again")
        return
    yield judge_page(first[0])


def judge_page(page: EncodedPage) -> Check:
    import numpy as np

    from kiosk.services.pages.pageimage import to_image

    pixels = np.asarray(to_image(page).convert("L"), dtype=np.float32)
    mean = float(pixels.mean())
    detail = (
        f"1 page, {page.width}x{page.height} px at {page.dpi} dpi, {page.color_space}, "
        f"mean brightness {mean / 2.55:.0f} %"
    )
    if mean < BLANK_MEAN:
        return Check("scan-test", Status.PASS, detail + " (not blank: no streak check)")
    streaks = streak_columns(pixels)
    if streaks:
        where = ", ".join(f"{x * 100 // pixels.shape[1]} %" for x in streaks[:5])
        found = f"; streaks across the sheet at {where} of its width"
        return Check("scan-test", Status.WARN, detail + found, "clean the glass strip and rollers")
    return Check("scan-test", Status.PASS, detail + "; blank sheet: no streaks")


def streak_columns(pixels: object, bands: int = 8) -> list[int]:
    """Columns of a blank sheet that run darker (dirt on the glass strip) or lighter (a worn
    roller) than the columns around them from top to bottom: the first column of each run.
    A mark on the paper is in one place, a streak in (nearly) every band of the sheet."""
    import numpy as np

    grey = np.asarray(pixels, dtype=np.float32)
    height, width = grey.shape
    margin = max(width // 50, 2)  # the sheet's edges are not streaks
    kernel = np.ones(15) / 15
    odd_in = np.zeros(width, dtype=np.int32)
    for band in np.array_split(grey, bands, axis=0):
        columns = band.mean(axis=0)
        around = np.convolve(columns, kernel, mode="same")
        odd_in += np.abs(columns - around) > STREAK_STEP
    odd = odd_in >= bands * 3 // 4
    odd[:margin] = odd[-margin:] = False
    return [int(x) for x in np.flatnonzero(odd & ~np.roll(odd, 1))]
