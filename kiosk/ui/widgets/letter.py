"""A job-centre letter with the case number printed top right: where to find your number."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen, QPixmap

from kiosk.services.assets.theme import Palette

# What such a letter shows (German: the letter itself is German whatever the UI language).
SAMPLE_NUMBER = "12345 BG 0012345"


def _font(size: int, bold: bool = False) -> QFont:
    font = QFont("Noto Sans")
    font.setPixelSize(size)
    font.setBold(bold)
    return font


def arrow(p: QPainter, x1: float, y1: float, x2: float, y2: float) -> None:
    p.drawLine(QPointF(x1, y1), QPointF(x2, y2))
    dx, dy = x2 - x1, y2 - y1
    length = max((dx * dx + dy * dy) ** 0.5, 1)
    ux, uy = dx / length * 12, dy / length * 12
    p.drawLine(QPointF(x2, y2), QPointF(x2 - ux - uy * 0.7, y2 - uy + ux * 0.7))
    p.drawLine(QPointF(x2, y2), QPointF(x2 - ux + uy * 0.7, y2 - uy - ux * 0.7))


def letter_picture(width: int, palette: Palette) -> QPixmap:
    """A4 in portrait, ``width`` px wide; the number box framed and pointed at."""
    height = round(width * 1.2)
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(width / 400, width / 400)
    ink = QColor(palette.text)
    p.setPen(QPen(ink, 3))
    p.setBrush(QColor(palette.surface))
    p.drawRect(QRectF(10, 40, 380, 430))  # the sheet (cut off at the bottom)
    p.setFont(_font(20, True))
    p.drawText(QRectF(30, 56, 200, 30), "Jobcenter")
    p.setPen(QPen(QColor(palette.muted), 6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    for y in (130, 150, 170):  # the address block
        p.drawLine(QPointF(30, y), QPointF(150, y))
    for y in range(250, 460, 26):  # body text
        p.drawLine(QPointF(30, y), QPointF(370, y))
    box = QRectF(196, 96, 184, 78)
    p.setPen(QPen(ink, 2))
    p.setFont(_font(15))
    p.drawText(box.adjusted(8, 6, -8, 0), "BG-Nummer:")
    p.setFont(_font(19, True))
    p.drawText(box.adjusted(8, 36, -8, 0), SAMPLE_NUMBER)
    p.setPen(QPen(QColor(palette.focus), 7))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawRoundedRect(box.adjusted(-6, -6, 6, 6), 10, 10)
    arrow(p, 150, 10, 200, 84)
    p.end()
    return QPixmap.fromImage(image)
