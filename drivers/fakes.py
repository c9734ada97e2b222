"""In-memory fakes of the drivers, for fast tests and demos without hardware."""

from __future__ import annotations

from drivers.scanner.protocol import (
    Capabilities,
    ColorMode,
    DeviceInfo,
    NotFound,
    PageCallback,
    ScannedPage,
    ScanRequest,
    Source,
    Unsupported,
    error_for,
)
from kiosk.core.faults import Fault

_BYTES_PER_PIXEL = {ColorMode.COLOR: 3, ColorMode.GRAY: 1, ColorMode.BW: 1}


class FakeScanner:
    """A scanner with a feeder of ``sheets`` pages, like SANE's ``test`` backend.

    ``faults`` maps a 0-based page index of the next batch to the fault it raises there;
    a faulty sheet is used up, as a jammed sheet is pulled out by hand.
    """

    def __init__(
        self,
        name: str = "fake:0",
        sheets: int = 10,
        faults: dict[int, Fault] | None = None,
        sources: tuple[Source, ...] = (Source.FLATBED, Source.ADF),
    ) -> None:
        self.name = name
        self.sheets = sheets
        self.faults = dict(faults or {})
        self.sources = sources
        self.cancelled = False
        self.batches = 0

    def devices(self) -> list[DeviceInfo]:
        return [DeviceInfo(self.name, "Fake", "in-memory scanner", "virtual device")]

    def capabilities(self, device: str) -> Capabilities:
        self._check(device)
        return Capabilities(self.sources, tuple(ColorMode), (150, 200, 300, 600))

    def cancel(self) -> None:
        self.cancelled = True

    def scan(self, request: ScanRequest, on_page: PageCallback | None = None) -> list[ScannedPage]:
        self._check(request.device)
        if request.source not in self.sources:
            raise Unsupported(f"{request.source} not offered")
        self.batches += 1
        self.cancelled = False
        faults, self.faults = self.faults, {}
        pages: list[ScannedPage] = []
        index = 0
        while True:
            if self.cancelled:
                raise error_for(Fault.CANCELLED, "cancelled", tuple(pages))
            if request.source is not Source.FLATBED and self.sheets == 0:
                if pages:
                    return pages
                raise error_for(Fault.NO_PAPER, "Document feeder out of documents")
            fault = faults.get(index)
            if fault is Fault.NO_PAPER and pages:
                return pages  # as with SANE: an empty feeder after some pages ends the batch
            if fault is not None:
                if request.source is not Source.FLATBED:
                    self.sheets -= 1
                raise error_for(fault, f"injected {fault} at page {index + 1}", tuple(pages))
            page = self._page(request, index)
            if on_page is not None:
                on_page(page)
                page = page.handed_over()  # as the SANE adapter does: pixels not kept
            pages.append(page)
            index += 1
            if request.source is Source.FLATBED or index >= request.max_pages:
                return pages
            self.sheets -= 1

    def _check(self, device: str) -> None:
        if device != self.name:
            raise NotFound(f"no device {device!r}")

    @staticmethod
    def _page(request: ScanRequest, index: int) -> ScannedPage:
        width = round(request.width_mm / 25.4 * request.dpi)
        height = round(request.height_mm / 25.4 * request.dpi)
        row_bytes = width * _BYTES_PER_PIXEL[request.mode]
        # A white page with a dark band whose position says which page it is.
        white = b"\xff" * row_bytes
        dark = b"\x00" * row_bytes
        band = (index * 37) % max(height - 20, 1)
        pixels = white * band + dark * min(20, height - band) + white * max(height - band - 20, 0)
        return ScannedPage(width, height, request.mode, request.dpi, pixels)
