"""Scanning a batch and encoding each page as it arrives (while the next one scans)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from drivers.scanner.protocol import ScannedPage, Scanner, ScannerError, ScanRequest
from kiosk.core.faults import Fault
from kiosk.services.pages.imaging import EncodedPage, encode_page


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
    """Scan a batch; pages are encoded on one background thread, in order, while the
    next page arrives. ``on_page`` runs on that thread, once per page, in page order."""
    futures: list[Future[EncodedPage]] = []

    def encode(page: ScannedPage, number: int) -> EncodedPage:
        encoded = encode_page(page)
        if on_page is not None:
            on_page(number, encoded)
        return encoded

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="encode") as pool:
        try:
            scanner.scan(
                request, lambda p: futures.append(pool.submit(encode, p, len(futures) + 1))
            )
        except ScannerError as err:
            raise ScanStopped(err.fault, err.detail, [f.result() for f in futures]) from err
        return [f.result() for f in futures]
