"""The shipped theme (assets/theme/default.toml): WCAG contrast in both palettes, and the
two accessibility switches, each setting only its own part of it."""

from __future__ import annotations

import pytest

from kiosk.services.assets.theme import Fonts, Palette, contrast, luminance, text_pairs
from kiosk.ui.i18n.texts import Texts
from kiosk.ui.widgets.theme import HIGH_CONTRAST, NORMAL, PALETTES, SHIPPED


def _pairs(palette: Palette) -> list[tuple[str, float]]:
    return [
        (what, round(contrast(getattr(palette, fg), getattr(palette, bg)), 2))
        for fg, bg, what in text_pairs(palette)
    ]


@pytest.mark.parametrize("palette", PALETTES, ids=lambda p: p.name)
def test_every_text_colour_pair_reaches_4_5_to_1(palette: Palette) -> None:
    assert [w for w in _pairs(palette) if w[1] < 4.5] == []


def test_high_contrast_mode_reaches_7_to_1() -> None:
    assert [w for w in _pairs(HIGH_CONTRAST) if w[1] < 7] == []
    assert HIGH_CONTRAST.name == "high-contrast" and NORMAL.name == "normal"


def test_luminance_matches_wcag_reference_values() -> None:
    assert luminance("#ffffff") == pytest.approx(1.0)
    assert luminance("#000000") == pytest.approx(0.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def _view(catalogs: dict[str, Texts], **settings: bool):  # type: ignore[no-untyped-def]
    from kiosk.core.session import Session
    from kiosk.ui.presenter.view import Settings, View

    return View(session=Session(), texts=catalogs["de"], settings=Settings(**settings))


def test_high_contrast_and_large_text_are_separate_switches(catalogs: dict[str, Texts]) -> None:
    """Large text set the black and yellow theme too (issue 11): now the colours follow
    high_contrast only and the text sizes large_text only."""
    assert _view(catalogs).palette is NORMAL
    assert _view(catalogs, large_text=True).palette is NORMAL
    assert _view(catalogs, high_contrast=True).palette is HIGH_CONTRAST
    assert _view(catalogs, large_text=True, high_contrast=True).palette is HIGH_CONTRAST


def test_fonts_follow_large_text_not_high_contrast(catalogs: dict[str, Texts]) -> None:
    normal: Fonts = _view(catalogs, high_contrast=True).fonts
    assert normal == SHIPPED.fonts(False) == Fonts(26, 40, 30, 21)
    assert _view(catalogs, large_text=True).fonts == SHIPPED.fonts(True) == Fonts(40, 52, 46, 32)


def test_large_reading_text_is_one_and_a_half_times_normal() -> None:
    """Body, buttons and official terms (the title is large already); the drawn sizes on
    every display: tests/ui/test_large_text.py."""
    normal, large = SHIPPED.fonts(False), SHIPPED.fonts(True)
    for key in ("base", "big", "small"):
        assert getattr(large, key) >= 1.5 * getattr(normal, key), key
    assert large.title > normal.title


def test_staff_pages_keep_the_normal_sizes(catalogs: dict[str, Texts]) -> None:
    """Large text is the client's: staff mode (and its PIN) stay in normal text."""
    from kiosk.core.records import replace
    from kiosk.core.session import Phase

    staff = _view(catalogs, large_text=True)
    staff = replace(staff, session=replace(staff.session, phase=Phase.STAFF))
    assert staff.fonts == SHIPPED.fonts(False)
