"""Group 4 pages agree with the PDF writer and real PDF readers, survive being turned on
the review screen with their report, and the scan job runs every page through the
pipeline: from SANE's `test` backend and from real page images replayed by `pnm`."""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import cv2
import numpy as np
import pypdf
import pytest
from PIL import Image

from drivers.scanner.protocol import ColorMode, ScanRequest, Source
from drivers.scanner.sane_scanner import SaneScanner
from kiosk.services.pages.imaging import EncodedPage, PageReport
from kiosk.services.pages.pageimage import rotated, to_image
from kiosk.services.pages.pdf import DocumentInfo, build_pdf
from kiosk.services.pages.pipeline.g4 import decode_g4, encode_g4
from kiosk.services.pages.scanjob import scan_encoded
from tests.services.pipeline_pages import CREAM, scan, text_page

INFO = DocumentInfo(
    "Weiterbewilligungsantrag",
    "12345BG0012345",
    "renewal",
    "ws-01",
    "K7M-4QX-9TB",
    datetime(2026, 11, 21, 9, 30, tzinfo=UTC),
)


def mask(width: int = 203, height: int = 117, seed: int = 3, specks: float = 0.02) -> np.ndarray:
    """Ink blocks, lines and specks, width not a multiple of 8 (row padding)."""
    rng = np.random.default_rng(seed)
    ink = np.zeros((height, width), bool)
    ink[10:40, 20:90] = True
    ink[60:62, :] = True
    ink[:, width - 1] = True
    ink |= rng.random((height, width)) < specks
    return ink


def g4_page(ink: np.ndarray, dpi: int = 100) -> EncodedPage:
    height, width = ink.shape
    return EncodedPage(width, height, dpi, "DeviceGray", 1, "CCITTFaxDecode", encode_g4(ink))


@pytest.mark.parametrize("shape", [(117, 203), (1, 1), (3508, 2480)])
def test_group_4_round_trips_exactly(shape: tuple[int, int]) -> None:
    ink = mask(shape[1], shape[0]) if shape[0] > 70 else np.ones(shape, bool)
    back = np.asarray(decode_g4(encode_g4(ink), shape[1], shape[0])) < 128
    assert np.array_equal(back, ink)


def test_an_empty_page_is_a_few_bytes_of_group_4() -> None:
    assert len(encode_g4(np.zeros((3508, 2480), bool))) < 1_000


def test_the_pdf_writers_group_4_page_reads_back_in_pypdf() -> None:
    ink = mask()
    reader = pypdf.PdfReader(io.BytesIO(build_pdf([g4_page(ink)], INFO)))
    image = reader.pages[0].images[0].image
    assert np.array_equal(np.asarray(image.convert("L")) < 128, ink)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils")
def test_the_pdf_writers_group_4_page_renders_in_poppler(tmp_path: Path) -> None:
    # Poppler (as in the PDF viewers case workers use) renders the page at its own dpi:
    # black where the ink is, white where not — /BlackIs1 and the stream agree. (No
    # single-pixel specks: a renderer may smooth those.)
    ink = mask(specks=0)
    (tmp_path / "page.pdf").write_bytes(build_pdf([g4_page(ink)], INFO))
    subprocess.run(
        ["pdftoppm", "-r", "100", "-gray", "-png", "-singlefile", "page.pdf", "page"],
        cwd=tmp_path,
        check=True,
        timeout=60,
    )
    rendered = np.asarray(Image.open(tmp_path / "page.png").convert("L"))
    assert rendered.shape == ink.shape
    # Away from the edges (where a renderer's pixel grid may differ by one), exactly so.
    kernel = np.ones((3, 3), np.uint8)
    inside_ink = cv2.erode(ink.astype(np.uint8), kernel).astype(bool)
    inside_paper = cv2.erode((~ink).astype(np.uint8), kernel).astype(bool)
    assert inside_ink.sum() > 1000 and inside_paper.sum() > 10000
    assert (rendered[inside_ink] < 128).all() and (rendered[inside_paper] >= 128).all()


def test_turning_a_group_4_page_is_lossless_and_counts_in_its_report() -> None:
    ink = mask()
    page = dataclasses.replace(g4_page(ink), report=PageReport(mode="bw", rotation=90))
    turned = rotated(page, 90)
    assert turned.filter == "CCITTFaxDecode" and (turned.width, turned.height) == (117, 203)
    assert turned.report == PageReport(mode="bw", rotation=180)
    back = np.asarray(to_image(turned)) < 128
    assert np.array_equal(back, np.rot90(ink, k=-1))
    full = rotated(rotated(rotated(turned, 90), 90), 90)
    assert np.array_equal(np.asarray(to_image(full)) < 128, ink)
    assert full.report is not None and full.report.rotation == 90


def test_turning_a_jpeg_page_keeps_its_report() -> None:
    rgb = np.full((60, 40, 3), 200, np.uint8)
    rgb[10:20, 5:15] = (200, 20, 20)
    report = PageReport(mode="color", rotation=0, skew_degrees=1.5, blank=False)
    page = process_page_like(rgb, report)
    turned = rotated(page, 270)
    assert (turned.width, turned.height) == (60, 40)
    assert turned.report == PageReport(mode="color", rotation=270, skew_degrees=1.5)


def process_page_like(rgb: np.ndarray, report: PageReport) -> EncodedPage:
    out = io.BytesIO()
    Image.fromarray(rgb).save(out, "JPEG", quality=90)
    h, w = rgb.shape[:2]
    return EncodedPage(w, h, 30, "DeviceRGB", 8, "DCTDecode", out.getvalue(), report)


@pytest.mark.sane
def test_the_scan_job_runs_each_page_of_the_test_scanner_through_the_pipeline(
    sane_scanner: SaneScanner,
) -> None:
    request = ScanRequest("test:0", Source.ADF, ColorMode.COLOR, 75, max_pages=3)
    seen: list[int] = []
    pages = scan_encoded(sane_scanner, request, lambda number, _page: seen.append(number))
    assert seen == [1, 2, 3] and len(pages) == 3
    assert all(p.report is not None for p in pages)


@pytest.fixture
def pnm(sane_config: Path) -> SaneScanner:
    """SANE's real `pnm` backend (as tests/drivers' pnm_sane_config): replays a file."""
    dll = sane_config / "dll.conf"
    dll.write_text(dll.read_text() + "pnm\n")
    return SaneScanner(sane_config, open_timeout=30, stall_timeout=20, page_timeout=60)


@pytest.mark.sane
def test_a_crooked_upside_down_letter_replayed_by_pnm_arrives_straight_and_upright(
    pnm: SaneScanner, tmp_path: Path
) -> None:
    sheet = scan(text_page(CREAM, seed=31), rotation=180, skew=-1.4)
    Image.frombytes("RGB", (sheet.width, sheet.height), bytes(sheet.pixels)).save(
        tmp_path / "letter.ppm"
    )
    request = ScanRequest(
        "pnm:0",
        Source.FLATBED,
        ColorMode.COLOR,
        300,
        page_options={0: {"filename": str(tmp_path / "letter.ppm")}},
    )
    (page,) = scan_encoded(pnm, request)
    assert page.report is not None
    assert (page.report.mode, page.report.rotation) == ("bw", 180)
    assert page.report.skew_degrees == pytest.approx(-1.4, abs=0.2)
    assert page.filter == "CCITTFaxDecode"
