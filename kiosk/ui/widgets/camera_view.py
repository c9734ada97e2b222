"""The live camera picture on the identify screen: where to hold the card, and what is seen.

Only renders: the newest preview frame scaled into the box, a target frame in the middle
(hold the card here), and the outline of every code the camera sees. The target turns
solid when a code is seen; the words under the picture say the same (never colour
alone). The picture is dropped by ``clear()`` when the session ends.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from drivers.camera.preview import Hint, PreviewFrame

SEEN = "#15803d"  # a code is in view (the hint text says so too)
TARGET = "#ffffff"
ASPECT = 9 / 16
TARGET_SHARE = 0.46  # of the picture's width: a card held at a good reading distance


class CameraPreview(QWidget):
    def __init__(self, width: int = 400, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedSize(width, round(width * ASPECT))
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # a picture is not mirrored
        self.frame: PreviewFrame | None = None
        self._image: QImage | None = None
        self.background = QColor("#1b1f24")

    def show_frame(self, frame: PreviewFrame) -> None:
        rgb = frame.rgb
        height, width = rgb.shape[:2]
        image = QImage(rgb.data, width, height, 3 * width, QImage.Format.Format_RGB888)
        self._image = image.copy()  # owns its pixels: the numpy buffer may go away
        self.frame = frame
        self.update()

    def clear(self) -> None:
        self.frame = None
        self._image = None
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        box = QRectF(self.rect())
        painter.fillRect(box, self.background)
        picture = box
        if self._image is not None:
            size = self._image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
            picture = QRectF(
                (box.width() - size.width()) / 2,
                (box.height() - size.height()) / 2,
                size.width(),
                size.height(),
            )
            painter.drawImage(picture, self._image)
        seen = self.frame is not None and self.frame.hint is not Hint.SHOW
        self._target(painter, picture, seen)
        if self.frame is not None:
            pen = QPen(QColor(SEEN), 5)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for outline in self.frame.codes:
                points = [
                    QPointF(picture.x() + x * picture.width(), picture.y() + y * picture.height())
                    for x, y in outline
                ]
                painter.drawPolygon(QPolygonF(points))
        painter.end()

    @staticmethod
    def _target(painter: QPainter, picture: QRectF, seen: bool) -> None:
        side = picture.width() * TARGET_SHARE
        side = min(side, picture.height() * 0.8)
        target = QRectF(
            picture.center().x() - side / 2, picture.center().y() - side / 2, side, side
        )
        pen = QPen(QColor(SEEN if seen else TARGET), 6 if seen else 4)
        if not seen:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(target, 12, 12)
