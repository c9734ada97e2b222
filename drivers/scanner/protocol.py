"""The Scanner protocol, what it takes and returns, and its typed errors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from drivers.scanner.modes import ColorMode as ColorMode  # re-exported
from drivers.scanner.modes import Source as Source
from kiosk.core.faults import Fault


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    name: str  # e.g. "test:0", "fujitsu:fi-7160:12345"
    vendor: str
    model: str
    kind: str


class Setting(StrEnum):
    """A part of a ScanRequest that a device may have no option for."""

    SOURCE = "source"
    MODE = "mode"
    RESOLUTION = "resolution"
    AREA = "area"  # the scan area (width_mm x height_mm)


@dataclass(frozen=True, slots=True)
class NotSet:
    """A part of the request the device has no option for (SANE's `pnm` backend has no
    mode, source or scan area; a Canon LiDE has no source): the scan goes on as the device
    does, and this says so. A device whose option lacks a value (a gray-only mode list
    asked for colour) is refused with ``Unsupported`` instead."""

    setting: Setting
    wanted: str  # what the request asked for: "adf", "bw", "300 dpi", "210x297 mm"
    instead: str  # what the scan does: "one sheet, as from a flatbed", "gray"

    def __str__(self) -> str:
        return f"no {self.setting} option for {self.wanted}: {self.instead}"


@dataclass(frozen=True, slots=True)
class Capabilities:
    sources: tuple[Source, ...]
    modes: tuple[ColorMode, ...]
    resolutions: tuple[int, ...]  # a few typical values the device accepts, snapped
    # What the device has no option for at all: a request for any value of it is scanned
    # as the device does (see NotSet), never refused for that alone.
    fixed: tuple[Setting, ...] = ()


@dataclass(frozen=True, slots=True)
class ScanRequest:
    device: str
    source: Source = Source.ADF
    mode: ColorMode = ColorMode.COLOR
    dpi: int = 300
    width_mm: float = 210.0  # A4
    height_mm: float = 297.0
    # A feeder whose sensor never reports "empty" must not scan forever: the batch ends
    # after this many pages (a kiosk client brings tens, not hundreds).
    max_pages: int = 200
    # Backend options set before page N (0-based) of the batch. Field support and the
    # contract tests use it to inject faults into SANE's `test` backend mid-batch.
    page_options: dict[int, dict[str, str | int | float | bool]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ScannedPage:
    """Raw pixels of one page: RGB (3 bytes/pixel) for colour, 1 byte/pixel otherwise.

    Black-and-white pages hold 0 or 255 per pixel; encoding packs them to one bit.
    """

    width: int
    height: int
    mode: ColorMode
    dpi: int
    pixels: bytes | bytearray  # as read from the worker's pipe, without a copy
    # What of the request the device could not be told (the whole batch shares one tuple).
    not_set: tuple[NotSet, ...] = ()

    def __repr__(self) -> str:  # never dump megabytes of pixels into a log
        return f"ScannedPage({self.width}x{self.height} {self.mode} {self.dpi}dpi)"

    def handed_over(self) -> ScannedPage:
        """What a scanner keeps of a page it gave to ``on_page``: everything but the pixels
        (a batch of 50 colour A4 sheets at 300 dpi is 1.3 GB of pixels)."""
        return ScannedPage(self.width, self.height, self.mode, self.dpi, b"", self.not_set)


class ScannerError(Exception):
    """A scan stopped. ``pages`` holds every complete page scanned before the failure."""

    fault: Fault = Fault.FAILED

    def __init__(self, detail: str = "", pages: tuple[ScannedPage, ...] = ()) -> None:
        super().__init__(detail or self.fault.value)
        self.detail = detail
        self.pages = pages

    def with_pages(self, pages: tuple[ScannedPage, ...]) -> ScannerError:
        clone = type(self)(self.detail, pages)
        clone.__cause__ = self.__cause__
        return clone


def _error_class(fault: Fault) -> type[ScannerError]:
    name = "".join(part.title() for part in fault.value.split("_"))
    return type(name, (ScannerError,), {"fault": fault, "__module__": __name__})


# ScannerError.Jammed, ScannerError.NoPaper, ...: one subclass per fault, so callers can
# catch exactly what they handle.
ERROR_FOR: dict[Fault, type[ScannerError]] = {f: _error_class(f) for f in Fault}
ERROR_FOR[Fault.FAILED] = ScannerError
NoPaper = ERROR_FOR[Fault.NO_PAPER]
Jammed = ERROR_FOR[Fault.JAMMED]
CoverOpen = ERROR_FOR[Fault.COVER_OPEN]
Busy = ERROR_FOR[Fault.BUSY]
IoError = ERROR_FOR[Fault.IO_ERROR]
NotFound = ERROR_FOR[Fault.NOT_FOUND]
Hung = ERROR_FOR[Fault.HUNG]
Unsupported = ERROR_FOR[Fault.UNSUPPORTED]
Truncated = ERROR_FOR[Fault.TRUNCATED]
Cancelled = ERROR_FOR[Fault.CANCELLED]


def error_for(fault: Fault, detail: str = "", pages: tuple[ScannedPage, ...] = ()) -> ScannerError:
    return ERROR_FOR[fault](detail, pages)


PageCallback = Callable[[ScannedPage], None]


class Scanner(Protocol):
    """Three calls, as in NAPS2: what is there, what can it do, scan; and a way to stop."""

    def devices(self) -> list[DeviceInfo]: ...

    def capabilities(self, device: str) -> Capabilities: ...

    def scan(self, request: ScanRequest, on_page: PageCallback | None = None) -> list[ScannedPage]:
        """Scan a batch: one page from the glass, or until the feeder is empty.

        ``on_page`` sees each page as it arrives, and then the page is the callback's: the
        list returned (and an error's ``pages``) holds it ``handed_over()``, without its
        pixels, so a long batch is never in memory at once. Raises a ScannerError subclass
        whose ``pages`` holds the pages scanned before the failure; an empty feeder at the
        start is ``NoPaper``, never an empty success.
        """
        ...

    def cancel(self) -> None:
        """Ask a running scan to stop (from another thread); ``scan`` then raises
        ``Cancelled`` with the pages scanned so far."""
        ...
