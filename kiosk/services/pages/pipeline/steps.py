"""The pipeline's steps in order, on one page: analysis on small copies (150 and 75 dpi),
one warp of the full-size pixels, then the encoding the page's content asks for."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from drivers.scanner.protocol import ColorMode, ScannedPage
from kiosk.services.pages.imaging import EncodedPage, PageReport, _array
from kiosk.services.pages.pipeline import encode, geometry, readability, tone
from kiosk.services.pages.pipeline.blank import emptiness
from kiosk.services.pages.pipeline.levels import level
from kiosk.services.pages.pipeline.orient import upside_down
from kiosk.services.pages.pipeline.paper import Sheet, find_sheet
from kiosk.services.pages.pipeline.skew import find_lines

ANALYSIS_DPI = 150.0
_INK_SHARE_OF_PAPER = 0.6  # darker than this share of the paper's gray: ink (analysis)
_MIN_TILT = 0.1  # degrees; a smaller measured tilt is a straight page: left untouched
_TEXT_SHARPNESS = 2.0  # line profiles this peaky: the page is text (turned upright)
_RULE = 41  # pixels at 150 dpi (7 mm): a straight stroke this long is a rule, not a letter
_MIN_ANALYSED = 64  # analysis pixels; a smaller scan (a thumbnail, a test) is not analysed


@dataclass(frozen=True, slots=True)
class _Geometry:
    plan: geometry.Layout
    tilt: float
    sheet: Sheet | None


def run(page: ScannedPage, mode: str) -> EncodedPage:
    pixels = _array(page)
    colour = pixels.ndim == 3
    gray = cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY) if colour else pixels
    factor = min(1.0, ANALYSIS_DPI / page.dpi)
    small = _shrink(gray, factor)
    if min(small.shape) < _MIN_ANALYSED:
        found = _Geometry(geometry.layout(gray.shape[:2], 0.0, 0, None, page.dpi), 0.0, None)
    else:
        found = _find_geometry(small, factor, page.dpi)
    plan = found.plan
    fill = _fill(pixels, small, found.sheet)
    upright = geometry.apply(pixels, plan, fill)
    upright_gray = cv2.cvtColor(upright, cv2.COLOR_RGB2GRAY) if colour else upright
    small_plan = geometry.scaled(plan, factor)
    small_up = geometry.apply(small, small_plan, (level(small, 90),))
    paper_level = max(level(small_up, 90), 1.0)
    normal = tone.normalise(small_up, paper_level)
    analysis_dpi = page.dpi * factor
    empty = emptiness(normal, analysis_dpi)
    report = PageReport(
        mode=_mode(mode, page.mode, upright, normal),
        rotation=plan.quarter_turns * 90,
        skew_degrees=found.tilt,
        cropped=plan.cropped,
        blank=empty.blank,
        blank_score=empty.score,
        problems=readability.problems(paper_level, normal, analysis_dpi, empty.blank),
        scanner_not_set=tuple(str(missing) for missing in page.not_set),
    )
    return _encode(report, upright, upright_gray, page.dpi, paper_level)


def _shrink(image: np.ndarray, factor: float) -> np.ndarray:
    if factor >= 1.0:
        return image
    h, w = image.shape[:2]
    size = (max(1, round(w * factor)), max(1, round(h * factor)))
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA)


def _find_geometry(small: np.ndarray, factor: float, dpi: int) -> _Geometry:
    tiny = _shrink(small, 0.5)
    sheet = find_sheet(tiny)
    paper_level = level(small, 90)
    ink = small < paper_level * _INK_SHARE_OF_PAPER
    if sheet is not None:  # only ink on the paper: the backing around it is dark too
        outline = np.zeros(small.shape, np.uint8)
        cv2.fillConvexPoly(outline, np.round(sheet.corners * 2).astype(np.int32), 1)
        inside = cv2.erode(outline, np.ones((15, 15), np.uint8))
        ink &= inside.astype(bool)
    lines = find_lines(ink)
    text = lines is not None and lines.sharpness >= _TEXT_SHARPNESS
    if text and lines is not None:
        tilt = lines.tilt
    elif sheet is not None:
        tilt = sheet.angle
    else:
        tilt = 0.0
    tilt = 0.0 if abs(tilt) < _MIN_TILT else round(tilt, 2)
    turns = 0
    if text and lines is not None:
        turns = _quarter_turns(ink, tilt, lines.vertical)
    corners = None if sheet is None else sheet.corners * (2.0 / factor)
    plan = geometry.layout(
        (round(small.shape[0] / factor), round(small.shape[1] / factor)), tilt, turns, corners, dpi
    )
    return _Geometry(plan, tilt, sheet)


def _quarter_turns(ink: np.ndarray, tilt: float, vertical: bool) -> int:
    """Clockwise quarter turns that make the text upright."""
    h, w = ink.shape
    mask: np.ndarray = ink.astype(np.uint8)
    if tilt:
        matrix = cv2.getRotationMatrix2D((w / 2, h / 2), -tilt, 1.0)
        mask = np.asarray(cv2.warpAffine(mask, matrix, (w, h), flags=cv2.INTER_NEAREST))
    turns = 1 if vertical else 0
    flipped = upside_down(_without_rules(np.rot90(mask, k=-turns)))
    if flipped is None:  # no clear text lines to vote (a blank back, a drawing): as it came
        return 0
    return (turns + (2 if flipped else 0)) % 4


def _without_rules(mask: np.ndarray) -> np.ndarray:
    """The ink less long straight rules (a form's boxes and lines, a table's grid): they
    join the text lines into one block and carry no up or down."""
    ink = np.ascontiguousarray(mask, dtype=np.uint8)
    across = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, _RULE), np.uint8))
    down = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((_RULE, 1), np.uint8))
    return np.asarray((ink > 0) & (across == 0) & (down == 0), dtype=bool)


def _fill(pixels: np.ndarray, small: np.ndarray, sheet: Sheet | None) -> tuple[float, ...]:
    """What shows where the warp reaches past the scan: the paper's colour."""
    paper = level(small, 90)
    if pixels.ndim == 2:
        return (paper,)
    sample = pixels[::16, ::16].reshape(-1, 3)
    bright = sample[sample.max(axis=1) >= paper - 10]
    colour = np.median(bright, axis=0) if len(bright) else np.full(3, paper)
    return tuple(float(c) for c in colour)


def _mode(wanted: str, scanned: ColorMode, upright: np.ndarray, normal: np.ndarray) -> str:
    if scanned is ColorMode.BW or wanted == "bw":
        return "bw"
    if wanted == "color":
        return "color" if upright.ndim == 3 else "gray"
    if wanted == "gray":
        return "gray"
    if upright.ndim == 3:
        tiny = _shrink(upright, min(1.0, normal.shape[1] / upright.shape[1] / 2))
        if tone.has_colour(tiny, tone.paper_colour(tiny)):
            return "color"
    return "gray" if tone.has_gray(normal) else "bw"


def _encode(
    report: PageReport,
    upright: np.ndarray,
    upright_gray: np.ndarray,
    dpi: int,
    paper_level: float,
) -> EncodedPage:
    if report.mode == "bw":
        return encode.bilevel(upright_gray, dpi, paper_level, report)
    if report.mode == "gray":
        return encode.gray_jpeg(upright_gray, dpi, paper_level, report)
    tiny = _shrink(upright, 0.25)
    return encode.colour_jpeg(upright, dpi, tone.paper_colour(tiny), report)
