"""Pictograms from SVG files (assets/pictograms, or the site's own): drawn once per name,
size, colour and direction, then taken from the cache.

Each file is drawn on a 100x100 grid with ``currentColor``: the screen gives the colour
(text on a button, on a notice, in high contrast). The names in
pictograms/pictograms.toml point the way the text reads and are drawn mirrored in a
right-to-left language.
"""

from __future__ import annotations

import functools
import logging

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from kiosk.services.assets import Assets

log = logging.getLogger(__name__)
_assets = Assets()


def use(assets: Assets) -> None:
    """Draw from ``assets`` (the site's directory over the shipped one) from now on."""
    global _assets
    _assets = assets
    _renderer.cache_clear()
    render.cache_clear()


def mirrored_in_rtl() -> frozenset[str]:
    return _assets.mirrored()


@functools.cache
def _renderer(name: str, colour: str) -> QSvgRenderer | None:
    path = _assets.pictogram(name)
    try:
        svg = path.read_bytes().replace(b"currentColor", colour.encode("ascii"))
    except OSError as err:
        log.error("pictogram %s cannot be read: %s", name, type(err).__name__)
        return None
    renderer = QSvgRenderer(QByteArray(svg))
    if not renderer.isValid():
        log.error("pictogram %s is not a valid SVG file", name)
        return None
    return renderer


@functools.lru_cache(maxsize=512)
def render(name: str, size: int, colour: str, rtl: bool = False) -> QPixmap:
    """The named pictogram as a transparent pixmap of ``size`` x ``size`` px; in a
    right-to-left language (``rtl``) mirrored when it points the way the text reads.
    A file that cannot be drawn gives an empty picture, never a failed screen (`kiosk
    config check` refuses such a site file before it gets here)."""
    image = QImage(max(size, 1), max(size, 1), QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    renderer = _renderer(name, colour)
    if renderer is not None:
        p = QPainter(image)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        if rtl and name in mirrored_in_rtl():
            p.translate(size, 0)
            p.scale(-1, 1)
        renderer.render(p, QRectF(0, 0, size, size))
        p.end()
    return QPixmap.fromImage(image)
