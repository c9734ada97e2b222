"""The page pipeline: each scanned page found on the scan, straightened, turned upright,
judged (colour, gray or black-and-white; empty; readable) and encoded, Qt-free.

``process_page`` runs per page as it arrives, on the scan job's encoding thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.services.pages.imaging import EncodedPage

if TYPE_CHECKING:
    from drivers.scanner.protocol import ScannedPage

MODES = ("auto", "color", "gray", "bw")


def process_page(page: ScannedPage, mode: str = "auto") -> EncodedPage:
    """The page straightened, upright and encoded, with what was decided in ``report``.

    ``mode``: "auto" decides per page; "color", "gray" or "bw" store every page so (a
    page scanned in gray cannot become colour: it stays gray).
    """
    from kiosk.services.pages.pipeline.steps import run  # OpenCV only once a page comes

    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}: {mode!r}")
    return run(page, mode)


__all__ = ["MODES", "process_page"]
