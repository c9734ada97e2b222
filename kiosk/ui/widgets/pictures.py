"""Larger pictures: the scanner (feeder, glass, jam, lid, empty tray) and the concern icons."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPainter

from kiosk.ui.widgets.pictograms import arrow, fill, page, pictogram, poly, text


def scanner_body(p: QPainter) -> None:
    p.drawRoundedRect(QRectF(10, 56, 80, 30), 6, 6)
    p.drawLine(QPointF(20, 76), QPointF(80, 76))


@pictogram("feeder")
def _feeder(p: QPainter) -> None:
    scanner_body(p)
    p.drawPolyline(poly((24, 56), (34, 30), (70, 30), (76, 56)))  # the tray
    page(p, 36, 6, 30, 34, 2)
    arrow(p, 84, 10, 84, 42)


@pictogram("glass")
def _glass(p: QPainter) -> None:
    scanner_body(p)
    p.drawLine(QPointF(10, 56), QPointF(40, 12))  # the lid, open
    page(p, 34, 40, 40, 14, 0)
    arrow(p, 80, 14, 80, 46)


@pictogram("jam")
def _jam(p: QPainter) -> None:
    scanner_body(p)
    p.drawLine(QPointF(10, 56), QPointF(36, 18))  # lid opened
    p.drawPolyline(poly((44, 56), (50, 40), (58, 50), (64, 34), (72, 48)))  # crumpled sheet
    arrow(p, 64, 30, 82, 8)  # pull it out gently


@pictogram("cover-open")
def _cover_open(p: QPainter) -> None:
    scanner_body(p)
    p.drawLine(QPointF(10, 56), QPointF(52, 14))
    arrow(p, 72, 14, 72, 46)  # close it


@pictogram("no-paper")
def _no_paper(p: QPainter) -> None:
    scanner_body(p)
    p.drawPolyline(poly((24, 56), (34, 30), (70, 30), (76, 56)))
    page(p, 56, 0, 28, 26, 2)
    arrow(p, 46, 10, 46, 36)


# --- concern icons ---------------------------------------------------------------------


@pictogram("renewal")
def _renewal(p: QPainter) -> None:
    p.drawArc(QRectF(10, 10, 80, 80), 30 * 16, 300 * 16)
    p.drawPolyline(poly((78, 8), (80, 30), (58, 28)))
    text(p, QRectF(20, 20, 60, 60), "€", 44)


@pictogram("requested")
def _requested(p: QPainter) -> None:
    p.drawRect(QRectF(8, 24, 84, 56))
    p.drawPolyline(poly((8, 24), (50, 56), (92, 24)))
    text(p, QRectF(60, 0, 40, 30), "?", 30)


@pictogram("income")
def _income(p: QPainter) -> None:
    p.drawRect(QRectF(8, 30, 84, 44))
    p.drawEllipse(QRectF(36, 38, 28, 28))
    text(p, QRectF(36, 38, 28, 28), "€", 22)


@pictogram("housing")
def _housing(p: QPainter) -> None:
    p.drawPolyline(poly((6, 50), (50, 12), (94, 50)))
    p.drawPolyline(poly((18, 42), (18, 90), (82, 90), (82, 42)))
    p.drawRect(QRectF(42, 62, 16, 28))


@pictogram("household")
def _household(p: QPainter) -> None:
    for x, y, r in ((14, 14, 22), (58, 14, 22), (40, 50, 16)):
        p.drawEllipse(QRectF(x, y, r, r))
    p.drawArc(QRectF(6, 40, 38, 50), 0, 180 * 16)
    p.drawArc(QRectF(50, 40, 38, 50), 0, 180 * 16)
    p.drawArc(QRectF(34, 70, 28, 36), 0, 180 * 16)


@pictogram("sick")
def _sick(p: QPainter) -> None:
    p.drawRoundedRect(QRectF(42, 8, 16, 64), 8, 8)
    p.drawEllipse(QRectF(36, 64, 28, 28))
    fill(p)
    p.drawEllipse(QRectF(43, 71, 14, 14))
    p.drawRect(QRectF(48, 40, 4, 30))


@pictogram("travel")
def _travel(p: QPainter) -> None:
    p.drawRoundedRect(QRectF(10, 30, 80, 56), 8, 8)
    p.drawRect(QRectF(36, 14, 28, 16))
    p.drawLine(QPointF(30, 30), QPointF(30, 86))
    p.drawLine(QPointF(70, 30), QPointF(70, 86))


@pictogram("jobsearch")
def _jobsearch(p: QPainter) -> None:
    p.drawRoundedRect(QRectF(8, 30, 84, 56), 6, 6)
    p.drawRect(QRectF(36, 16, 28, 14))
    p.drawLine(QPointF(8, 54), QPointF(92, 54))


@pictogram("education")
def _education(p: QPainter) -> None:
    p.drawPolyline(poly((50, 24), (10, 14), (10, 80), (50, 90), (90, 80), (90, 14), (50, 24)))
    p.drawLine(QPointF(50, 24), QPointF(50, 90))


@pictogram("onetime")
def _onetime(p: QPainter) -> None:
    p.drawPolygon(
        poly(
            (34, 12),
            (50, 22),
            (66, 12),
            (92, 30),
            (80, 46),
            (72, 40),
            (72, 90),
            (28, 90),
            (28, 40),
            (20, 46),
            (8, 30),
        )
    )


@pictogram("repayment")
def _repayment(p: QPainter) -> None:
    p.drawEllipse(QRectF(40, 22, 52, 52))
    text(p, QRectF(40, 22, 52, 52), "€", 32)
    arrow(p, 36, 48, 6, 48)


@pictogram("objection")
def _objection(p: QPainter) -> None:
    p.drawLine(QPointF(50, 14), QPointF(50, 88))
    p.drawLine(QPointF(30, 88), QPointF(70, 88))
    p.drawLine(QPointF(14, 24), QPointF(86, 24))
    for x in (14, 86):
        p.drawLine(QPointF(x, 24), QPointF(x - 10, 56))
        p.drawLine(QPointF(x, 24), QPointF(x + 10, 56))
        p.drawArc(QRectF(x - 12, 44, 24, 22), 180 * 16, 180 * 16)


@pictogram("other")
def _other(p: QPainter) -> None:
    p.drawEllipse(QRectF(8, 8, 84, 84))
    text(p, QRectF(8, 8, 84, 84), "?", 56)
