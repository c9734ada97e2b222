"""Contrast of every text colour pair, in both themes (WCAG 2, at least 4.5:1)."""

from __future__ import annotations

import pytest

from kiosk.ui.i18n.texts import Texts
from kiosk.ui.widgets.theme import (
    HIGH_CONTRAST,
    NORMAL,
    PALETTES,
    Fonts,
    Palette,
    contrast,
    fonts,
    luminance,
    text_pairs,
)


@pytest.mark.parametrize("palette", PALETTES, ids=lambda p: p.name)
def test_every_text_colour_pair_reaches_4_5_to_1(palette: Palette) -> None:
    weak = [(name, round(contrast(fg, bg), 2)) for name, fg, bg in text_pairs(palette)]
    assert [w for w in weak if w[1] < 4.5] == []


def test_high_contrast_mode_reaches_7_to_1() -> None:
    high = PALETTES[1]
    assert all(contrast(fg, bg) >= 7 for _, fg, bg in text_pairs(high))


def test_luminance_matches_wcag_reference_values() -> None:
    assert luminance("#ffffff") == pytest.approx(1.0)
    assert luminance("#000000") == pytest.approx(0.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_high_contrast_and_large_text_are_separate_switches() -> None:
    """Large text set the black and yellow theme too (issue 11): now the colours follow
    high_contrast only and the text sizes large_text only."""
    from kiosk.ui.presenter.view import Settings

    assert Settings().palette is NORMAL
    assert Settings(large_text=True).palette is NORMAL
    assert Settings(high_contrast=True).palette is HIGH_CONTRAST
    assert Settings(large_text=True, high_contrast=True).palette is HIGH_CONTRAST


def test_fonts_follow_large_text_not_high_contrast(catalogs: dict[str, Texts]) -> None:
    from kiosk.core.session import Session
    from kiosk.ui.presenter.view import Settings, View

    def fonts_with(settings: Settings) -> Fonts:
        return View(session=Session(), texts=catalogs["de"], settings=settings).fonts

    assert fonts_with(Settings(high_contrast=True)) == fonts(False)
    assert fonts_with(Settings(large_text=True)) == fonts(True)
    assert fonts(True) != fonts(False)
