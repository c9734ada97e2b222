"""One PDF per submission, pages embedded as they were encoded, with German metadata."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from reportlab.pdfbase.pdfdoc import PDFImageXObject
from reportlab.pdfgen.canvas import Canvas

from kiosk.services.pages.imaging import EncodedPage

POINTS_PER_INCH = 72.0


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """What staff see in the PDF's properties; German, the language of the administration."""

    title_de: str  # from the concern, e.g. "Arbeitsunfähigkeitsbescheinigung"
    case_number: str  # canonical
    concern_key: str
    kiosk_id: str
    receipt_id: str
    scanned_at: datetime  # timezone-aware


class _EncodedImage(PDFImageXObject):  # type: ignore[misc]
    """An image XObject whose stream is the already-encoded page.

    reportlab's own drawImage decodes every image to raw RGB to name it and wraps
    streams in ASCII85 by default (+25 % size, most of the time): we skip both.
    """

    def __init__(self, name: str, page: EncodedPage) -> None:
        super().__init__(name)
        self.width, self.height = page.width, page.height
        self.bitsPerComponent = page.bits
        self.colorSpace = page.color_space
        self._filters = (page.filter,)
        self.streamContent = page.data
        self.mask = None


def build_pdf(pages: Sequence[EncodedPage], info: DocumentInfo) -> bytes:
    if not pages:
        raise ValueError("a PDF needs at least one page")
    out = io.BytesIO()
    canvas = Canvas(out, pageCompression=1)
    canvas.setTitle(f"{info.title_de} – {info.case_number}")
    canvas.setSubject(f"Eingang über Scan-Kiosk {info.kiosk_id}, {len(pages)} Seite(n)")
    canvas.setAuthor(f"Scan-Kiosk {info.kiosk_id}")
    canvas.setCreator("Jobcenter Scan-Kiosk")
    canvas.setKeywords(
        f"Kundennummer/BG-Nummer: {info.case_number}; Anliegen: {info.concern_key}; "
        f"Seiten: {len(pages)}; Kiosk: {info.kiosk_id}; Quittung: {info.receipt_id}; "
        f"Scanzeit: {info.scanned_at.isoformat(timespec='seconds')}"
    )
    for number, page in enumerate(pages, start=1):
        width = page.width / page.dpi * POINTS_PER_INCH
        height = page.height / page.dpi * POINTS_PER_INCH
        canvas.setPageSize((width, height))
        _draw(canvas, f"page{number}", page, width, height)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _draw(canvas: Canvas, name: str, page: EncodedPage, width: float, height: float) -> None:
    # The same registration steps as Canvas.drawImage, minus its decoding.
    doc = canvas._doc
    image = _EncodedImage(name, page)
    reg_name = doc.getXObjectName(name)
    canvas._setXObjects(image)
    doc.Reference(image, reg_name)
    doc.addForm(name, image)
    canvas.saveState()
    canvas.scale(width, height)
    canvas._code.append(f"/{reg_name} Do")
    canvas.restoreState()
    canvas._formsinuse.append(name)
