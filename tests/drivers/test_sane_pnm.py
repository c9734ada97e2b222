"""Real page images replayed through SANE's real `pnm` backend, which has no mode, source or
scan area option: the adapter scans with what exists and says what it could not set."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from drivers.scanner.protocol import ColorMode, NotSet, ScanRequest, Setting, Source
from drivers.scanner.sane_scanner import SaneScanner

# An A4 page at 100 dpi: a letter with text lines, a red stamp and a gray table.
WIDTH, HEIGHT = 827, 1169


def letter() -> Image.Image:
    page = Image.new("RGB", (WIDTH, HEIGHT), (252, 250, 244))  # slightly cream paper
    draw = ImageDraw.Draw(page)
    draw.text((70, 60), "Jobcenter Musterstadt", fill=(20, 20, 20))
    for line in range(28):
        draw.text((70, 160 + 30 * line), f"Zeile {line + 1}: Bescheid ueber Leistungen", fill=0)
    draw.rectangle((70, 1040, 760, 1100), fill=(200, 200, 200), outline=(0, 0, 0))
    draw.ellipse((560, 60, 740, 180), outline=(200, 20, 30), width=6)  # the stamp
    draw.text((600, 110), "EINGANG", fill=(200, 20, 30))
    return page


@pytest.fixture
def pnm(pnm_sane_config: Path) -> SaneScanner:
    return SaneScanner(pnm_sane_config, open_timeout=30, stall_timeout=20, page_timeout=60)


def _request(path: Path, mode: ColorMode, source: Source = Source.ADF) -> ScanRequest:
    return ScanRequest("pnm:0", source, mode, 300, page_options={0: {"filename": str(path)}})


def test_a_colour_page_comes_back_whole_and_says_what_was_not_set(
    pnm: SaneScanner, tmp_path: Path
) -> None:
    image = letter()
    image.save(tmp_path / "letter.ppm")
    # The kiosk's default request (feeder, colour, A4 at 300 dpi) on a device with no
    # source, mode or area option: one page, not "device has no mode option".
    (page,) = pnm.scan(_request(tmp_path / "letter.ppm", ColorMode.COLOR))
    assert (page.width, page.height, page.mode, page.dpi) == (WIDTH, HEIGHT, ColorMode.COLOR, 300)
    assert bytes(page.pixels) == image.tobytes()  # the very pixels of the file
    assert {n.setting for n in page.not_set} == {Setting.SOURCE, Setting.AREA}
    source = next(n for n in page.not_set if n.setting is Setting.SOURCE)
    assert source == NotSet(Setting.SOURCE, "adf", "one sheet, as from a flatbed")


def test_gray_is_asked_for_by_the_backends_grayify_switch(pnm: SaneScanner, tmp_path: Path) -> None:
    image = letter()
    image.save(tmp_path / "letter.ppm")
    (page,) = pnm.scan(_request(tmp_path / "letter.ppm", ColorMode.GRAY, Source.FLATBED))
    assert (page.width, page.height, page.mode) == (WIDTH, HEIGHT, ColorMode.GRAY)
    assert len(page.pixels) == WIDTH * HEIGHT  # one byte a pixel: grayify was set
    assert [n.setting for n in page.not_set] == [Setting.AREA]


def test_black_and_white_it_cannot_set_gives_gray_pages_and_says_so(
    pnm: SaneScanner, tmp_path: Path
) -> None:
    gray = letter().convert("L")
    gray.save(tmp_path / "letter.pgm")
    (page,) = pnm.scan(_request(tmp_path / "letter.pgm", ColorMode.BW, Source.FLATBED))
    # Gray pixels are not claimed to be black-and-white (0 or 255 only).
    assert page.mode is ColorMode.GRAY and bytes(page.pixels) == gray.tobytes()
    (mode,) = (n for n in page.not_set if n.setting is Setting.MODE)
    assert mode.wanted == "bw" and "gray" in mode.instead


def test_capabilities_say_what_the_device_has_no_option_for(pnm: SaneScanner) -> None:
    offers = pnm.capabilities("pnm:0")
    assert offers.sources == (Source.FLATBED,)
    assert offers.modes == (ColorMode.COLOR, ColorMode.GRAY)
    assert offers.resolutions == (150, 200, 300)  # its list stops at 300 dpi
    assert set(offers.fixed) == {Setting.SOURCE, Setting.AREA}


def test_the_test_backend_is_still_there_beside_pnm(pnm: SaneScanner) -> None:
    names = [d.name for d in pnm.devices()]
    # SANE lists the backend named last in dll.conf first: with `pnm` in the kiosk's own
    # defaults, device "auto" would take pnm:0 (one reason it is only in this test config).
    assert names[0] == "pnm:0" and "test:0" in names
    offers = pnm.capabilities("test:0")
    assert offers.fixed == () and Source.ADF in offers.sources
