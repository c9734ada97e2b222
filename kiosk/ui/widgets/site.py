"""The job centre's logo and name ([kiosk] assets_dir/logo.svg or .png, [kiosk] name) on
the start and receipt screens. The logo sits on a white plate in every palette (logos are
made for white paper); the name says in words what the logo shows."""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from msgspec import Struct
from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QWidget

from kiosk.services.assets import Assets
from kiosk.services.assets.theme import Theme, load_theme
from kiosk.ui.presenter.view import Site
from kiosk.ui.widgets import pictograms
from kiosk.ui.widgets.basic import label
from kiosk.ui.widgets.sizing import OWN_SIZE
from kiosk.ui.widgets.theme import FULL, SHIPPED, Metrics

if TYPE_CHECKING:  # the configuration's loader (msgspec, channels) stays off the first paint
    from kiosk.services.config import KioskConfig

log = logging.getLogger(__name__)
HEIGHT = 80  # px at 1920x1080: the logo's height
SMALL = 88  # px: beside a button (TOUCH_TARGET 90), never making its row taller
UPRIGHT = 48  # px on a portrait screen
WIDEST = 4  # a logo at most four times as wide as high (a wider one is scaled down)
PLATE = 8  # px of white around the logo


@functools.lru_cache(maxsize=8)
def logo_pixmap(path: Path, height: int) -> QPixmap | None:
    """The logo scaled to ``height`` px (at most WIDEST times as wide), on a white plate;
    None when it cannot be drawn (`kiosk config check` refuses such a file beforehand)."""
    inner = max(height - 2 * PLATE, 1)
    try:
        data = path.read_bytes()
    except OSError as err:
        log.error("site logo cannot be read: %s", type(err).__name__)
        return None
    image = QImage()
    renderer: QSvgRenderer | None = None
    if path.suffix == ".svg":
        renderer = QSvgRenderer(QByteArray(data))
        if not renderer.isValid():
            log.error("site logo is not a valid SVG file")
            return None
        size = QSize(renderer.defaultSize())
    else:
        image = QImage.fromData(data)
        if image.isNull():
            log.error("site logo is not a readable image")
            return None
        size = image.size()
    width = min(round(inner * size.width() / max(size.height(), 1)), WIDEST * inner)
    scale = min(width / max(size.width(), 1), inner / max(size.height(), 1))
    w, h = size.width() * scale, size.height() * scale
    plate = QImage(round(w) + 2 * PLATE, height, QImage.Format.Format_ARGB32_Premultiplied)
    plate.fill(Qt.GlobalColor.white)
    p = QPainter(plate)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    target = QRectF(PLATE, (height - h) / 2, w, h)
    if renderer is not None:
        renderer.render(p, target)
    else:
        p.drawImage(target, image)
    p.end()
    return QPixmap.fromImage(plate)


class SiteBanner(QWidget):
    """Logo and name in a row; hidden where no site is configured. ``small``: as high as a
    button (beside one), the name in the small type."""

    def __init__(self, small: bool = False) -> None:
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(24)
        self.height_px = SMALL if small else HEIGHT
        self.logo = QLabel()
        self.logo.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.logo.setProperty(OWN_SIZE, True)  # fit_tree leaves it: show_site sizes it
        self.name = label("muted" if small else "big")
        row.addWidget(self.logo)
        row.addWidget(self.name, 1)
        self.metrics = FULL
        self.hide()

    def fit(self, m: Metrics) -> None:
        self.metrics = m  # the logo is drawn at its new size by the next show_site

    def _height(self) -> int:
        """Lower on a portrait screen: there, its height is what large Arabic lacks."""
        return min(self.height_px, UPRIGHT) if self.metrics.portrait else self.height_px

    def show_site(self, site: Site | None) -> None:
        picture = (
            logo_pixmap(site.logo, self.metrics.px(self._height())) if site and site.logo else None
        )
        self.logo.setVisible(picture is not None)
        if picture is not None:
            self.logo.setPixmap(picture)
            self.logo.setFixedSize(picture.size())
        self.name.setText(site.name if site else "")  # German: Qt sets it left to right
        self.setVisible(site is not None and (picture is not None or bool(site.name)))


class Look(Struct, frozen=True):
    """A kiosk's site look: its theme and its name and logo (None: the shipped look)."""

    theme: Theme = SHIPPED
    site: Site | None = None


def look_of(config: KioskConfig | None) -> Look:
    """The look `kiosk run` (and `kiosk screenshots --config`) gives this configuration;
    pictograms are drawn from its assets from now on. Without a site directory the shipped
    theme, already loaded, is used as it is."""
    assets = Assets(site=config.assets_dir if config else None)
    pictograms.use(assets)
    if config is None:
        return Look()
    theme = load_theme(assets) if assets.site is not None else SHIPPED
    site = Site(config.site_name or "", assets.logo())
    return Look(theme, site if site.name or site.logo else None)
