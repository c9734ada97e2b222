"""Scanning a batch and encoding each page as it arrives (while the next one scans)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from drivers.scanner.protocol import ColorMode, ScannedPage, Scanner, ScannerError, ScanRequest
from kiosk.core.faults import Fault
from kiosk.core.log_events import emit
from kiosk.services.pages.imaging import EncodedPage
from kiosk.services.pages.pipeline import process_page

# How the page pipeline stores the pages of a scan in each scan mode: a colour scan (the
# configuration's default) lets every page decide between colour, gray and black-and-white,
# a gray scan between gray and black-and-white; a black-and-white scan stays so.
PAGE_MODE_FOR_SCAN = {ColorMode.COLOR: "auto", ColorMode.GRAY: "auto", ColorMode.BW: "bw"}
# Raw pages waiting for the pipeline at most (a colour A4 page at 300 dpi is 26 MB): a
# scanner faster than the pipeline (SANE's test backend, a 60-ppm feeder) waits for it.
AHEAD = 1
log = logging.getLogger(__name__)


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
    page_mode: str | None = None,
) -> list[EncodedPage]:
    """Scan a batch; each page goes through the page pipeline on one background thread,
    in order, while the next page arrives. ``on_page`` runs on that thread, once per
    page, in page order. ``page_mode`` ("auto", "color", "gray", "bw"): how pages are
    stored; None: as ``PAGE_MODE_FOR_SCAN`` says for the request's mode."""
    futures: list[Future[EncodedPage]] = []
    mode = page_mode or PAGE_MODE_FOR_SCAN[request.mode]

    def encode(page: ScannedPage, number: int) -> EncodedPage:
        encoded = process_page(page, mode)
        if on_page is not None:
            on_page(number, encoded)
        return encoded

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="encode") as pool:

        def hand_over(page: ScannedPage) -> None:  # on the scanner's thread
            if not futures and page.not_set:  # the same for every page of the batch
                emit(log, "scan.settings_missing", detail="; ".join(map(str, page.not_set)))
            if len(futures) >= AHEAD:
                futures[-AHEAD].exception()  # waits for it; its error is raised below
            futures.append(pool.submit(encode, page, len(futures) + 1))

        try:
            scanner.scan(request, hand_over)
        except ScannerError as err:
            raise ScanStopped(err.fault, err.detail, [f.result() for f in futures]) from err
        return [f.result() for f in futures]
