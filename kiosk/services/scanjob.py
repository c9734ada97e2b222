"""Scanning a batch and encoding each page as it arrives (while the next one scans)."""

from __future__ import annotations

from collections.abc import Callable

from drivers.scanner import Fault, ScannedPage, Scanner, ScannerError, ScanRequest
from kiosk.services.imaging import EncodedPage, encode_page


class ScanStopped(Exception):
    """A batch stopped early; ``pages`` holds the encoded pages scanned before."""

    def __init__(self, fault: Fault, detail: str, pages: list[EncodedPage]) -> None:
        super().__init__(detail)
        self.fault = fault
        self.detail = detail
        self.pages = pages


def scan_encoded(
    scanner: Scanner,
    request: ScanRequest,
    on_page: Callable[[int, EncodedPage], None] | None = None,
) -> list[EncodedPage]:
    """Scan a batch; each page is encoded in this process while the worker scans on."""
    pages: list[EncodedPage] = []

    def arrived(page: ScannedPage) -> None:
        encoded = encode_page(page)
        pages.append(encoded)
        if on_page is not None:
            on_page(len(pages), encoded)

    try:
        scanner.scan(request, arrived)
    except ScannerError as err:
        raise ScanStopped(err.fault, err.detail, pages) from err
    return pages
