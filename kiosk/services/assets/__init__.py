"""The kiosk's files a job centre may replace: pictograms, theme, sounds, its own logo.

The shipped set is ``assets/`` (a checkout's top level; an installed package's
``<prefix>/share/jobcenter-kiosk/assets``). A site's directory (``[kiosk] assets_dir``,
e.g. /etc/kiosk/assets) holds only what it changes: a file there replaces the shipped one
of the same name (``pictograms/send.svg``, ``sounds/warning.wav``); its
``theme/default.toml`` is laid over the shipped one key by key; a ``logo.svg`` or
``logo.png`` there is shown on the start and receipt screens. Qt-free: the UI draws them.
"""

from __future__ import annotations

import functools
import sys
import tomllib
from pathlib import Path

import msgspec
from msgspec import Struct

PACKAGE = "jobcenter-kiosk"  # <prefix>/share/<PACKAGE>/assets in an installed package
THEME = "theme/default.toml"
WARNING_SOUND = "sounds/warning.wav"
LOGOS = ("logo.svg", "logo.png")  # the first found is shown


def shipped_dir() -> Path:
    """Where the shipped assets are: beside the code in a checkout, else the install's."""
    checkout = Path(__file__).resolve().parents[3] / "assets"
    if (checkout / "pictograms").is_dir():
        return checkout
    return Path(sys.prefix) / "share" / PACKAGE / "assets"


class Assets(Struct, frozen=True):
    shipped: Path = msgspec.field(default_factory=shipped_dir)
    site: Path | None = None  # [kiosk] assets_dir

    def find(self, name: str) -> Path:
        """The site's file of this name where it has one, else the shipped one."""
        if self.site is not None and (self.site / name).is_file():
            return self.site / name
        return self.shipped / name

    def site_file(self, name: str) -> Path | None:
        if self.site is None or not (self.site / name).is_file():
            return None
        return self.site / name

    def pictogram(self, name: str) -> Path:
        return self.find(f"pictograms/{name}.svg")

    def logo(self) -> Path | None:
        found = (self.site_file(name) for name in LOGOS)
        return next((path for path in found if path is not None), None)

    def pictogram_names(self) -> frozenset[str]:
        return _names(self.shipped / "pictograms")

    def mirrored(self) -> frozenset[str]:
        """The pictograms drawn mirrored in right-to-left languages (arrows that point the
        way the text reads)."""
        return _mirrored(self.find("pictograms/pictograms.toml"))


@functools.cache
def _names(directory: Path) -> frozenset[str]:
    return frozenset(path.stem for path in directory.glob("*.svg"))


@functools.cache
def _mirrored(path: Path) -> frozenset[str]:
    with path.open("rb") as file:
        return frozenset(tomllib.load(file)["mirrored_in_rtl"])
