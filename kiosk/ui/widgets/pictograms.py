"""Pictograms drawn with QPainter on a 100x100 grid: no image files, crisp at any size."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPainterPath, QPen, QPixmap, QPolygonF

Draw = Callable[[QPainter], None]
REGISTRY: dict[str, Draw] = {}
# Pictures that point the way the text reads: mirrored in right-to-left languages. Others
# show something physical (turning a page, paper coming out, the erase key) and stay.
POINTING = frozenset({"forward", "back", "send", "undo"})


def pictogram(name: str) -> Callable[[Draw], Draw]:
    def register(draw: Draw) -> Draw:
        REGISTRY[name] = draw
        return draw

    return register


def render(name: str, size: int, colour: str, mirrored: bool = False) -> QPixmap:
    """The named pictogram as a transparent pixmap of ``size`` x ``size`` px."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    if mirrored:  # arrows that mean "forward" point the other way in right-to-left layouts
        p.translate(size, 0)
        p.scale(-1, 1)
    p.scale(size / 100, size / 100)
    pen = QPen(QColor(colour), 6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    try:
        REGISTRY[name](p)
    finally:
        p.end()
    return QPixmap.fromImage(image)


def fill(p: QPainter) -> None:
    p.setBrush(p.pen().color())


def text(p: QPainter, rect: QRectF, value: str, size: int = 40) -> None:
    font = QFont("Noto Sans")
    font.setPixelSize(size)
    font.setBold(True)
    p.setFont(font)
    p.drawText(rect, Qt.AlignmentFlag.AlignCenter, value)


def poly(*points: tuple[float, float]) -> QPolygonF:
    return QPolygonF([QPointF(x, y) for x, y in points])


def arrow(p: QPainter, x1: float, y1: float, x2: float, y2: float) -> None:
    p.drawLine(QPointF(x1, y1), QPointF(x2, y2))
    dx, dy = x2 - x1, y2 - y1
    length = max((dx * dx + dy * dy) ** 0.5, 1)
    ux, uy = dx / length * 12, dy / length * 12
    p.drawLine(QPointF(x2, y2), QPointF(x2 - ux - uy * 0.7, y2 - uy + ux * 0.7))
    p.drawLine(QPointF(x2, y2), QPointF(x2 - ux + uy * 0.7, y2 - uy - ux * 0.7))


def page(p: QPainter, x: float, y: float, w: float, h: float, lines: int = 3) -> None:
    p.drawRect(QRectF(x, y, w, h))
    for i in range(lines):
        ly = y + h * (i + 1) / (lines + 1)
        p.drawLine(QPointF(x + w * 0.2, ly), QPointF(x + w * 0.8, ly))


@pictogram("check")
def _check(p: QPainter) -> None:
    p.drawEllipse(QRectF(8, 8, 84, 84))
    p.drawPolyline(poly((28, 52), (44, 68), (74, 34)))


@pictogram("cross")
def _cross(p: QPainter) -> None:
    p.drawLine(QPointF(25, 25), QPointF(75, 75))
    p.drawLine(QPointF(75, 25), QPointF(25, 75))


@pictogram("warning")
def _warning(p: QPainter) -> None:
    p.drawPolygon(poly((50, 8), (94, 88), (6, 88)))
    p.drawLine(QPointF(50, 36), QPointF(50, 62))
    p.drawPoint(QPointF(50, 76))


@pictogram("info")
def _info(p: QPainter) -> None:
    p.drawEllipse(QRectF(8, 8, 84, 84))
    p.drawLine(QPointF(50, 44), QPointF(50, 74))
    p.drawPoint(QPointF(50, 28))


@pictogram("back")
def _back(p: QPainter) -> None:
    arrow(p, 80, 50, 20, 50)


@pictogram("forward")
def _forward(p: QPainter) -> None:
    arrow(p, 20, 50, 80, 50)


@pictogram("backspace")
def _backspace(p: QPainter) -> None:
    """The keyboard's erase key: not an arrow, so it never looks like "Next" in Arabic."""
    p.drawPolygon(poly((6, 50), (30, 22), (94, 22), (94, 78), (30, 78)))
    p.drawLine(QPointF(48, 38), QPointF(72, 62))
    p.drawLine(QPointF(72, 38), QPointF(48, 62))


@pictogram("restart")
def _restart(p: QPainter) -> None:
    p.drawArc(QRectF(18, 18, 64, 64), 100 * 16, 300 * 16)
    p.drawPolyline(poly((40, 6), (52, 18), (40, 30)))


@pictogram("undo")
def _undo(p: QPainter) -> None:
    """Bring it back: an arrow turning back over the top, like the undo key of an editor."""
    path = QPainterPath(QPointF(80, 76))
    path.cubicTo(QPointF(88, 40), QPointF(60, 26), QPointF(24, 40))
    p.drawPath(path)
    p.drawPolyline(poly((34, 22), (22, 40), (42, 52)))


@pictogram("clock")
def _clock(p: QPainter) -> None:
    p.drawEllipse(QRectF(8, 8, 84, 84))
    p.drawPolyline(poly((50, 24), (50, 50), (68, 62)))


@pictogram("hourglass")
def _hourglass(p: QPainter) -> None:
    p.drawLine(QPointF(22, 10), QPointF(78, 10))
    p.drawLine(QPointF(22, 90), QPointF(78, 90))
    p.drawPolyline(poly((28, 10), (28, 24), (72, 76), (72, 90)))
    p.drawPolyline(poly((72, 10), (72, 24), (28, 76), (28, 90)))


@pictogram("lock")
def _lock(p: QPainter) -> None:
    p.drawRoundedRect(QRectF(18, 44, 64, 46), 6, 6)
    p.drawArc(QRectF(30, 12, 40, 56), 0, 180 * 16)
    p.drawLine(QPointF(30, 40), QPointF(30, 44))
    p.drawLine(QPointF(70, 40), QPointF(70, 44))
    p.drawLine(QPointF(50, 60), QPointF(50, 74))


@pictogram("speaker")
def _speaker(p: QPainter) -> None:
    p.drawPolygon(poly((12, 38), (30, 38), (52, 18), (52, 82), (30, 62), (12, 62)))
    p.drawArc(QRectF(44, 30, 30, 40), -60 * 16, 120 * 16)
    p.drawArc(QRectF(44, 16, 46, 68), -60 * 16, 120 * 16)


@pictogram("large-text")
def _large_text(p: QPainter) -> None:
    text(p, QRectF(0, 10, 64, 84), "A", 70)
    text(p, QRectF(54, 10, 46, 50), "+", 44)


@pictogram("rotate")
def _rotate(p: QPainter) -> None:
    p.drawArc(QRectF(16, 16, 68, 68), 90 * 16, -270 * 16)
    p.drawPolyline(poly((38, 4), (50, 16), (38, 28)))


@pictogram("trash")
def _trash(p: QPainter) -> None:
    p.drawLine(QPointF(14, 24), QPointF(86, 24))
    p.drawPolyline(poly((38, 24), (40, 12), (60, 12), (62, 24)))
    p.drawPolygon(poly((22, 24), (28, 90), (72, 90), (78, 24)))
    for x in (40, 50, 60):
        p.drawLine(QPointF(x, 38), QPointF(x, 78))


@pictogram("plus")
def _plus(p: QPainter) -> None:
    p.drawLine(QPointF(50, 18), QPointF(50, 82))
    p.drawLine(QPointF(18, 50), QPointF(82, 50))


@pictogram("send")
def _send(p: QPainter) -> None:
    p.drawPolygon(poly((8, 46), (92, 12), (70, 88), (48, 60)))
    p.drawLine(QPointF(48, 60), QPointF(92, 12))


@pictogram("magnify")
def _magnify(p: QPainter) -> None:
    p.drawEllipse(QRectF(12, 12, 52, 52))
    p.drawLine(QPointF(56, 56), QPointF(88, 88))


@pictogram("staff")
def _staff(p: QPainter) -> None:
    p.drawEllipse(QRectF(34, 10, 32, 32))
    p.drawArc(QRectF(16, 50, 68, 70), 0, 180 * 16)
    p.drawArc(QRectF(28, 6, 44, 36), 0, 180 * 16)
    p.drawLine(QPointF(72, 26), QPointF(72, 36))
    p.drawLine(QPointF(72, 36), QPointF(58, 40))


@pictogram("qr-card")
def _qr_card(p: QPainter) -> None:
    p.drawRoundedRect(QRectF(8, 22, 84, 56), 8, 8)
    fill(p)
    for x, y in ((18, 32), (18, 54), (40, 32)):
        p.drawRect(QRectF(x, y, 14, 14))
    p.drawRect(QRectF(42, 56, 6, 6))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawLine(QPointF(62, 38), QPointF(82, 38))
    p.drawLine(QPointF(62, 52), QPointF(82, 52))
    p.drawLine(QPointF(62, 66), QPointF(76, 66))


@pictogram("take-papers")
def _take_papers(p: QPainter) -> None:
    page(p, 14, 10, 44, 58)
    path = QPainterPath(QPointF(40, 92))
    path.cubicTo(QPointF(40, 70), QPointF(56, 60), QPointF(70, 62))
    path.lineTo(QPointF(88, 62))
    p.drawPath(path)
    arrow(p, 66, 40, 88, 40)
