"""Pictograms come from SVG files (assets/pictograms, or a site's own): every name a screen
asks for is a file, each is drawn once per size and colour, a site's file wins, and
`kiosk run` itself draws with the site's logo, pictogram, palette and sound."""

from __future__ import annotations

import argparse
import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from pytestqt.qtbot import QtBot

from kiosk.core.faults import Fault
from kiosk.core.records import replace
from kiosk.core.session import LANGUAGES
from kiosk.devtools.samples import SCREENS
from kiosk.devtools.screenshots import show, view_for
from kiosk.services.assets import Assets
from kiosk.ui.i18n.texts import Texts
from kiosk.ui.widgets import pictograms
from kiosk.ui.widgets.site import SiteBanner
from kiosk.ui.window import Window

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "deploy" / "site-example"
INK = "#1b1f24"


@pytest.fixture(autouse=True)
def shipped() -> Iterator[None]:
    pictograms.use(Assets())
    yield
    pictograms.use(Assets())  # never leave a site's pictograms to the next test


def pixels(pixmap: QPixmap) -> np.ndarray:
    image = pixmap.toImage().convertToFormat(QImage.Format.Format_ARGB32)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), -1)
    return rows[:, : image.width() * 4].reshape(image.height(), image.width(), 4).copy()


def drawn_from(path: Path, size: int, colour: str = INK) -> np.ndarray:
    """The file drawn by Qt's SVG renderer directly, as the reference."""
    svg = path.read_bytes().replace(b"currentColor", colour.encode())
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(QByteArray(svg)).render(p, QRectF(0, 0, size, size))
    p.end()
    return pixels(QPixmap.fromImage(image))


class Recording:
    """The shipped assets, noting every pictogram asked for."""

    def __init__(self) -> None:
        self.assets = Assets()
        self.asked: set[str] = set()

    def pictogram(self, name: str) -> Path:
        self.asked.add(name)
        return self.assets.pictogram(name)

    def mirrored(self) -> frozenset[str]:
        return self.assets.mirrored()


def test_every_pictogram_a_screen_asks_for_is_a_file_and_every_file_is_used(
    qtbot: QtBot, catalogs: dict[str, Texts]
) -> None:
    recording = Recording()
    pictograms.use(recording)  # type: ignore[arg-type]
    window = Window(kiosk_mode=False)
    window.setFixedSize(1920, 1080)
    window.show()
    try:
        # Screens vary fastest: a new text size or font scale restyles the whole window
        # (~0.3 s), so it changes 4 times, not at every screen.
        for large in (False, True):
            for language in ("de", "ar"):
                for screen in SCREENS:
                    show(window, screen, view_for(screen, catalogs[language], catalogs, large))
        jam = view_for("jam", catalogs["de"], catalogs)  # the other scanner pictures
        cover = replace(jam.session, scan_problem=Fault.COVER_OPEN)
        show(window, "jam", replace(jam, session=cover, source="flatbed"))
        progress = view_for("scan-progress", catalogs["de"], catalogs)
        show(window, "scan-progress", replace(progress, source="flatbed"))
    finally:
        window.close()
    asked = recording.asked
    files = Assets().pictogram_names()
    assert asked - files == set()  # nothing asked for that is not there
    assert files - asked == set()  # no file that no screen draws


def test_a_pictogram_is_drawn_once_per_size_and_colour(qtbot: QtBot) -> None:
    pictograms.render.cache_clear()
    first = pictograms.render("send", 96, INK)
    again = pictograms.render("send", 96, INK)
    assert again.cacheKey() == first.cacheKey()  # the same pixmap, not drawn again
    assert pictograms.render("send", 96, "#ffffff").cacheKey() != first.cacheKey()
    assert pictograms.render.cache_info().hits == 1
    assert np.array_equal(pixels(first), drawn_from(ROOT / "assets/pictograms/send.svg", 96))


def test_pointing_pictograms_are_mirrored_in_right_to_left_languages_only(qtbot: QtBot) -> None:
    def alpha(name: str, rtl: bool = False) -> np.ndarray:
        return pixels(pictograms.render(name, 100, INK, rtl=rtl))[:, :, 3].astype(int)

    def differs(a: np.ndarray, b: np.ndarray) -> float:
        return float(np.abs(a - b).mean())

    forward = alpha("forward")
    assert (
        differs(alpha("forward", rtl=True), forward[:, ::-1]) < 1
    )  # mirrored (anti-aliasing aside)
    assert differs(alpha("forward", rtl=True), forward) > 5
    assert np.array_equal(alpha("trash", rtl=True), alpha("trash"))  # not a pointing one


