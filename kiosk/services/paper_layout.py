"""The paper receipt laid out as a PDF (reportlab), Arabic lines shaped by Pillow's libraqm
and placed as line images: imported only when a receipt is printed."""

from __future__ import annotations

import io
import logging
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import segno
from PIL import Image, ImageDraw, ImageFont, features
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from kiosk.core.log_events import emit
from kiosk.services.printout import Paper, Part, Printout, ReceiptLayoutError

log = logging.getLogger(__name__)

FONT_DIRS = (Path("/usr/share/fonts/truetype/noto"), Path("/usr/share/fonts/truetype/dejavu"))
# Latin and Cyrillic as real PDF text: Noto Sans as on the screen, else DejaVu Sans.
TEXT_FONTS = (
    ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
)
# Arabic lines: one font for a whole line (libraqm has no fallback), so one that has the
# Latin letters and digits inside Arabic text as well ("Bürgergeld", "12345BG•••2345").
RTL_FONTS = (("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),)
RTL_DPI = 400  # line images: sharp on a 203 dpi thermal head and a 600 dpi laser
_CONTROLS = re.compile("[\u200e\u200f\u061c\u2066-\u2069]")  # bidi marks: RTL text only


@dataclass(frozen=True)
class _Sheet:
    width: float  # points
    margin: float
    title: float  # font sizes, points
    number: float
    label: float
    text: float
    qr: float  # side of the QR code
    columns: bool  # label and value side by side (A4), else the label above its value
    height: float | None  # None: as long as the receipt (a roll)


SHEETS: dict[str, _Sheet] = {
    "80mm": _Sheet(80 * mm, 4 * mm, 12, 17, 8, 10, 26 * mm, False, None),
    "a4": _Sheet(210 * mm, 20 * mm, 18, 26, 10, 12, 40 * mm, True, 297 * mm),
}


# -- fonts --------------------------------------------------------------------------------


def _find(names: tuple[tuple[str, str], ...]) -> tuple[Path, Path] | None:
    for regular, bold in names:
        for directory in FONT_DIRS:
            if (directory / regular).is_file() and (directory / bold).is_file():
                return directory / regular, directory / bold
    return None


_lock = threading.Lock()
_registered: tuple[str, str] | None = None


def text_fonts() -> tuple[str, str]:
    """reportlab names of the regular and bold text font (Noto Sans, else DejaVu Sans),
    registered once; the readiness report uses them too."""
    global _registered
    with _lock:
        if _registered is None:
            found = _find(TEXT_FONTS)
            if found is None:
                raise ReceiptLayoutError("no receipt font (Debian: fonts-noto-core)")
            pdfmetrics.registerFont(TTFont("ReceiptText", str(found[0])))
            pdfmetrics.registerFont(TTFont("ReceiptText-Bold", str(found[1])))
            _registered = ("ReceiptText", "ReceiptText-Bold")
        return _registered


def right_to_left_available() -> bool:
    """Can Arabic be shaped and ordered here (Pillow with libraqm, and a font for it)?"""
    return bool(features.check_feature("raqm")) and _find(RTL_FONTS) is not None


# -- layout -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Run:
    """One line to draw: text (x from the left margin) or a right-to-left line image."""

    y: float  # baseline, from the top of the page
    x: float
    text: str = ""
    font: str = ""
    size: float = 0.0
    image: Image.Image | None = None
    align: Literal["left", "right", "centre"] = "left"


class _Layout:
    """Lines top to bottom; the page height is known only at the end (a roll)."""

    def __init__(self, sheet: _Sheet, fonts: tuple[str, str]) -> None:
        self.sheet = sheet
        self.regular, self.bold = fonts
        self.inner = sheet.width - 2 * sheet.margin
        self.y = sheet.margin
        self.runs: list[_Run] = []
        self.qr: tuple[float, float, str] | None = None  # (x, y of the top, text)
        self.rules: list[float] = []

    def gap(self, points: float) -> None:
        self.y += points

    def text(
        self, text: str, font: str, size: float, *, at: float = 0.0, width: float | None = None,
        align: Literal["left", "right", "centre"] = "left",
    ) -> None:  # fmt: skip
        room = self.inner - at if width is None else width
        for line in simpleSplit(_CONTROLS.sub("", text), font, size, room) or [""]:
            self.y += size * 1.2
            self.runs.append(_Run(self.y - size * 0.25, at, line, font, size, align=align))

    def rtl(
        self, text: str, size: float, bold: bool, *, at: float = 0.0, width: float | None = None
    ) -> None:
        """``at``: distance from the right margin (right-to-left)."""
        room = self.inner - at if width is None else width
        for image, height in _rtl_lines(text, size, bold, room):
            self.y += height
            self.runs.append(_Run(self.y, at, image=image, align="right"))

    def cell(
        self, part: Part, text: str, size: float, *, bold: bool, at: float = 0.0,
        width: float | None = None,
    ) -> None:  # fmt: skip
        """``text`` in ``part``'s direction; ``at`` from the margin the text starts at."""
        if part.rtl:
            self.rtl(text, size, bold, at=at, width=width)
        else:
            font = self.bold if bold else self.regular
            self.text(text, font, size, at=at, width=width)

    def rule(self) -> None:
        self.y += 6
        self.rules.append(self.y)
        self.y += 4


def receipt_pdf(printout: Printout, paper: Paper = "80mm") -> bytes:
    """The receipt as a PDF (one page); raises ReceiptLayoutError without a font."""
    sheet = SHEETS[paper]
    layout = _Layout(sheet, text_fonts())
    layout.qr = ((sheet.width - sheet.qr) / 2, layout.y, printout.receipt_id)
    layout.gap(sheet.qr)
    layout.text(printout.receipt_id, layout.bold, sheet.number, align="centre")
    for part in _printable(printout.parts):
        layout.rule()
        _part(layout, part)
    layout.gap(sheet.margin)
    return _draw(layout, printout)


def _printable(parts: tuple[Part, ...]) -> Iterator[Part]:
    rtl_ok = right_to_left_available()
    for part in parts:
        if part.rtl and not rtl_ok:
            emit(log, "printer.rtl_left_out", language=part.language)
            continue
        yield part


def _part(layout: _Layout, part: Part) -> None:
    s = layout.sheet
    layout.cell(part, part.title, s.title, bold=True)
    layout.gap(s.text * 0.3)
    label_width = layout.inner * 0.4
    for label, value in part.rows:
        if s.columns:  # side by side, baselines level: one size for both
            top = layout.y
            layout.cell(part, label, s.text, bold=False, width=label_width - 6)
            below, layout.y = layout.y, top
            value_width = layout.inner - label_width
            layout.cell(part, value, s.text, bold=True, at=label_width, width=value_width)
            layout.y = max(below, layout.y)
        else:
            layout.cell(part, label, s.label, bold=False)
            layout.cell(part, value, s.text, bold=True)
        layout.gap(s.text * 0.25)
    for note in part.notes:
        layout.gap(s.text * 0.4)
        layout.cell(part, note, s.text, bold=False)


def _draw(layout: _Layout, printout: Printout) -> bytes:
    sheet = layout.sheet
    height = sheet.height if sheet.height is not None else layout.y
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(sheet.width, height), invariant=True)
    canvas.setTitle("Eingangsbestätigung")
    canvas.setAuthor("")
    canvas.setCreator("scan kiosk")
    canvas.setSubject("")
    left, right = sheet.margin, sheet.width - sheet.margin
    if layout.qr is not None:
        x, top, text = layout.qr
        draw_qr(canvas, text, x, height - top - sheet.qr, sheet.qr)
    canvas.setLineWidth(0.6)
    canvas.setDash(2, 2)
    for y in layout.rules:
        canvas.line(left, height - y, right, height - y)
    for run in layout.runs:
        if run.image is not None:
            w = run.image.width * 72 / RTL_DPI
            h = run.image.height * 72 / RTL_DPI
            x = right - run.x - w
            canvas.drawImage(ImageReader(run.image), x, height - run.y, w, h)
            continue
        canvas.setFont(run.font, run.size)
        if run.align == "centre":
            canvas.drawCentredString(sheet.width / 2, height - run.y, run.text)
        else:
            canvas.drawString(left + run.x, height - run.y, run.text)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def draw_qr(canvas: Canvas, text: str, x: float, y: float, side: float) -> None:
    """``text`` as a QR code of ``side`` points, lower left at x, y (receipt, staff card)."""
    matrix = segno.make(text, error="m", boost_error=False).matrix
    border = 2
    unit = side / (len(matrix) + 2 * border)
    canvas.setFillColorRGB(0, 0, 0)
    for row_number, row in enumerate(matrix):
        for column, on in enumerate(row):
            if on:
                top = y + side - (row_number + border + 1) * unit
                canvas.rect(x + (column + border) * unit, top, unit, unit, stroke=0, fill=1)


# -- right-to-left lines -------------------------------------------------------------------


_rtl_fonts: dict[tuple[int, bool], ImageFont.FreeTypeFont] = {}


def _rtl_font(pixels: int, bold: bool) -> ImageFont.FreeTypeFont:
    with _lock:
        key = (pixels, bold)
        if key not in _rtl_fonts:
            found = _find(RTL_FONTS)
            if found is None:
                raise ReceiptLayoutError("no font for right-to-left text (fonts-dejavu-core)")
            path = found[1] if bold else found[0]
            _rtl_fonts[key] = ImageFont.truetype(
                str(path), pixels, layout_engine=ImageFont.Layout.RAQM
            )
        return _rtl_fonts[key]


def _rtl_lines(
    text: str, size: float, bold: bool, width: float
) -> Iterator[tuple[Image.Image, float]]:
    """``text`` broken into lines that fit ``width`` points, each shaped and ordered right to
    left as a grey image; with each, the line's height in points."""
    scale = RTL_DPI / 72
    font = _rtl_font(round(size * scale), bold)
    room = width * scale
    ascent, descent = font.getmetrics()
    for line in _wrap(text, font, room):
        length = max(1, round(font.getlength(line, direction="rtl", language="ar")))
        image = Image.new("L", (length + 4, ascent + descent), 255)
        ImageDraw.Draw(image).text(
            (length + 2, ascent), line, font=font, fill=0, anchor="rs", direction="rtl",
            language="ar",
        )  # fmt: skip
        yield image, (ascent + descent) / scale * 1.1


def _wrap(text: str, font: ImageFont.FreeTypeFont, room: float) -> Iterator[str]:
    """Greedy, word by word in logical order (each line is ordered on its own)."""
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if line and font.getlength(candidate, direction="rtl", language="ar") > room:
                yield line
                line = word
            else:
                line = candidate
        yield line


# -- printing -----------------------------------------------------------------------------
