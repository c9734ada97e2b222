"""Example sessions and made-up pages, for screenshots and layout tests (no real data)."""

from __future__ import annotations

import numpy as np
import segno
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter

from drivers.camera.preview import CameraState, Hint, PreviewFrame
from kiosk.core.cards import REASON_EXPIRED
from kiosk.core.concerns import concern_by_key
from kiosk.core.events import PageRef
from kiosk.core.faults import Fault
from kiosk.core.identity import parse_case_number
from kiosk.core.receipt import Receipt, ReceiptStatus
from kiosk.core.records import replace
from kiosk.core.session import Deleted, Phase, Session
from kiosk.ui.presenter.pagestore import PREVIEW, THUMBNAIL
from kiosk.ui.presenter.view import PageView

CASE = parse_case_number("12345BG0012345")  # the sample number printed on the letter picture


def sample_image(number: int, width: int = PREVIEW[0]) -> QImage:
    """A letter-like page: a heading, a few paragraphs of grey lines, the page number."""
    height = round(width * 297 / 210)
    image = QImage(width, height, QImage.Format.Format_RGB888)
    image.fill(QColor("white"))
    p = QPainter(image)
    scale = width / 210
    font = QFont("Noto Sans")
    font.setPixelSize(round(12 * scale))
    font.setBold(True)
    p.setFont(font)
    p.drawText(QRectF(16 * scale, 14 * scale, 180 * scale, 20 * scale), f"Dokument {number}")
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#8a8f96"))
    y = 44.0
    for line in range(28):
        if line % 6 == 5:
            y += 6
            continue
        length = 160 if line % 6 != 4 else 90
        p.drawRect(QRectF(18 * scale, y * scale, length * scale, 2.4 * scale))
        y += 8
    p.end()
    return image


def sample_pages(count: int) -> tuple[PageView, ...]:
    pages = []
    for n in range(1, count + 1):
        preview = sample_image(n)
        thumb = preview.scaled(*THUMBNAIL, Qt.AspectRatioMode.KeepAspectRatio)
        pages.append(PageView(f"page-{n}", n, 0, thumb, preview))
    return tuple(pages)


def session_for(name: str, language: str) -> tuple[Session, int]:
    """A session in the state a screenshot shows, and how many sample pages go with it."""
    base = Session(language=language)
    confirmed = replace(base, case=CASE, concern=concern_by_key("renewal"))
    refs = tuple(PageRef(f"page-{n}") for n in range(1, 7))
    receipt = Receipt(
        "K7M-4QX-9TB",
        "2025-03-14T10:42:00+01:00",
        concern_by_key("renewal"),
        6,
        CASE.masked(),
        ReceiptStatus.DELIVERED,
    )
    states: dict[str, tuple[Session, int]] = {
        "start": (base, 0),
        "explain": (replace(base, phase=Phase.IDENTIFY), 0),
        "identify": (replace(base, phase=Phase.IDENTIFY), 0),
        "confirm": (replace(base, phase=Phase.CONFIRM, case=CASE), 0),
        "concern": (replace(base, phase=Phase.CONCERN, case=CASE), 0),
        "objection-hint": (
            replace(confirmed, phase=Phase.SCAN, concern=concern_by_key("objection")),
            0,
        ),
        "scan-progress": (replace(confirmed, phase=Phase.SCAN, scanning=True, pages=refs[:4]), 4),
        "jam": (replace(confirmed, phase=Phase.SCAN, scan_problem=Fault.JAMMED, pages=refs[:3]), 3),
        "no-paper": (replace(confirmed, phase=Phase.SCAN, scan_problem=Fault.NO_PAPER), 0),
        "rescan": (
            replace(confirmed, phase=Phase.SCAN, pages=refs, insert_at=1, replacing="page-2"),
            6,
        ),
        "review": (replace(confirmed, phase=Phase.REVIEW, pages=refs), 6),
        "review-flagged": (replace(confirmed, phase=Phase.REVIEW, pages=refs), 6),
        "review-notices": (replace(confirmed, phase=Phase.REVIEW, pages=refs), 6),
        "page-large": (replace(confirmed, phase=Phase.REVIEW, pages=refs), 6),
        "page-deleted": (
            replace(confirmed, phase=Phase.REVIEW, pages=refs[:5], deleted=(Deleted(refs[5], 2),)),
            5,
        ),
        "sending": (replace(confirmed, phase=Phase.SEND, pages=refs), 6),
        "receipt-delivered": (replace(base, phase=Phase.RECEIPT, receipt=receipt), 0),
        "receipt-queued": (
            replace(
                base, phase=Phase.RECEIPT, receipt=replace(receipt, status=ReceiptStatus.QUEUED)
            ),
            0,
        ),
        "receipt-held": (
            replace(base, phase=Phase.RECEIPT, receipt=replace(receipt, status=ReceiptStatus.HELD)),
            0,
        ),
        "identify-camera": (replace(base, phase=Phase.IDENTIFY), 0),
        "card-refused": (
            replace(base, phase=Phase.IDENTIFY, identify_error=REASON_EXPIRED, card_refused=True),
            0,
        ),
        "camera-off": (replace(base, phase=Phase.IDENTIFY), 0),
        "timeout": (replace(base, phase=Phase.CONCERN, case=CASE, warned=True), 0),
        "error": (replace(base, phase=Phase.ERROR, error="unexpected"), 0),
        "out-of-order": (replace(base, phase=Phase.OUT_OF_ORDER, error="scanner"), 0),
        "staff": (replace(base, phase=Phase.STAFF), 0),
        "diagnostics": (replace(base, phase=Phase.STAFF), 0),
        "staff-pin": (base, 0),
        "staff-office": (replace(base, phase=Phase.STAFF), 0),
        "staff-timeout": (replace(base, phase=Phase.STAFF, warned=True), 0),
        "staff-out-of-order": (replace(base, phase=Phase.STAFF), 0),
        "staff-settings": (replace(base, phase=Phase.STAFF), 0),
        "staff-reboot": (replace(base, phase=Phase.STAFF), 0),
        "staff-bundle": (replace(base, phase=Phase.STAFF), 0),
        "out-of-order-notice": (replace(base, phase=Phase.OUT_OF_ORDER, error="staff"), 0),
        "staff-held": (replace(base, phase=Phase.STAFF), 0),
        "staff-report": (replace(base, phase=Phase.STAFF), 0),
        "staff-lookup": (replace(base, phase=Phase.STAFF), 0),
    }
    return states[name]