def test_a_site_pictogram_replaces_the_shipped_one(qtbot: QtBot, tmp_path: Path) -> None:
    site = tmp_path / "assets"
    (site / "pictograms").mkdir(parents=True)
    shutil.copy(EXAMPLE / "pictograms/send.svg", site / "pictograms/send.svg")
    shipped = pixels(pictograms.render("send", 96, INK))
    pictograms.use(Assets(site=site))
    ours = pixels(pictograms.render("send", 96, INK))
    assert np.array_equal(ours, drawn_from(site / "pictograms/send.svg", 96))
    assert not np.array_equal(ours, shipped)
    assert np.array_equal(
        pixels(pictograms.render("check", 96, INK)),
        drawn_from(ROOT / "assets/pictograms/check.svg", 96),
    )


def test_a_pictogram_that_cannot_be_drawn_is_an_empty_picture_and_a_log_line(
    qtbot: QtBot, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    site = tmp_path / "assets"
    (site / "pictograms").mkdir(parents=True)
    (site / "pictograms/send.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'")
    pictograms.use(Assets(site=site))
    with caplog.at_level(logging.ERROR):
        picture = pictograms.render("send", 64, INK)
    assert picture.width() == 64 and pixels(picture)[:, :, 3].max() == 0
    assert "pictogram send is not a valid SVG file" in caplog.text


def site_config(tmp_path: Path, sane_config: Path) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (tmp_path / "routing.toml").write_text(f'triage = "{inbox.as_uri()}/"\n')
    site = tmp_path / "site"
    shutil.copytree(EXAMPLE, site)
    (site / "sounds").mkdir()
    (site / "sounds/warning.wav").write_bytes(
        (ROOT / "assets/sounds/warning.wav").read_bytes()[:4044]
    )
    config = tmp_path / "kiosk.toml"
    config.write_text(
        f'[kiosk]\nid = "site-01"\nname = "Jobcenter Musterstadt"\nassets_dir = "site"\n'
        f'state_dir = "state"\n[scanner]\ndevice = "test:0"\nsane_config_dir = "{sane_config}"\n'
        '[routing]\ntable = "routing.toml"\n[camera]\ndevice = "none"\n'
    )
    return config


def test_kiosk_run_draws_the_site_logo_pictogram_palette_and_sound(
    qtbot: QtBot, tmp_path: Path, sane_config: Path
) -> None:
    from kiosk.ui.main import start

    running = start(argparse.Namespace(config=site_config(tmp_path, sane_config), windowed=True))
    try:
        window = running.window
        qtbot.waitUntil(lambda: running.presenter.view().session.phase.value == "idle")
        banner = window.screens["start"].findChild(SiteBanner)
        assert banner is not None and banner.isVisible()
        assert banner.name.text() == "Jobcenter Musterstadt"
        logo = banner.logo.pixmap()
        assert not logo.isNull() and logo.height() == 80
        green = pixels(logo)[..., :3].reshape(-1, 3)  # BGRA: the emblem's #1d6b3a is there
        assert ((green == (0x3A, 0x6B, 0x1D)).all(axis=1)).sum() > 100
        assert "#1d6b3a" in window.styleSheet() and "#0b4f8a" not in window.styleSheet()
        site_send = tmp_path / "site/pictograms/send.svg"
        assert np.array_equal(pixels(pictograms.render("send", 64, INK)), drawn_from(site_send, 64))
        assert running.presenter.chime is not None
        assert running.presenter.chime.wav == (tmp_path / "site/sounds/warning.wav").read_bytes()  # type: ignore[attr-defined]
    finally:
        running.stop()
        window.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_receipt_shows_the_site_beside_finish(
    qtbot: QtBot, catalogs: dict[str, Texts], language: str
) -> None:
    from kiosk.devtools.screenshots import look_of
    from kiosk.services.config import load_config

    look = look_of(load_config(EXAMPLE / "kiosk.toml"))
    window = Window(kiosk_mode=False)
    window.setFixedSize(1920, 1080)
    window.show()
    try:
        show(
            window,
            "receipt-delivered",
            view_for("receipt-delivered", catalogs[language], catalogs, look=look),
        )
        screen = window.screens["receipt"]
        banner = screen.findChild(SiteBanner)
        assert banner is not None and banner.isVisible()
        finish = screen.finish  # type: ignore[attr-defined]
        assert abs(banner.geometry().center().y() - finish.geometry().center().y()) <= 2
        show(
            window, "receipt-delivered", view_for("receipt-delivered", catalogs[language], catalogs)
        )
        assert not banner.isVisible()  # no site configured: nothing in its place
    finally:
        window.close()
