"""What a scan is asked for: the paper's way in and the colour mode. Their own module: the
configuration needs them, and it is read before the kiosk's first paint, without the rest of
the scanner protocol (drivers.scanner.protocol re-exports them)."""

from __future__ import annotations

from enum import StrEnum


class Source(StrEnum):
    FLATBED = "flatbed"
    ADF = "adf"
    DUPLEX = "duplex"


class ColorMode(StrEnum):
    COLOR = "color"
    GRAY = "gray"
    BW = "bw"  # black-and-white (lineart)
