"""The page pipeline's judgement on generated pages: colour, gray or black-and-white per
page (tinted paper and noise are not colour), blank pages flagged (a page number or one
short line is content), and readability problems named."""

from __future__ import annotations

from functools import cache

import cv2
import numpy as np
import pytest

from drivers.scanner.protocol import ColorMode, ScannedPage
from kiosk.services.pages.imaging import PageReport
from kiosk.services.pages.pageimage import to_image
from kiosk.services.pages.pipeline import process_page
from tests.services.pipeline_pages import (
    CREAM,
    WHITE,
    add_photo,
    add_stamp,
    blank_page,
    scan,
    text_page,
)


@cache
def letter(paper: tuple[int, int, int] = CREAM, seed: int = 1) -> np.ndarray:
    return text_page(paper, seed=seed)


def report_of(page: ScannedPage, mode: str = "auto") -> PageReport:
    report = process_page(page, mode).report
    assert report is not None
    return report


def test_black_on_cream_with_noise_is_black_and_white_group_4_and_reads_back() -> None:
    sheet = letter()
    encoded = process_page(scan(sheet, noise=6))
    assert encoded.report is not None and encoded.report.mode == "bw"
    assert (encoded.filter, encoded.bits, encoded.color_space) == (
        "CCITTFaxDecode",
        1,
        "DeviceGray",
    )
    assert len(encoded.data) <= 80_000  # a dense 11 pt page; sparse letters far less
    # The stored page is the printed text: ink where the sheet has ink.
    back = np.asarray(to_image(encoded)) < 128
    printed = cv2.cvtColor(sheet, cv2.COLOR_RGB2GRAY) < 128
    assert (back ^ printed).mean() < 0.01
    assert (back & printed).sum() / printed.sum() > 0.9


def test_a_gray_scan_of_a_letter_is_black_and_white() -> None:
    gray = scan(letter(WHITE, 2), mode=ColorMode.GRAY)
    assert report_of(gray).mode == "bw"


def test_black_and_white_keeps_each_inks_stroke_width_and_a_light_stamp() -> None:
    # A sparse gray-scanned form: three lines of black print and a stamp whose red ink
    # scans as a mid-gray. Each ink is cut at its own half-tone: the black letters stay as
    # thin as printed (one cut for the page, set from a dark share of its pixels, made
    # them bold: a "G" closed into a "6") and the light stamp is kept.
    sheet = add_stamp(text_page(WHITE, lines=3, seed=5), (225, 120, 130))
    encoded = process_page(scan(sheet, noise=4, blur=0.8, mode=ColorMode.GRAY))
    assert encoded.report is not None and encoded.report.mode == "bw"
    back = np.asarray(to_image(encoded)) < 128
    gray = cv2.cvtColor(sheet, cv2.COLOR_RGB2GRAY)
    half = gray.shape[0] // 2
    printed = gray[:half] < 128
    assert 0.85 < back[:half].sum() / printed.sum() < 1.25
    stamp_ink = ((gray[half:] > 100) & (gray[half:] < 240)).astype(np.uint8)
    stamp = cv2.erode(stamp_ink, np.ones((3, 3), np.uint8)) > 0
    assert stamp.sum() > 10_000
    assert (back[half:] & stamp).sum() / stamp.sum() > 0.9