SCREENS = (
    "start", "explain", "identify", "identify-camera", "card-refused", "camera-off", "confirm",
    "concern", "objection-hint", "scan-progress", "jam", "no-paper", "rescan", "review",
    "page-large", "page-deleted", "review-flagged", "review-notices",
    "sending", "receipt-delivered", "receipt-queued", "receipt-held", "timeout", "error",
    "out-of-order", "staff", "diagnostics", "staff-pin",
    "staff-office", "staff-timeout", "staff-out-of-order", "staff-settings", "staff-reboot",
    "staff-bundle", "out-of-order-notice",
    "staff-held", "staff-report", "staff-lookup",
)  # fmt: skip
CAMERA = {
    "identify-camera": CameraState.CONNECTED,
    "card-refused": CameraState.CONNECTED,
    "camera-off": CameraState.DISCONNECTED,
}


def sample_preview(hint: Hint = Hint.STILL, width: int = 480) -> PreviewFrame:
    """A camera picture of a hand-held card with a QR code (made up), as the feed gives it."""
    height = round(width * 9 / 16)
    image = QImage(width, height, QImage.Format.Format_RGB888)
    image.fill(QColor("#6b6258"))  # a counter top
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    card = QRectF(width * 0.3, height * 0.14, width * 0.4, height * 0.72)
    p.translate(card.center())
    p.rotate(-6)
    p.translate(-card.center())
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#f2f2ee"))
    p.drawRoundedRect(card, 10, 10)
    matrix = segno.make("JC1:T:sample-card-not-real", error="m").matrix
    side = card.height() * 0.7
    unit = side / len(matrix)
    left, top = card.center().x() - side / 2, card.top() + card.height() * 0.08
    p.setBrush(QColor("#111111"))
    for y, row in enumerate(matrix):
        for x, on in enumerate(row):
            if on:
                p.drawRect(QRectF(left + x * unit, top + y * unit, unit + 0.3, unit + 0.3))
    corners = [
        p.transform().map(QPointF(left, top)),
        p.transform().map(QPointF(left + side, top)),
        p.transform().map(QPointF(left + side, top + side)),
        p.transform().map(QPointF(left, top + side)),
    ]
    p.end()
    bits = image.constBits()
    rgb = np.frombuffer(bits, np.uint8).reshape(height, image.bytesPerLine())[:, : width * 3]
    outline = tuple((c.x() / width, c.y() / height) for c in corners)
    codes = (outline,) if hint is Hint.STILL else ()
    return PreviewFrame(np.ascontiguousarray(rgb.reshape(height, width, 3)), hint, codes)
