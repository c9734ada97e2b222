"""Prometheus' text exposition format (0.0.4), and node_exporter's textfile written safely.

Label names come from a fixed allow-list and every label value is escaped; a metric
family without samples is left out. The textfile is written to a temporary name that the
textfile collector ignores (it reads ``*.prom`` only), fsynced, made world-readable
whatever the umask (node_exporter runs as another user) and renamed into place: a scrape
sees the old file or the new one, never half of one.
"""

from __future__ import annotations

import math
import os
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.services.spool.fsync import fsync_dir

LABEL_NAMES = frozenset({"state", "route", "result", "which", "version", "kiosk"})
_METRIC_NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
KINDS = ("gauge", "counter")


@dataclass
class Family:
    """One metric: its name, type, help line and samples (labels, value)."""

    name: str
    kind: str
    help: str
    samples: list[tuple[dict[str, str], float]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not _METRIC_NAME.fullmatch(self.name) or self.kind not in KINDS:
            raise ValueError(f"not a metric: {self.name} {self.kind}")

    def add(self, value: float, **labels: str) -> Family:
        unknown = set(labels) - LABEL_NAMES
        if unknown:  # a label outside the allow-list is a bug, never exported
            raise ValueError(f"label(s) not allowed: {', '.join(sorted(unknown))}")
        self.samples.append((labels, float(value)))
        return self


def render(families: Iterable[Family]) -> str:
    lines: list[str] = []
    for family in families:
        if not family.samples:
            continue
        lines.append(f"# HELP {family.name} {escape_help(family.help)}")
        lines.append(f"# TYPE {family.name} {family.kind}")
        for labels, value in family.samples:
            lines.append(f"{family.name}{_labels(labels)} {number(value)}")
    return "".join(line + "\n" for line in lines)


def escape_value(value: str) -> str:
    """A label value: backslash, double quote and line feed escaped."""
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def escape_help(text: str) -> str:
    """A HELP text: backslash and line feed escaped."""
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def _labels(labels: dict[str, str]) -> str:
    if not labels:
        return ""
    inner = ",".join(f'{name}="{escape_value(value)}"' for name, value in labels.items())
    return "{" + inner + "}"


def number(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return repr(value)


def write_textfile(directory: Path, name: str, text: str) -> Path:
    """``directory/name`` replaced atomically by ``text`` (mode 0644)."""
    target = directory / name
    tmp = directory / f".{name}.{secrets.token_hex(6)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), 0o644)  # a umask of 077 must not hide it from the exporter
            handle.write(text.encode())
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(directory)
    return target
