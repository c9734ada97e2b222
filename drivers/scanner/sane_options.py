"""Choosing backend option values for a scan request, from the backend's own options.

Which option value means what (feeder, duplex, colour, gray, black-and-white) is read by
meaning in drivers/scanner/option_values.py. This module decides which options to set:

- an option the device has, whose values lack what is asked (colour on a gray-only
  device, a feeder on a flatbed): ``Unsupported``, the device cannot do it;
- an option the device does not have at all (SANE's `pnm` backend has no mode, source or
  scan area; a Canon LiDE has no source): whatever exists instead is used (a boolean gray
  switch such as ``gray`` or ``grayify``, ``depth``, ``preview``), and a ``NotSet`` says
  what could not be set. The scan is never refused for that alone.

Pure functions over option descriptions, so they are tested against option tables of real
scanners (tests/drivers/data/sane_devices/) without the hardware.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from drivers.scanner import option_values as ov
from drivers.scanner.option_values import F
from drivers.scanner.protocol import ColorMode, NotSet, Setting, Source, Unsupported

# SANE option types (sane.h), as python-sane reports them.
TYPE_BOOL, TYPE_INT, TYPE_FIXED, TYPE_STRING = 0, 1, 2, 3

Value = str | int | float | bool
Constraint = tuple[float, float, float] | list[str] | list[int] | list[float] | None
Settings = list[tuple[str, Value]]


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

    @property
    def numbers(self) -> list[float]:
        if not isinstance(self.constraint, list):
            return []
        return [c for c in self.constraint if isinstance(c, (int, float))]

    @property
    def usable(self) -> bool:
        return self.active and self.settable


@dataclass(frozen=True, slots=True)
class Choice:
    """What to set for one part of a request, and what the scan then really does."""

    settings: Settings = field(default_factory=list)
    not_set: NotSet | None = None  # the device has no option for it (see module docstring)
    source: Source | None = None  # for a source: how the batch runs (FLATBED: one sheet)
    mode: ColorMode | None = None  # for a mode: what the pages are (None: the device's own)
    dpi: int = 0  # for a resolution: what the pages are recorded at


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("-", " ").replace("_", " ").split())


def _find(options: Sequence[OptionInfo], *names: str, usable: bool = True) -> OptionInfo | None:
    wanted = {_norm(n) for n in names}
    for opt in options:
        if _norm(opt.name) in wanted and (opt.usable or not usable):
            return opt
    return None


_SOURCE_NAMES = ("source", "scan-source", "doc-source", "document-source", "input-source")
_MODE_NAMES = ("mode", "scan-mode", "color-mode", "colour-mode", "image-type")


# -- source -------------------------------------------------------------------------------


def choose_source(options: Sequence[OptionInfo], source: Source) -> Choice:
    opt = _find(options, *_SOURCE_NAMES, usable=False)
    if opt is None or not opt.choices:
        if source is Source.FLATBED:
            return Choice(source=source)  # no source option: taken for a flatbed
        missing = NotSet(Setting.SOURCE, source.value, "one sheet, as from a flatbed")
        return Choice(not_set=missing, source=Source.FLATBED)
    found = ov.best_source(opt.choices, source)
    if not opt.usable:
        # A read-only or inactive source with one document source ("Document Table
        # [read-only]", an epson2 with no feeder fitted: "Flatbed [inactive]") is all the
        # device has: nothing to set. With more, which one scans is not ours to say.
        others = [c for c in opt.choices if found is None or c != found[0]]
        if found is not None and not any(ov.best_source([c], s) for c in others for s in Source):
            return Choice(source=source)
        raise Unsupported(f"cannot choose {source}: the source option {opt.choices} is fixed")
    if found is not None:
        return Choice([(opt.name, found[0])], source=source)
    if source is Source.DUPLEX:
        feeder = ov.best_source(opt.choices, Source.ADF)
        switch = _duplex_switch(options, opt)
        if feeder is not None and switch is not None:
            return Choice([(opt.name, feeder[0]), switch], source=source)
    raise Unsupported(f"{source} not among the device's sources {opt.choices}")


def _duplex_switch(options: Sequence[OptionInfo], source: OptionInfo) -> tuple[str, Value] | None:
    """A separate duplex setting: hpaio's ``duplex`` boolean, epson2's ``adf-mode``
    Simplex|Duplex. Taken even while inactive: it becomes active once the source is the
    feeder, which is set first."""
    for opt in options:
        if opt is source or not opt.settable:
            continue
        if opt.type == TYPE_BOOL and ov.means(opt.name, F.DUPLEX):
            return (opt.name, True)
    for opt in options:
        if opt is source or not opt.settable or opt.type != TYPE_STRING:
            continue
        duplex = ov.best_source(opt.choices, Source.DUPLEX)
        if duplex is not None and ov.best_source(opt.choices, Source.ADF) is not None:
            return (opt.name, duplex[0])  # a Simplex|Duplex choice
    return None


def source_settings(options: Sequence[OptionInfo], source: Source) -> Settings:
    """The settings for ``source``; Unsupported also when the device has no source option
    (and ``source`` is no flatbed): see ``choose_source`` for the tolerant form."""
    choice = choose_source(options, source)
    if choice.not_set is not None:
        raise Unsupported(f"device has no source option; cannot use {source}")
    return choice.settings


# -- mode ---------------------------------------------------------------------------------


def _mode_option(options: Sequence[OptionInfo]) -> OptionInfo | None:
    """The colour mode option: by its name, and only if one of its values means a mode
    (canondr's "ScanMode" is Simplex|Duplex)."""
    for name in _MODE_NAMES:
        opt = _find(options, name)
        if opt is not None and any(ov.best_mode(opt.choices, m) for m in ColorMode):
            return opt
    return None


def _switch(options: Sequence[OptionInfo], feature: F) -> OptionInfo | None:
    """A boolean option whose name says gray ("gray", "grayify") or lineart."""
    for opt in options:
        colour = feature is F.GRAY and ov.means(opt.name, F.COLOR)  # "gray-or-color"
        if opt.type == TYPE_BOOL and opt.usable and ov.means(opt.name, feature) and not colour:
            return opt
    return None


def choose_mode(options: Sequence[OptionInfo], mode: ColorMode) -> Choice:
    depth = _find(options, "depth", "bit-depth")
    depths = [int(d) for d in depth.numbers] if depth is not None else []
    eight: Settings = [(depth.name, 8)] if depth is not None and 8 in depths else []
    one: Settings = [(depth.name, 1)] if depth is not None and 1 in depths else []
    opt = _mode_option(options)
    if opt is not None:
        found = ov.best_mode(opt.choices, mode)
        gray = ov.best_mode(opt.choices, ColorMode.GRAY)
        if mode is ColorMode.BW and one and gray and (found is None or found[1] < ov.PLAIN):
            # SANE's `test` backend and others: black-and-white is gray at depth 1, and
            # that thresholds better than a dithered "Halftone".
            return Choice([(opt.name, gray[0]), *one], mode=mode)
        if found is None:
            raise Unsupported(f"{mode} not among the device's modes {opt.choices}")
        extra = eight if mode is not ColorMode.BW else []  # 16-bit samples double the bytes
        return Choice([(opt.name, found[0]), *extra], mode=mode)
    gray_switch, bw_switch = _switch(options, F.GRAY), _switch(options, F.LINEART)
    off: Settings = [(s.name, False) for s in (gray_switch, bw_switch) if s is not None]
    if mode is ColorMode.BW and bw_switch is not None:
        return Choice([(bw_switch.name, True)], mode=mode)
    if mode is ColorMode.BW and gray_switch is not None and one:
        return Choice([(gray_switch.name, True), *one], mode=mode)
    if mode is ColorMode.COLOR and off:
        return Choice([*off, *eight], mode=mode)
    if mode is not ColorMode.COLOR and gray_switch is not None:
        settings: Settings = [(gray_switch.name, True), *eight]
        if mode is ColorMode.GRAY:
            return Choice(settings, mode=mode)
        missing = NotSet(Setting.MODE, mode.value, "gray (no black-and-white setting)")
        return Choice(settings, missing, mode=ColorMode.GRAY)
    missing = NotSet(Setting.MODE, mode.value, "in the device's own mode")
    return Choice(eight, missing)


def mode_settings(options: Sequence[OptionInfo], mode: ColorMode) -> Settings:
    """The settings for ``mode``; Unsupported when there is no way to set it exactly."""
    choice = choose_mode(options, mode)
    if choice.not_set is not None:
        raise Unsupported(f"device has no mode option for {mode}")
    return choice.settings


def preview_settings(options: Sequence[OptionInfo]) -> Settings:
    """A full-quality scan, whatever the last frontend left in ``preview``."""
    opt = _find(options, "preview")
    return [(opt.name, False)] if opt is not None and opt.type == TYPE_BOOL else []


# -- resolution and area ------------------------------------------------------------------


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


def choose_resolution(options: Sequence[OptionInfo], dpi: int) -> Choice:
    opt = _find(options, "resolution", "scan-resolution")
    axes = [opt] if opt else [_find(options, "x-resolution"), _find(options, "y-resolution")]
    settings = [(a.name, _typed(a, snap_value(a.constraint, dpi))) for a in axes if a is not None]
    if not settings:
        instead = f"at the device's own resolution, recorded as {dpi} dpi"
        return Choice(not_set=NotSet(Setting.RESOLUTION, f"{dpi} dpi", instead), dpi=dpi)
    return Choice(settings, dpi=effective_dpi(settings, dpi))


def resolution_settings(options: Sequence[OptionInfo], dpi: int) -> Settings:
    return choose_resolution(options, dpi).settings


_CORNERS = ("tl-x", "tl-y", "br-x", "br-y")


def choose_area(options: Sequence[OptionInfo], width_mm: float, height_mm: float) -> Choice:
    """Scan area from the top-left corner, clamped to what the device can reach; for a
    sheet-fed scanner also the paper size it centres the sheet by (``page-width``)."""
    wanted = {"page-width": width_mm, "page-height": height_mm, "tl-x": 0.0, "tl-y": 0.0}
    wanted |= {"br-x": width_mm, "br-y": height_mm}
    settings: Settings = []
    for name, value in wanted.items():
        opt = _find(options, name)
        if opt is not None:
            settings.append((opt.name, _typed(opt, snap_value(opt.constraint, value))))
    if not any(_norm(name) in {_norm(c) for c in _CORNERS} for name, _ in settings):
        size = f"{width_mm:g}x{height_mm:g} mm"
        return Choice(settings, NotSet(Setting.AREA, size, "the device's whole area"))
    return Choice(settings)


def geometry_settings(options: Sequence[OptionInfo], width_mm: float, height_mm: float) -> Settings:
    return choose_area(options, width_mm, height_mm).settings


_DPI_NAMES = ("resolution", "scan resolution", "y resolution")


def effective_dpi(settings: Sequence[tuple[str, Value]], requested: int) -> int:
    for name, value in settings:
        if _norm(name) in _DPI_NAMES and isinstance(value, (int, float)):
            return int(round(value))
    return requested
