"""Reading `scanimage -A` (or `scanimage --help --device`) output into option tables.

The dumps under tests/drivers/data/sane_devices/ are real devices' output, collected from
public sources; each starts with ``#`` lines naming its origin and what the kiosk must
make of it (``# expect KEY: ...``, see ``Expectation``). scanimage prints one line per
option, four spaces in:

    --mode Lineart|Gray|Color [Lineart]
    --resolution 50..600dpi (in steps of 1) [600]
    --duplex[=(yes|no)] [inactive]
    --source Document Table [Document Table] [read-only]
    -l 0..215.9mm [0]                      (-l -t -x -y: tl-x, tl-y, br-x, br-y)

then the value in brackets, or ``[inactive]``, and flags (``[read-only]``, ``[advanced]``,
``[hardware]``). ``auto|`` in front of a list or range is SANE_CAP_AUTOMATIC, not a value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from drivers.scanner import sane_options as so

DATA = Path(__file__).resolve().parent / "data" / "sane_devices"

_LINE = re.compile(r"^ {4}(-[a-z]|--[^\s\[]+(?: \d+(?=\[))?)(\[=\((?:auto\|)?yes\|no\)\])?(.*)$")
_FLAGS = {"inactive", "read-only", "advanced", "hardware", "software", "emulated", "automatic"}
_GEOMETRY = {"-l": "tl-x", "-t": "tl-y", "-x": "br-x", "-y": "br-y"}
_NUMBER = re.compile(r"^(-?\d+(?:\.\d+)?)([a-z%]*)$")
_RANGE = re.compile(r"^(-?[\d.]+)\.\.(-?[\d.]+)([a-z%]*)(?: \(in steps of ([\d.]+)\))?$")
_BUTTON = 4  # SANE_TYPE_BUTTON: nothing to read


def _trailing_groups(text: str) -> tuple[str, list[str]]:
    """Split "a|b [b] [read-only]" into ("a|b", ["b", "read-only"]); brackets nest
    ("24bit Color[Fast] [24bit Color[Fast]]"), and a group must follow a space."""
    groups: list[str] = []
    text = text.rstrip()
    while text.endswith("]"):
        depth, index = 0, len(text) - 1
        while index >= 0:
            depth += {"]": 1, "[": -1}.get(text[index], 0)
            if depth == 0:
                break
            index -= 1
        if index <= 0 or text[index - 1] != " ":
            break
        groups.insert(0, text[index + 1 : -1])
        text = text[:index].rstrip()
    return text, groups


def _constraint(spec: str) -> tuple[int, so.Constraint]:
    spec = spec.strip()
    if spec.startswith("auto|"):
        spec = spec[len("auto|") :]
    if spec in ("<string>",):
        return so.TYPE_STRING, None
    if spec in ("<int>", "<float>") or spec.endswith(",..."):
        return (so.TYPE_INT if spec == "<int>" else so.TYPE_FIXED), None
    if not spec:
        return _BUTTON, None
    found = _RANGE.match(spec)
    if found:
        low, high, unit, step = found.groups()
        fixed = unit == "mm" or any("." in n for n in (low, high, step or ""))
        kind = so.TYPE_FIXED if fixed else so.TYPE_INT
        return kind, (float(low), float(high), float(step or 0))
    items = [item.strip() for item in spec.split("|") if item.strip()]
    numbers = [_NUMBER.match(item) for item in items]
    if items and all(numbers):
        values = [float(n.group(1)) for n in numbers if n]
        if all(v.is_integer() for v in values):
            return so.TYPE_INT, [int(v) for v in values]
        return so.TYPE_FIXED, values
    return so.TYPE_STRING, items


@dataclass(frozen=True, slots=True)
class Dump:
    path: Path
    device: str
    options: list[so.OptionInfo]
    header: dict[str, list[str]] = field(default_factory=dict)  # "origin", "expect", ...


def parse(text: str, path: Path = Path("-")) -> Dump:
    options: list[so.OptionInfo] = []
    header: dict[str, list[str]] = {}
    device = ""
    for line in text.splitlines():
        if line.startswith("#"):
            # "# origin: ...", "# device: ...", "# expect adf: source=ADF"
            key, _, value = line.lstrip("# ").partition(" ")
            header.setdefault(key.rstrip(":"), []).append(value.strip())
            continue
        named = re.search(r"options specific to device `(.*)':", line, re.IGNORECASE)
        if named:
            device = named.group(1)
            continue
        found = _LINE.match(line)
        if not found:
            continue
        flag, boolean, rest = found.groups()
        spec, groups = _trailing_groups(rest)
        flags = {g for g in groups if g in _FLAGS}
        kind, constraint = (so.TYPE_BOOL, None) if boolean else _constraint(spec)
        if kind == _BUTTON:
            continue
        name = _GEOMETRY.get(flag, flag.lstrip("-"))
        active = "inactive" not in flags
        settable = not flags & {"read-only", "hardware"}
        options.append(so.OptionInfo(name, kind, constraint, active, settable))
    return Dump(path, device, options, header)


def load(path: Path) -> Dump:
    return parse(path.read_text(encoding="utf-8"), path)


def all_dumps() -> list[Dump]:
    return [load(p) for p in sorted(DATA.glob("*.txt"))]