def test_a_red_stamp_makes_a_colour_page() -> None:
    encoded = process_page(scan(add_stamp(letter())))
    assert encoded.report is not None and encoded.report.mode == "color"
    assert (encoded.filter, encoded.color_space) == ("DCTDecode", "DeviceRGB")
    assert len(encoded.data) <= 300_000
    # The stamp is still red where it was printed (lower right).
    rgb = np.asarray(to_image(encoded)).astype(int)
    corner = rgb[rgb.shape[0] * 3 // 4 :, rgb.shape[1] // 2 :]
    red = (corner[:, :, 0] - corner[:, :, 1] > 80) & (corner[:, :, 0] > 120)
    assert red.sum() > 500


def test_a_colour_photo_is_a_colour_jpeg_within_budget() -> None:
    sheet = add_photo(text_page(WHITE, seed=4, lines=12, top_mm=160))
    encoded = process_page(scan(sheet))
    assert encoded.report is not None and encoded.report.mode == "color"
    assert len(encoded.data) <= 250_000


def test_a_black_and_white_photo_is_gray() -> None:
    sheet = add_photo(text_page(WHITE, seed=5, lines=12, top_mm=160), gray=True)
    encoded = process_page(scan(sheet))
    assert encoded.report is not None and encoded.report.mode == "gray"
    assert (encoded.filter, encoded.color_space) == ("DCTDecode", "DeviceGray")
    assert len(encoded.data) <= 250_000


@pytest.mark.parametrize(
    ("mode", "stored", "colour_space"),
    [("color", "color", "DeviceRGB"), ("gray", "gray", "DeviceGray"), ("bw", "bw", "DeviceGray")],
)
def test_a_chosen_mode_is_kept_for_every_page(mode: str, stored: str, colour_space: str) -> None:
    encoded = process_page(scan(letter(WHITE, 2), noise=3), mode)
    assert encoded.report is not None and encoded.report.mode == stored
    assert encoded.color_space == colour_space


def test_an_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="mode"):
        process_page(scan(blank_page()), "sepia")


@pytest.mark.parametrize(
    "sheet",
    [
        pytest.param(lambda: blank_page(CREAM), id="cream"),
        pytest.param(lambda: blank_page(WHITE, show_through=True), id="show-through"),
    ],
)
def test_empty_backs_are_flagged(sheet: object) -> None:
    assert callable(sheet)
    report = report_of(scan(sheet(), noise=7))
    assert report.blank and report.blank_score < 0.0001


def test_an_empty_sheet_on_the_feeders_dark_backing_is_flagged() -> None:
    report = report_of(scan(blank_page(WHITE), background=20, skew=1.5))
    assert report.blank and report.cropped


@pytest.mark.parametrize(
    "sheet",
    [
        pytest.param(lambda: blank_page(CREAM, "- 2 -"), id="page-number"),
        pytest.param(lambda: blank_page(WHITE, "7", number_ink=150), id="pale-single-digit"),
        pytest.param(lambda: blank_page(WHITE, "3", show_through=True), id="number-show-through"),
        pytest.param(lambda: text_page(CREAM, lines=1, seed=6, top_mm=40), id="one-line"),
    ],
)
def test_a_page_with_a_page_number_or_one_line_is_not_blank(sheet: object) -> None:
    assert callable(sheet)
    report = report_of(scan(sheet(), noise=7))
    assert not report.blank and report.blank_score > 0


def test_a_blank_page_is_flagged_not_dropped() -> None:
    encoded = process_page(scan(blank_page()))
    assert encoded.report is not None and encoded.report.blank
    assert encoded.width > 0 and encoded.data  # still a page, for the client to decide
    assert len(encoded.data) < 2_000


def test_a_clean_page_has_no_problems() -> None:
    assert report_of(scan(letter(WHITE, 8))).problems == ()


def test_a_dark_scan_is_named_dark() -> None:
    assert report_of(scan(letter(WHITE, 8), darken=0.42)).problems == ("dark",)


def test_a_blurred_scan_is_named_blurred() -> None:
    assert report_of(scan(letter(WHITE, 9), blur=3.2)).problems == ("blurred",)


def test_a_slightly_soft_scan_is_not_blurred() -> None:
    assert "blurred" not in report_of(scan(letter(WHITE, 9), blur=1.0)).problems


def test_text_running_off_the_page_is_a_cut_edge() -> None:
    sheet = letter(WHITE, 8).copy()
    shift = 330  # 28 mm: the text's left margin was 25 mm, so its first letters are cut
    sheet[:, :-shift] = sheet[:, shift:]
    sheet[:, -shift:] = WHITE
    assert "cut_edge" in report_of(scan(sheet)).problems


def test_a_full_bleed_pattern_is_not_a_cut_edge() -> None:
    # Print over every edge (a tinted form, the test scanner's grid) is a design: a sheet
    # that lost content loses it on one or two sides.
    grid = np.full((3508, 2480, 3), 250, np.uint8)
    grid[::60] = 20
    grid[:, ::60] = 20
    assert "cut_edge" not in report_of(scan(grid)).problems
