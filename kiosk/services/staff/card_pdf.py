"""A staff card to print: one credit-card-size page (ID-1, 85.6 x 54 mm) with the QR code
(the signed payload), the name, the role, the card id and the expiry. Printed text is
German first, as the office's cards are; the card id is what `kiosk staff` commands take.
"""

from __future__ import annotations

import io

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kiosk.services.paper_layout import draw_qr, text_fonts
from kiosk.services.printout import ReceiptLayoutError
from kiosk.services.staff.register import StaffCard

WIDTH, HEIGHT = 85.6 * mm, 54 * mm
MARGIN = 4 * mm
QR_SIDE = 40 * mm
ROLE_WORDS = {"office": "Büro / office", "support": "Technik / support"}


def card_pdf(card: StaffCard, payload: str, site: str | None = None) -> bytes:
    """The card as PDF bytes (write them 0600: the QR code opens staff mode)."""
    try:
        regular, bold = text_fonts()  # Noto or DejaVu: names in any Latin or Cyrillic
    except ReceiptLayoutError:
        regular, bold = "Helvetica", "Helvetica-Bold"  # Latin-1 only
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(WIDTH, HEIGHT), invariant=True)
    canvas.setTitle(f"Staff card {card.card_id}")
    canvas.setAuthor("jobcenter-scan-kiosk")
    canvas.setLineWidth(0.3)
    canvas.roundRect(0.5 * mm, 0.5 * mm, WIDTH - 1 * mm, HEIGHT - 1 * mm, 3 * mm)  # cut line
    draw_qr(canvas, payload, MARGIN, (HEIGHT - QR_SIDE) / 2, QR_SIDE)
    x = MARGIN + QR_SIDE + 3 * mm
    width = WIDTH - x - MARGIN
    y = HEIGHT - MARGIN - 3 * mm
    canvas.setFont(bold, 7)
    canvas.drawString(x, y, "Mitarbeiterkarte")
    canvas.setFont(regular, 6)
    canvas.drawString(x, y - 7, site or "Scan-Kiosk")
    y -= 9 * mm
    size = _fit(card.name, bold, 10, width)
    canvas.setFont(bold, size)
    canvas.drawString(x, y, card.name)
    canvas.setFont(regular, 7)
    lines = (
        ROLE_WORDS.get(card.role.value, card.role.value),
        f"Karte / card: {card.card_id}",
        f"gültig bis / valid to: {card.expires:%d.%m.%Y}",
    )
    for number, line in enumerate(lines, start=1):
        canvas.drawString(x, y - number * 9, line)
    canvas.setFont(regular, 5)
    canvas.drawString(x, MARGIN, "Verloren? Bitte im Jobcenter abgeben.")
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _fit(text: str, font: str, size: float, width: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    while size > 5 and stringWidth(text, font, size) > width:
        size -= 0.5
    return size
