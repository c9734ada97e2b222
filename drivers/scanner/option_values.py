"""Which of a backend's option values means feeder, duplex, colour, gray or black-and-white.

Vendors write the same thing many ways: "Color", "24bit Color[Fast]", "Color - 24 Bit";
"Lineart", "Binary", "Black & White", "Monochrome"; "ADF", "ADF Front", "Automatic Document
Feeder(centrally aligned)"; "ADF Duplex", "ADF Duplex (Back First)", "Automatic Document
Feeder(left aligned,Duplex)"; "Flatbed", "FlatBed", "Document Table", "Normal". No list of
exact spellings can keep up, so a value is read for its meaning:

1. ``tokens``: lower case, split at anything but letters and digits, between letters and
   digits ("24bit" -> "24 bit") and at inner capitals ("24bitColor" -> "24 bit color");
   qualifiers in brackets count like any other word ("(centrally aligned,Duplex)").
2. ``features``: phrases (longest first, each word used once) name what a value says:
   colour, gray, lineart, dithered, fast, deep (more than 8 bits a sample), flatbed,
   feeder, duplex, back, back-first, film, card...
3. ``source_score`` / ``mode_score``: whether a value means what is wanted, and how plain
   it is: a "Fast", "16bit", "Halftone", "Rear", "Back First" or "Auto" variant scores
   below the plain one. Among equals the device's first-listed value wins.

Hard rules, whatever the score: a dithered value ("Halftone", "Dithered",
"Gray[Error Diffusion]") is never gray and only second choice for black-and-white; film,
transparency and card sources are never a document source; a duplex value is never the
simplex feeder, and "Back First" duplex is still duplex.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum

from drivers.scanner.protocol import ColorMode, Source


class F(StrEnum):
    """What a word or phrase in an option value says."""

    COLOR = "color"
    GRAY = "gray"
    LINEART = "lineart"
    DITHER = "dither"
    FAST = "fast"
    DEEP = "deep"  # more than 8 bits a sample: twice the bytes for nothing a reader sees
    INFRARED = "infrared"
    CHANNEL = "channel"  # one colour channel only ("Red")
    FLATBED = "flatbed"
    FEEDER = "feeder"
    SIMPLEX = "simplex"
    DUPLEX = "duplex"
    BACK = "back"  # the back side only
    BACK_FIRST = "back-first"  # duplex, pages in back-then-front order
    AUTO = "auto"  # "Auto": the device picks feeder or glass
    FILM = "film"
    CARD = "card"


_PHRASES: dict[F, tuple[str, ...]] = {
    F.COLOR: ("color", "colour", "rgb", "truecolor", "true color", "farbe"),
    F.GRAY: ("gray", "grey", "grayscale", "greyscale", "gray scale", "grey scale", "grayify",
             "graustufen", "true gray"),
    F.LINEART: ("lineart", "line art", "binary", "black white", "bw", "b w", "monochrome",
                "mono", "bilevel", "bi level", "1 bit", "schwarzweiss"),
    F.DITHER: ("halftone", "half tone", "dither", "dithered", "dithering", "diffusion",
               "error diffusion", "bayer", "net screen"),
    F.FAST: ("fast", "draft", "quick", "speed"),
    F.INFRARED: ("infrared", "ir"),
    F.CHANNEL: ("red", "green", "blue"),
    F.FLATBED: ("flatbed", "flat bed", "platen", "document table", "glass", "fb", "normal",
                "reflective"),
    F.FEEDER: ("adf", "feeder", "sheet feed", "sheetfed", "sheet fed", "auto feed"),
    F.SIMPLEX: ("simplex", "single sided", "one sided", "1 sided"),
    F.DUPLEX: ("duplex", "both sides", "front back", "double sided", "two sided", "2 sided",
               "dual side"),
    F.BACK_FIRST: ("back first", "rear first", "reverse order"),
    F.BACK: ("back", "rear", "reverse", "back side"),
    F.AUTO: ("auto", "automatic"),
    F.FILM: ("transparency", "tma", "tpu", "tpa", "xpa", "film", "negative", "negatives",
             "positive", "slide", "slides"),
    F.CARD: ("card",),
}  # fmt: skip
_STOPWORDS = {"and", "the", "of"}  # "Front and Back", "Black and White"
_BY_LENGTH = sorted(
    ((phrase.split(), feature) for feature, phrases in _PHRASES.items() for phrase in phrases),
    key=lambda item: -len(item[0]),
)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")  # "ADFDuplex"
_DIGITS = re.compile(r"(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])")
_WORD = re.compile(r"[a-z0-9]+")
_PLAIN_BITS = {1, 8, 24}  # bits a sample (or pixel) that are no "deep" variant


def tokens(value: str) -> list[str]:
    """ "24bit Color[Fast]" -> ["24", "bit", "color", "fast"]."""
    spaced = _DIGITS.sub(" ", _CAMEL.sub(" ", value))
    return [w for w in _WORD.findall(spaced.lower()) if w not in _STOPWORDS]


def features(value: str) -> frozenset[F]:
    """What the value says, phrase by phrase, longest first: a word counts once, so the
    "back" of "Back First" is no back-side-only source. Words of no known meaning
    ("left", "aligned", "front") neither add nor harm."""
    words: list[str | None] = list(tokens(value))
    found: set[F] = set()
    for index in range(len(words) - 1):  # "48 bit", "16bits", "1-bit"
        word, unit = words[index], words[index + 1]
        if word is not None and word.isdigit() and unit in ("bit", "bits"):
            bits = int(word)
            if bits == 1:
                found.add(F.LINEART)
            elif bits not in _PLAIN_BITS:
                found.add(F.DEEP)
            words[index] = words[index + 1] = None
    for phrase, feature in _BY_LENGTH:
        size = len(phrase)
        for start in range(len(words) - size + 1):
            if words[start : start + size] == phrase:
                found.add(feature)
                words[start : start + size] = [None] * size
    return frozenset(found)


# -- scores: None is "does not mean that"; higher is plainer --------------------------------

PLAIN = 10
DITHERED = 4  # below any plain value, and below gray at depth 1 (see sane_options)


def source_score(value: str, wanted: Source) -> int | None:
    f = features(value)
    if f & {F.FILM, F.CARD, F.INFRARED}:
        return None
    if wanted is Source.FLATBED:
        return PLAIN if F.FLATBED in f and not f & {F.FEEDER, F.DUPLEX, F.SIMPLEX} else None
    if F.FLATBED in f:
        return None
    if wanted is Source.DUPLEX:
        if F.DUPLEX not in f:
            return None
        return PLAIN - (1 if F.BACK_FIRST in f else 0)
    # the simplex feeder
    if F.DUPLEX in f or not f & {F.FEEDER, F.SIMPLEX, F.AUTO}:
        return None
    score = PLAIN
    if F.BACK in f:
        score -= 5  # "ADF Back", "ADF Rear": the back side only
    if F.AUTO in f and not f & {F.FEEDER, F.SIMPLEX}:
        score -= 4  # "Auto": the feeder when it holds paper, else the glass
    return score


def mode_score(value: str, wanted: ColorMode) -> int | None:
    f = features(value)
    if F.INFRARED in f:
        return None
    penalty = 2 * (F.FAST in f) + 3 * (F.DEEP in f) + 2 * (F.CHANNEL in f)
    if wanted is ColorMode.COLOR:
        if F.COLOR not in f or f & {F.GRAY, F.LINEART, F.DITHER}:
            return None
        return PLAIN - penalty
    if wanted is ColorMode.GRAY:
        if F.GRAY not in f or f & {F.COLOR, F.LINEART, F.DITHER}:
            return None  # never a dithered "Gray[Error Diffusion]": that is bilevel
        return PLAIN - penalty
    if F.COLOR in f:
        return None
    if F.DITHER in f:
        return DITHERED - penalty  # black-and-white, but dots instead of clean text
    if F.LINEART in f and F.GRAY not in f:
        return PLAIN - penalty
    return None


def best_source(choices: Iterable[str], wanted: Source) -> tuple[str, int] | None:
    """The device's value for ``wanted`` and its score, or None."""
    return _best((c, source_score(c, wanted)) for c in choices)


def best_mode(choices: Iterable[str], wanted: ColorMode) -> tuple[str, int] | None:
    return _best((c, mode_score(c, wanted)) for c in choices)


def _best(scored: Iterable[tuple[str, int | None]]) -> tuple[str, int] | None:
    found: tuple[str, int] | None = None
    for choice, score in scored:
        if score is not None and (found is None or score > found[1]):
            found = (choice, score)  # strictly greater: the first-listed of equals stays
    return found


def means(name: str, feature: F) -> bool:
    """Whether an option's name says ``feature`` ("grayify", "gray-mode": gray)."""
    return feature in features(name)
