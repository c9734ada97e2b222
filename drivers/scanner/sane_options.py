"""Choosing backend option values for a scan request, by the backend's own names.

Backends name the same thing differently ("ADF", "Automatic Document Feeder",
"ADF Front"; "Lineart", "Binary", "Black & White"): the aliases live here, in one
place, so no backend is hard-coded. Pure functions over option descriptions, so they
are tested against option tables of real scanners without the hardware.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from drivers.scanner.protocol import ColorMode, Source, Unsupported

# SANE option types (sane.h), as python-sane reports them.
TYPE_BOOL, TYPE_INT, TYPE_FIXED, TYPE_STRING = 0, 1, 2, 3

Value = str | int | float | bool
Constraint = tuple[float, float, float] | list[str] | list[int] | list[float] | None


@dataclass(frozen=True, slots=True)
class OptionInfo:
    name: str
    type: int
    constraint: Constraint
    active: bool = True
    settable: bool = True

    @property
    def choices(self) -> list[str]:
        return (
            [c for c in self.constraint if isinstance(c, str)]
            if isinstance(self.constraint, list)
            else []
        )


_QUALIFIER = re.compile(r"\s*[\[(][^\])]*[\])]\s*$")


def _norm(text: str) -> str:
    """Compare names loosely: case, separators, and a trailing "(left aligned)" or
    "[Fast]" qualifier (Brother's backends) do not matter."""
    text = _QUALIFIER.sub("", text)
    return " ".join(text.lower().replace("-", " ").replace("_", " ").split())


SOURCE_ALIASES: dict[Source, tuple[str, ...]] = {
    Source.FLATBED: ("flatbed", "normal", "document table", "platen", "fb"),
    Source.ADF: (
        "adf",
        "automatic document feeder",
        "adf front",
        "adf simplex",
        "adf (simplex)",
        "feeder",
        "document feeder",
        "auto",
    ),
    Source.DUPLEX: (
        "adf duplex",
        "duplex",
        "adf (duplex)",
        "automatic document feeder duplex",
        "adf front and back",
        "adf both sides",
    ),
}
MODE_ALIASES: dict[ColorMode, tuple[str, ...]] = {
    ColorMode.COLOR: ("color", "colour", "24bit color", "24 bit color", "color24", "rgb"),
    # "True Gray" first: Brother's plain "Gray[Error Diffusion]" is dithered.
    ColorMode.GRAY: ("true gray", "gray", "grey", "grayscale", "greyscale", "8bit gray", "gray8"),
    ColorMode.BW: (
        "lineart",
        "binary",
        "black & white",
        "black and white",
        "monochrome",
        "bw",
        "halftone",
    ),
}
_SOURCE_OPTION = "source"
_MODE_OPTION = "mode"
_DUPLEX_BOOL = ("duplex",)
_ADF_MODE_OPTION = ("adf mode",)  # epson2: source=ADF plus adf-mode=Duplex


def _find(options: Sequence[OptionInfo], *names: str) -> OptionInfo | None:
    wanted = {_norm(n) for n in names}
    for opt in options:
        if _norm(opt.name) in wanted and opt.active and opt.settable:
            return opt
    return None


def _match(choices: Sequence[str], aliases: Sequence[str]) -> str | None:
    """The device's own value for the first alias it offers (aliases are in preference order)."""
    by_norm: dict[str, str] = {}
    for choice in choices:
        by_norm.setdefault(_norm(choice), choice)  # the device's first-listed variant wins
    for alias in aliases:
        if alias in by_norm:
            return by_norm[alias]
    return None


def source_settings(options: Sequence[OptionInfo], source: Source) -> list[tuple[str, Value]]:
    opt = _find(options, _SOURCE_OPTION)
    if opt is None:
        if source is Source.FLATBED:
            return []  # a device with no source option is a flatbed
        raise Unsupported(f"device has no source option; cannot use {source}")
    value = _match(opt.choices, SOURCE_ALIASES[source])
    if value is not None:
        return [(opt.name, value)]
    if source is Source.DUPLEX:
        adf = _match(opt.choices, SOURCE_ALIASES[Source.ADF])
        duplex_bool = _find(options, *_DUPLEX_BOOL)
        adf_mode = _find(options, *_ADF_MODE_OPTION)
        if adf is not None and duplex_bool is not None and duplex_bool.type == TYPE_BOOL:
            return [(opt.name, adf), (duplex_bool.name, True)]
        if adf is not None and adf_mode is not None:
            mode_value = _match(adf_mode.choices, ("duplex",))
            if mode_value is not None:
                return [(opt.name, adf), (adf_mode.name, mode_value)]
    raise Unsupported(f"{source} not among the device's sources {opt.choices}")


def mode_settings(options: Sequence[OptionInfo], mode: ColorMode) -> list[tuple[str, Value]]:
    opt = _find(options, _MODE_OPTION)
    depth = _find(options, "depth")
    depths = (
        [d for d in depth.constraint if isinstance(d, int)]
        if depth and isinstance(depth.constraint, list)
        else []
    )
    if opt is None:
        raise Unsupported("device has no mode option")
    value = _match(opt.choices, MODE_ALIASES[mode])
    if value is not None:
        settings: list[tuple[str, Value]] = [(opt.name, value)]
        if depth is not None and mode is not ColorMode.BW and 8 in depths:
            settings.append((depth.name, 8))  # 16-bit samples only double the bytes
        return settings
    # SANE's `test` backend and some others: black-and-white is gray at depth 1.
    gray = _match(opt.choices, MODE_ALIASES[ColorMode.GRAY])
    if mode is ColorMode.BW and gray is not None and depth is not None and 1 in depths:
        return [(opt.name, gray), (depth.name, 1)]
    raise Unsupported(f"{mode} not among the device's modes {opt.choices}")


def snap_value(constraint: Constraint, wanted: float) -> float:
    """The value nearest to ``wanted`` that the constraint allows (ties go up)."""
    if isinstance(constraint, tuple):
        low, high, quant = constraint
        value = min(max(wanted, low), high)
        if quant:
            value = low + round((value - low) / quant) * quant
            value = min(value, high)
        return value
    if isinstance(constraint, list) and constraint:
        numbers = [float(c) for c in constraint if isinstance(c, (int, float))]
        if numbers:
            return min(numbers, key=lambda n: (abs(n - wanted), -n))
    return wanted


def _typed(opt: OptionInfo, value: float) -> Value:
    return int(round(value)) if opt.type == TYPE_INT else float(value)


def resolution_settings(options: Sequence[OptionInfo], dpi: int) -> list[tuple[str, Value]]:
    opt = _find(options, "resolution")
    if opt is not None:
        return [(opt.name, _typed(opt, snap_value(opt.constraint, dpi)))]
    settings: list[tuple[str, Value]] = []
    for name in ("x-resolution", "y-resolution"):
        axis = _find(options, name)
        if axis is not None:
            settings.append((axis.name, _typed(axis, snap_value(axis.constraint, dpi))))
    return settings


def geometry_settings(
    options: Sequence[OptionInfo], width_mm: float, height_mm: float
) -> list[tuple[str, Value]]:
    """Scan area from the top-left corner, clamped to what the device can reach."""
    settings: list[tuple[str, Value]] = []
    for name, wanted in (("tl-x", 0.0), ("tl-y", 0.0), ("br-x", width_mm), ("br-y", height_mm)):
        opt = _find(options, name)
        if opt is not None:
            settings.append((opt.name, _typed(opt, snap_value(opt.constraint, wanted))))
    return settings


def effective_dpi(settings: Sequence[tuple[str, Value]], requested: int) -> int:
    for name, value in settings:
        if _norm(name) in ("resolution", "y resolution") and isinstance(value, (int, float)):
            return int(round(value))
    return requested
