"""A site's assets directory checked as part of its configuration (`kiosk config check`):
a theme that keeps the contrast rules, pictograms and a logo that parse and are of a sane
size, a sound that is a short WAV. Each problem names the file (and for the theme, the key
and line); a file of a name the kiosk does not use is a warning, not a refusal."""

from __future__ import annotations

import struct
import tomllib
from pathlib import Path
from xml.parsers import expat

from kiosk.services.assets import LOGOS, THEME, Assets
from kiosk.services.assets.theme import load_theme
from kiosk.services.tomlfile import InvalidFile, Problem

# expat's name for the root element, namespace and tag joined by NAMESPACED
NAMESPACED = "}"
SVG = "http://www.w3.org/2000/svg}svg"
MAX_PICTOGRAM = 256 * 1024  # bytes: the shipped ones are under 1 KiB
MAX_LOGO = 1024 * 1024  # bytes
MAX_LOGO_PIXELS = 4096  # px per side of a PNG logo
MAX_SOUND_SECONDS = 3.0
_PNG = b"\x89PNG\r\n\x1a\n"


def site_problems(assets: Assets) -> list[InvalidFile]:
    """Every broken file of ``assets.site``, each as its own InvalidFile."""
    site = assets.site
    if site is None:
        return []
    found: list[InvalidFile] = []
    if (site / THEME).is_file():
        try:
            load_theme(assets)
        except InvalidFile as err:
            found.extend(err.each())
    names = assets.pictogram_names()
    for path in sorted((site / "pictograms").glob("*.svg")):
        if path.stem not in names:
            found.append(
                _bad(
                    path,
                    "not a pictogram the kiosk draws: the file name must be"
                    " one of assets/pictograms/*.svg",
                )
            )
        elif (why := _svg_problem(path, MAX_PICTOGRAM)) is not None:
            found.append(_bad(path, why))
    mirrored = assets.site_file("pictograms/pictograms.toml")
    if mirrored is not None and (why := _mirrored_problem(mirrored, names)) is not None:
        found.append(_bad(mirrored, why))
    for name in LOGOS:
        logo = assets.site_file(name)
        if logo is not None and (why := _logo_problem(logo)) is not None:
            found.append(_bad(logo, why))
    for path in sorted((site / "sounds").glob("*")):
        if path.name != "warning.wav":
            continue
        if (why := _sound_problem(path)) is not None:
            found.append(_bad(path, why))
    return found


def _bad(path: Path, message: str) -> InvalidFile:
    return InvalidFile(path, [Problem("(file)", None, message)])


def _too_big(path: Path, most: int) -> str | None:
    size = path.stat().st_size
    return f"{size} bytes: at most {most} bytes" if size > most else None


def _svg_problem(path: Path, most: int) -> str | None:
    if (why := _too_big(path, most)) is not None:
        return why
    try:
        tag, attributes = _root_element(path)
    except (expat.ExpatError, OSError) as err:
        return f"not a readable SVG file: {err}"
    if tag != SVG:
        return 'not an SVG file: its root must be <svg xmlns="http://www.w3.org/2000/svg">'
    if not attributes.get("viewBox"):
        return 'has no viewBox (pictograms are drawn on viewBox="0 0 100 100")'
    return None


def _root_element(path: Path) -> tuple[str, dict[str, str]]:
    """The root element's name (namespace}tag) and attributes of a well-formed XML file;
    raises ExpatError for one that is not. Expat itself, as ElementTree parses, without
    building the tree (and without ElementTree's import before the first paint)."""
    parser = expat.ParserCreate(namespace_separator=NAMESPACED)
    found: list[tuple[str, dict[str, str]]] = []

    def start(name: str, attributes: dict[str, str]) -> None:
        if not found:
            found.append((name, attributes))

    parser.StartElementHandler = start
    with path.open("rb") as file:
        parser.ParseFile(file)  # to the end: a file broken after its root is refused too
    return found[0]


def _logo_problem(path: Path) -> str | None:
    if path.suffix == ".svg":
        return _svg_problem(path, MAX_LOGO)
    if (why := _too_big(path, MAX_LOGO)) is not None:
        return why
    with path.open("rb") as file:
        head = file.read(24)
    if len(head) < 24 or not head.startswith(_PNG) or head[12:16] != b"IHDR":
        return "not a PNG image"
    width, height = struct.unpack(">II", head[16:24])
    if max(width, height) > MAX_LOGO_PIXELS or min(width, height) == 0:
        return f"{width}x{height} px: at most {MAX_LOGO_PIXELS} px a side"
    return None


def _sound_problem(path: Path) -> str | None:
    import wave  # only for a site with its own sound

    try:
        with wave.open(str(path), "rb") as wav:
            seconds = wav.getnframes() / wav.getframerate()
    except (wave.Error, EOFError, OSError, ZeroDivisionError) as err:
        return f"not a readable WAV file: {err or 'empty'}"
    if seconds > MAX_SOUND_SECONDS:
        return f"{seconds:.1f} s long: a warning sound is at most {MAX_SOUND_SECONDS:g} s"
    return None


def _mirrored_problem(path: Path, names: frozenset[str]) -> str | None:
    try:
        with path.open("rb") as file:
            listed = tomllib.load(file).get("mirrored_in_rtl")
    except (tomllib.TOMLDecodeError, OSError) as err:
        return f"cannot be read: {err}"
    if not isinstance(listed, list) or not all(isinstance(n, str) for n in listed):
        return "mirrored_in_rtl must be a list of pictogram names"
    unknown = sorted(set(listed) - names)
    return f"mirrored_in_rtl names unknown pictograms: {', '.join(unknown)}" if unknown else None
