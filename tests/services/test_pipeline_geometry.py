"""The page pipeline's geometry on generated German pages: the scanner's background cut
away, the tilt corrected (checked by an independent measure on the output), pages turned
upright (checked against the page as it was printed)."""

from __future__ import annotations

from functools import cache

import cv2
import numpy as np
import pytest

from kiosk.services.pages.imaging import EncodedPage
from kiosk.services.pages.pageimage import to_image
from kiosk.services.pages.pipeline import process_page
from tests.services.pipeline_pages import A4, CREAM, SANS, WHITE, scan, text_page


@cache
def letter(seed: int, font: str = "serif") -> np.ndarray:
    paper = CREAM if seed % 2 else WHITE
    if font == "sans":
        return text_page(paper, seed=seed, font=SANS)
    return text_page(paper, seed=seed)


def pixels(page: EncodedPage) -> np.ndarray:
    return np.asarray(to_image(page).convert("L"))


def residual_tilt(gray: np.ndarray) -> float:
    """The text lines' tilt (degrees, counter-clockwise positive) on a page, measured
    another way than the pipeline does: the vertical shift between the row profiles of
    the text's left and right parts, by cross-correlation."""
    ink = (gray < 128).astype(np.float32)
    cols = np.flatnonzero(ink.sum(axis=0) > 0)
    left_edge, right_edge = cols[0], cols[-1]
    span = (right_edge - left_edge) // 3
    left = ink[:, left_edge : left_edge + span].sum(axis=1)
    right = ink[:, right_edge - span : right_edge].sum(axis=1)
    left, right = left - left.mean(), right - right.mean()
    lags = np.arange(-60, 61)
    scores = np.array([np.dot(np.roll(right, -lag), left) for lag in lags])
    i = int(np.argmax(scores))
    lag = float(lags[i])
    if 0 < i < len(lags) - 1:
        a, b, c = scores[i - 1], scores[i], scores[i + 1]
        lag += 0.5 * (a - c) / (a - 2 * b + c)
    columns = ink.sum(axis=0)
    xs = np.arange(ink.shape[1])
    left_part, right_part = slice(left_edge, left_edge + span), slice(right_edge - span, right_edge)
    distance = np.average(xs[right_part], weights=columns[right_part]) - np.average(
        xs[left_part], weights=columns[left_part]
    )
    # The right part's lines sit higher (smaller y) when the page tilts counter-clockwise.
    return float(np.degrees(np.arctan2(-lag, distance)))


def test_the_independent_measure_sees_a_tilt() -> None:
    # The check below would pass on anything if its measure saw no tilt at all.
    tilted = scan(letter(11), skew=2.0, noise=0)
    gray = cv2.cvtColor(
        np.frombuffer(tilted.pixels, np.uint8).reshape(tilted.height, tilted.width, 3),
        cv2.COLOR_RGB2GRAY,
    )
    assert residual_tilt(gray) == pytest.approx(2.0, abs=0.1)


@pytest.mark.parametrize(
    ("angle", "background"),
    [(-3.7, None), (-1.2, 25), (0.6, None), (2.3, 25), (4.5, None), (-0.3, 230)],
)
def test_tilted_pages_come_out_straight(angle: float, background: int | None) -> None:
    page = process_page(scan(letter(10 + int(angle * 10) % 7), skew=angle, background=background))
    assert page.report is not None
    assert page.report.skew_degrees == pytest.approx(angle, abs=0.2)
    assert abs(residual_tilt(pixels(page))) <= 0.2
    assert page.report.rotation == 0


def test_a_straight_page_is_left_as_it_was() -> None:
    page = process_page(scan(letter(1)))
    assert page.report is not None
    assert page.report.skew_degrees == 0.0 and page.report.rotation == 0
    assert not page.report.cropped
    assert (page.width, page.height) == A4
    assert abs(residual_tilt(pixels(page))) <= 0.1


def test_a_dark_feeder_background_is_cut_away_and_no_content_with_it() -> None:
    sheet = letter(3)
    page = process_page(scan(sheet, background=20, skew=1.5))
    assert page.report is not None and page.report.cropped
    out = pixels(page)
    # A4 less the sheet's edge (under 1 mm each side), nothing of the black backing left.
    assert A4[0] - 30 <= page.width <= A4[0] and A4[1] - 30 <= page.height <= A4[1]
    for strip in (out[:8], out[-8:], out[:, :8], out[:, -8:]):
        assert (strip < 128).mean() < 0.01
    # Every line of text is still there: the ink rows match the printed page's.
    printed = cv2.cvtColor(sheet, cv2.COLOR_RGB2GRAY) < 128
    assert _text_rows(out < 128) == _text_rows(printed)


def _text_rows(ink: np.ndarray) -> int:
    rows = ink.sum(axis=1) > 0
    return int(np.count_nonzero(np.diff(rows.astype(np.int8)) == 1))


@pytest.mark.parametrize(("turn", "seed"), [(0, 21), (90, 22), (180, 23), (270, 24), (180, 26)])
def test_turned_pages_are_turned_upright(turn: int, seed: int) -> None:
    font = "sans" if seed % 2 else "serif"
    sheet = letter(seed, font)
    page = process_page(scan(sheet, rotation=turn, skew=0.8 if turn else 0.0))
    assert page.report is not None
    assert page.report.rotation == turn
    assert (page.width, page.height) == A4
    # The output is the printed page, not one of its turns: compare small ink images.
    printed = _small_ink(cv2.cvtColor(sheet, cv2.COLOR_RGB2GRAY))
    out = _small_ink(pixels(page))
    upright = _overlap(out, printed)
    upside = _overlap(out, printed[::-1, ::-1])
    assert upright > 0.6 and upright > upside + 0.2


def _small_ink(gray: np.ndarray) -> np.ndarray:
    small = cv2.resize(gray, (A4[0] // 16, A4[1] // 16), interpolation=cv2.INTER_AREA)
    return small < 235


def _overlap(a: np.ndarray, b: np.ndarray) -> float:
    return float((a & b).sum() / max(1, (a | b).sum()))


def test_a_page_with_too_few_lines_is_not_turned() -> None:
    # One short line gives no vote on up or down: the page stays as it came.
    one_line = text_page(WHITE, lines=1, seed=5, top_mm=40)
    page = process_page(scan(np.ascontiguousarray(one_line[::-1, ::-1])))
    assert page.report is not None and page.report.rotation == 0
    assert not page.report.blank


def test_an_upside_down_form_with_boxes_is_turned_upright() -> None:
    # Boxes and rules around the text (a form) neither hide its lines nor vote on up or down.
    form = letter(27).copy()
    for top in range(295, A4[1] - 600, 420):
        cv2.rectangle(form, (250, top - 20), (A4[0] - 200, top + 330), (30, 30, 30), 4)
    cv2.line(form, (250, A4[1] - 400), (A4[0] - 200, A4[1] - 400), (30, 30, 30), 3)
    page = process_page(scan(form, rotation=180, skew=-2.0))
    assert page.report is not None
    assert (page.report.rotation, round(page.report.skew_degrees)) == (180, -2)
