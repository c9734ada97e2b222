"""Scanned pages of the current session, in memory only: the encoded page and a thumbnail.

Memory is bounded by design: per page the store holds what goes into the PDF (the encoded
page, as the scanner's encoder made it) and one small thumbnail (0.09 MiB). A large
picture of a page is decoded only while it is shown (``LargePage``), never kept per page.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from PySide6.QtGui import QImage, QTransform

from kiosk.services.pages.imaging import EncodedPage, PageReport
from kiosk.services.pages.pageimage import to_image

THUMBNAIL = (150, 212)  # px: the review tile's picture (200 px high at most) and the strip's
PREVIEW = (760, 1075)


@dataclass(frozen=True)
class StoredPage:
    encoded: EncodedPage
    thumbnail: QImage

    @property
    def report(self) -> PageReport | None:
        """What the page pipeline found (None: it did not run on this page)."""
        return self.encoded.report


def qimage(page: EncodedPage, fit: tuple[int, int]) -> QImage:
    """Decode and scale off the GUI thread; QImage (not QPixmap) is safe on any thread.
    A grey or black-and-white page stays one byte a pixel, a colour one three (issue 15:
    never four, as a screen's RGB32 would be)."""
    image = to_image(page, fit)
    if image.mode != "L":
        image = image.convert("RGB")
    grey = image.mode == "L"
    form = QImage.Format.Format_Grayscale8 if grey else QImage.Format.Format_RGB888
    data = image.tobytes()
    wrapped = QImage(data, image.width, image.height, image.width * (1 if grey else 3), form)
    return wrapped.copy()  # own the pixels: ``data`` goes away with this function


def prepare(page: EncodedPage) -> StoredPage:
    """On the encoding thread, as each page arrives: its thumbnail, and nothing larger."""
    return StoredPage(page, qimage(page, THUMBNAIL))


def large_picture(page: EncodedPage, rotation: int) -> QImage:
    """The page for the screen's large view, turned as the client turned it (off the GUI
    thread; decoded when the page is opened, dropped when it is closed)."""
    return turned(qimage(page, PREVIEW), rotation)


def turned(image: QImage, rotation: int) -> QImage:
    if rotation % 360 == 0:
        return image
    return image.transformed(QTransform().rotate(rotation))


class PageStore:
    """Never written to disk; ``clear()`` is part of every wipe."""

    def __init__(self) -> None:
        self._pages: dict[str, StoredPage] = {}
        self._ids = itertools.count(1)

    def add(self, page: StoredPage) -> str:
        page_id = f"page-{next(self._ids)}"
        self._pages[page_id] = page
        return page_id

    def get(self, page_id: str) -> StoredPage | None:
        return self._pages.get(page_id)

    def discard(self, page_ids: tuple[str, ...]) -> None:
        for page_id in page_ids:
            self._pages.pop(page_id, None)

    def clear(self) -> None:
        self._pages.clear()

    def __len__(self) -> int:
        return len(self._pages)
