"""One PDF/A-2b per submission (or per part), pages embedded as they were encoded,
with German metadata in the Info dictionary and the same in XMP."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import pikepdf
from pikepdf import Array, Dictionary, Name

from kiosk.services.pages.imaging import EncodedPage
from kiosk.services.pages.pdfa import add_metadata, add_output_intent
from kiosk.services.pages.xmp import Metadata, xmp_packet

POINTS_PER_INCH = 72.0
PDF_VERSION = "1.7"  # PDF/A-2 is built on ISO 32000-1 (PDF 1.7)
CREATOR = "Jobcenter Scan-Kiosk"
PRODUCER = f"Jobcenter Scan-Kiosk (pikepdf {pikepdf.__version__})"
FILTERS = ("DCTDecode", "FlateDecode", "CCITTFaxDecode")


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """What staff see in the PDF's properties; German, the language of the administration."""

    title_de: str  # from the concern, e.g. "Arbeitsunfähigkeitsbescheinigung"
    case_number: str  # canonical
    concern_key: str
    kiosk_id: str
    receipt_id: str
    scanned_at: datetime  # timezone-aware
    part: int = 1  # a document split for its inbox's size limit: "Teil 1 von 2"
    parts: int = 1

    @property
    def part_label(self) -> str | None:
        return f"Teil {self.part} von {self.parts}" if self.parts > 1 else None


def metadata(info: DocumentInfo, page_count: int, built_at: datetime | None = None) -> Metadata:
    part = info.part_label
    title = f"{info.title_de} – {info.case_number}" + (f" ({part})" if part else "")
    subject = f"Eingang über Scan-Kiosk {info.kiosk_id}, {page_count} Seite(n)"
    keywords = (
        f"Kundennummer/BG-Nummer: {info.case_number}; Anliegen: {info.concern_key}; "
        f"Seiten: {page_count}; Kiosk: {info.kiosk_id}; Quittung: {info.receipt_id}; "
        f"Scanzeit: {info.scanned_at.isoformat(timespec='seconds')}"
    )
    if part:
        subject += f", {part}"
        keywords += f"; {part}"
    return Metadata(
        title=title,
        subject=subject,
        author=f"Scan-Kiosk {info.kiosk_id}",
        keywords=keywords,
        creator=CREATOR,
        producer=PRODUCER,
        created=info.scanned_at,
        modified=(built_at or datetime.now()).astimezone(info.scanned_at.tzinfo),
    )


def build_pdf(
    pages: Sequence[EncodedPage], info: DocumentInfo, built_at: datetime | None = None
) -> bytes:
    """The PDF/A-2b document; ``built_at`` (default now) is its modification date."""
    if not pages:
        raise ValueError("a PDF needs at least one page")
    meta = metadata(info, len(pages), built_at)
    pdf = pikepdf.new()
    for number, page in enumerate(pages, start=1):
        pdf.pages.append(_page(pdf, page, f"/Im{number}"))
    for key, value in meta.info().items():
        pdf.docinfo[Name("/" + key)] = pikepdf.String(value)
    pdf.Root.Lang = pikepdf.String("de-DE")
    add_metadata(pdf, xmp_packet(meta))
    add_output_intent(pdf)
    out = io.BytesIO()
    # Streams keep their filters (qpdf decodes no DCT, CCITT or Flate stream unless asked);
    # the small content streams are compressed. qpdf writes the binary comment after the
    # header and a trailer /ID.
    pdf.save(out, min_version=PDF_VERSION, compress_streams=True)
    # qpdf's copy of every page goes now, not whenever the collector gets to the document
    # (issue 15: memory bounded by design).
    pdf.close()
    del pdf
    return out.getvalue()  # the buffer itself, not a copy of it (CPython's BytesIO)


def _page(pdf: pikepdf.Pdf, page: EncodedPage, name: str) -> pikepdf.Page:
    width = page.width / page.dpi * POINTS_PER_INCH
    height = page.height / page.dpi * POINTS_PER_INCH
    content = f"q {width:.4f} 0 0 {height:.4f} 0 0 cm {name} Do Q".encode()
    return pikepdf.Page(
        Dictionary(
            Type=Name.Page,
            MediaBox=Array([0, 0, _num(width), _num(height)]),
            Resources=Dictionary(XObject=Dictionary({name: image_xobject(pdf, page)})),
            Contents=pdf.make_stream(content),
        )
    )


def _num(value: float) -> pikepdf.Object:
    return pikepdf.Object.parse(f"{value:.4f}".encode())


def image_xobject(pdf: pikepdf.Pdf, page: EncodedPage) -> pikepdf.Stream:
    """The page's encoded bytes as an image XObject's raw stream: never decoded here."""
    if page.filter not in FILTERS:
        raise ValueError(f"cannot embed a page encoded with {page.filter}")
    image = pikepdf.Stream(pdf, page.data)  # raw data, then the dictionary says its filter
    image.Type = Name.XObject
    image.Subtype = Name.Image
    image.Width, image.Height = page.width, page.height
    image.ColorSpace = Name("/" + page.color_space)
    image.BitsPerComponent = page.bits
    image.Filter = Name("/" + page.filter)
    if page.filter == "CCITTFaxDecode":  # Group 4, white is 0 as TIFF's min-is-white
        image.DecodeParms = Dictionary(K=-1, Columns=page.width, Rows=page.height, BlackIs1=False)
    pdf.make_indirect(image)  # the same object, now numbered
    return image
