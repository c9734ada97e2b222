"""The theme file (assets/theme/default.toml): palettes and text sizes, and the rules a
job centre's own colours must keep (WCAG 2 contrast): no site can make the kiosk
unreadable."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from msgspec import Meta, Struct
from msgspec.structs import replace

from kiosk.services.assets import THEME, Assets
from kiosk.services.tomlfile import KeyPath, TomlFile
from kiosk.services.tomlstruct import convert, problem

TEXT_CONTRAST = 4.5  # WCAG 2 AA for text
HIGH_CONTRAST_TEXT = 7.0  # AAA: the palette a client picks because they see badly
FOCUS_CONTRAST = 3.0  # WCAG 1.4.11: the focus ring against what it is drawn on

_Colour = Annotated[
    str, Meta(pattern="^#[0-9a-fA-F]{6}$"), problem("must be a colour written #rrggbb")
]
_Size = Annotated[int, Meta(ge=16, le=96)]


# msgspec Structs, not dataclasses: made in C at import (dataclasses cost the kiosk's start
# 2-3 ms of generated code here), validated by the same convert().
class Palette(Struct, frozen=True, forbid_unknown_fields=True):
    background: _Colour
    surface: _Colour  # cards, tiles
    text: _Colour
    muted: _Colour  # subtitles (official terms)
    primary: _Colour  # main action background
    on_primary: _Colour
    secondary: _Colour  # other buttons
    on_secondary: _Colour
    border: _Colour
    notice: _Colour  # hint and problem boxes (always with an icon: never colour alone)
    on_notice: _Colour
    focus: _Colour
    selected: _Colour  # the chosen language (also marked with a tick)
    on_selected: _Colour
    name: str = ""  # "normal" or "high-contrast": the table it came from


class Fonts(Struct, frozen=True, forbid_unknown_fields=True):
    base: _Size  # px
    title: _Size
    big: _Size  # buttons, numbers
    small: _Size


class _Palettes(Struct, frozen=True, forbid_unknown_fields=True):
    normal: Palette
    high_contrast: Palette


class _Texts(Struct, frozen=True, forbid_unknown_fields=True):
    normal: Fonts
    large: Fonts


class _ThemeFile(Struct, frozen=True, forbid_unknown_fields=True):
    text: _Texts
    palette: _Palettes


class Theme(Struct, frozen=True, forbid_unknown_fields=True):
    normal: Palette
    high_contrast: Palette
    text: Fonts
    large_text: Fonts

    def palette(self, high_contrast: bool) -> Palette:
        return self.high_contrast if high_contrast else self.normal

    def fonts(self, large: bool, scale: float = 1.0) -> Fonts:
        """Text sizes; ``scale`` for scripts that read small at the same size (Arabic)."""
        f = self.large_text if large else self.text
        return Fonts(*(round(getattr(f, key) * scale) for key in Fonts.__struct_fields__))


def text_pairs(p: Palette) -> list[tuple[str, str, str]]:
    """Every (foreground key, background key, what) that text is drawn in."""
    return [
        ("text", "background", "text on background"),
        ("text", "surface", "text on surface"),
        ("muted", "surface", "muted on surface"),
        ("muted", "background", "muted on background"),
        ("on_primary", "primary", "primary button"),
        ("on_secondary", "secondary", "secondary button"),
        ("on_notice", "notice", "notice"),
        ("on_selected", "selected", "selected language"),
    ]


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of ``#rrggbb``."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def load_theme(assets: Assets) -> Theme:
    """The shipped theme with the site's file laid over it; InvalidFile (naming the site's
    file, key and line) for a value of the wrong kind or a colour pair too weak to read."""
    return _load(assets.shipped / THEME, assets.site_file(THEME))


def _load(shipped_path: Path, site_path: Path | None) -> Theme:
    shipped = TomlFile.read(shipped_path)
    file, data = shipped, shipped.data
    if site_path is not None:
        file = TomlFile.read(site_path)
        data = _laid_over(shipped.data, file.data)
    found = convert(file, data, _ThemeFile)
    if found is None:
        file.raise_if_problems()
    assert found is not None
    site = file.data if site_path is not None else shipped.data
    for key, palette, floor in (
        ("normal", found.palette.normal, TEXT_CONTRAST),
        ("high_contrast", found.palette.high_contrast, HIGH_CONTRAST_TEXT),
    ):
        _check_palette(file, site.get("palette", {}).get(key, {}), key, palette, floor)
    for key in ("base", "title", "big", "small"):
        normal, large = getattr(found.text.normal, key), getattr(found.text.large, key)
        if large <= normal:
            at = (
                ("text", "large", key)
                if key in site.get("text", {}).get("large", {})
                else ("text", "normal", key)
            )
            file.problem(at, f"large text ({large} px) must be larger than normal ({normal} px)")
    file.raise_if_problems()
    return Theme(
        replace(found.palette.normal, name="normal"),
        replace(found.palette.high_contrast, name="high-contrast"),
        found.text.normal,
        found.text.large,
    )


def _check_palette(
    file: TomlFile, written: dict[str, Any], key: str, p: Palette, floor: float
) -> None:
    pairs = [(fg, bg, what, floor) for fg, bg, what in text_pairs(p)]
    pairs.append(("focus", "background", "focus ring on background", FOCUS_CONTRAST))
    for fg, bg, what, least in pairs:
        ratio = contrast(getattr(p, fg), getattr(p, bg))
        if ratio >= least:
            continue
        blamed = fg if fg in written or bg not in written else bg
        at: KeyPath = ("palette", key, blamed)
        file.problem(
            at,
            f"{what}: {getattr(p, fg)} on {getattr(p, bg)} has a contrast of {ratio:.1f}:1,"
            f" at least {least:g}:1 is needed",
        )


def _laid_over(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """``over``'s keys replace ``base``'s, table by table."""
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            merged[key] = _laid_over(base[key], value)
        else:
            merged[key] = value
    return merged
