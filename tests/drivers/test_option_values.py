"""Option values read by meaning (drivers/scanner/option_values.py).

The spellings are vendors' own (from the dumps in data/sane_devices/ and the backends'
value lists) plus the odd ones issue 15 names ("Color - 24 Bit", "ADF Duplex (Back First)").
"""

from __future__ import annotations

import pytest

from drivers.scanner import option_values as ov
from drivers.scanner.protocol import ColorMode, Source

C, G, BW = ColorMode.COLOR, ColorMode.GRAY, ColorMode.BW
FB, ADF, DUP = Source.FLATBED, Source.ADF, Source.DUPLEX


@pytest.mark.parametrize(
    "value,words",
    [
        ("24bit Color[Fast]", ["24", "bit", "color", "fast"]),
        ("24bitColor", ["24", "bit", "color"]),
        ("FlatBed", ["flat", "bed"]),
        ("ADFDuplex", ["adf", "duplex"]),
        ("Black & White", ["black", "white"]),
        ("Automatic Document Feeder(centrally aligned,Duplex)",
         ["automatic", "document", "feeder", "centrally", "aligned", "duplex"]),
    ],
)  # fmt: skip
def test_tokens(value: str, words: list[str]) -> None:
    assert ov.tokens(value) == words


@pytest.mark.parametrize(
    "value,meaning",
    [
        ("Color", C), ("Colour", C), ("RGB", C), ("24bit Color", C), ("24bitColor", C),
        ("Color - 24 Bit", C), ("24bit Color[Fast]", C), ("Color (48 bits)", C),
        ("16bit Color", C), ("True Gray", G), ("Gray", G), ("Grey", G), ("Grayscale", G),
        ("8-bit Grayscale", G), ("16bit Gray", G), ("Lineart", BW), ("Line Art", BW),
        ("Binary", BW), ("Black & White", BW), ("Black and White", BW), ("B&W", BW),
        ("Monochrome", BW), ("1-bit Black & White", BW), ("Halftone", BW), ("Dithered", BW),
        ("Gray[Error Diffusion]", BW),
    ],
)  # fmt: skip
def test_mode_values_by_meaning(value: str, meaning: ColorMode) -> None:
    assert [m for m in ColorMode if ov.mode_score(value, m) is not None] == [meaning]


@pytest.mark.parametrize(
    "value", ["Halftone", "Dithered", "Gray[Error Diffusion]", "Dither A (4x4 Bayer)"]
)
def test_a_dithered_value_is_never_gray(value: str) -> None:
    assert ov.mode_score(value, G) is None
    score = ov.mode_score(value, BW)
    assert score is not None and score < ov.PLAIN


@pytest.mark.parametrize("value", ["Color (IR)", "Infrared", "Transparency", "Foo", "", "None"])
def test_values_of_no_mode(value: str) -> None:
    assert all(ov.mode_score(value, m) is None for m in ColorMode)


@pytest.mark.parametrize(
    "value,meaning",
    [
        ("Flatbed", FB), ("FlatBed", FB), ("Document Table", FB), ("Normal", FB),
        ("Platen", FB), ("ADF", ADF), ("ADF Front", ADF), ("Automatic Document Feeder", ADF),
        ("Automatic Document Feeder(left aligned)", ADF), ("ADF Rear", ADF), ("ADF Back", ADF),
        ("Simplex", ADF), ("Auto", ADF), ("ADF Duplex", DUP), ("Duplex", DUP),
        ("ADF Duplex (Back First)", DUP),
        ("Automatic Document Feeder(centrally aligned,Duplex)", DUP),
        ("ADF Front and Back", DUP), ("ADF Both Sides", DUP),
    ],
)  # fmt: skip
def test_source_values_by_meaning(value: str, meaning: Source) -> None:
    assert [s for s in Source if ov.source_score(value, s) is not None] == [meaning]


@pytest.mark.parametrize(
    "value",
    ["Transparency", "Transparency Unit", "Negative", "TMA Slides", "TMA Negatives",
     "Card Front", "Card Duplex", "Positive Film"],
)  # fmt: skip
def test_film_and_card_are_no_document_source(value: str) -> None:
    assert all(ov.source_score(value, s) is None for s in Source)


@pytest.mark.parametrize(
    "choices,wanted,chosen",
    [
        # the plain variant wins over "Fast", "16bit", "Halftone", whatever the order
        (["24bit Color[Fast]", "24bit Color"], C, "24bit Color"),
        (["16bit Color", "Color"], C, "Color"),
        (["Color (48 bits)", "Color"], C, "Color"),
        (["16bit Gray", "Gray"], G, "Gray"),
        (["Gray[Error Diffusion]", "True Gray"], G, "True Gray"),
        (["Halftone", "Lineart"], BW, "Lineart"),
        (["Dithered", "Lineart"], BW, "Lineart"),
        (["Gray[Error Diffusion]", "Black & White"], BW, "Black & White"),
        (["Halftone"], BW, "Halftone"),  # only second choice, but black-and-white
        (["ADF Rear", "ADF Front"], ADF, "ADF Front"),
        (["ADF Back", "ADF Front", "ADF Duplex"], ADF, "ADF Front"),
        (["Auto", "ADF"], ADF, "ADF"),
        (["ADF Duplex (Back First)", "ADF Duplex"], DUP, "ADF Duplex"),
        (["ADF Duplex (Back First)"], DUP, "ADF Duplex (Back First)"),
        (["Card Front", "ADF Front", "Card Duplex", "ADF Duplex"], DUP, "ADF Duplex"),
        (["Flatbed", "ADF Duplex"], ADF, None),  # duplex is no simplex feeder
        (["Flatbed", "Transparency Unit"], ADF, None),
        # among equals the device's first-listed value
        (["Automatic Document Feeder(left aligned)",
          "Automatic Document Feeder(centrally aligned)"],
         ADF, "Automatic Document Feeder(left aligned)"),
    ],
)  # fmt: skip
def test_the_plainest_value_wins(
    choices: list[str], wanted: Source | ColorMode, chosen: str | None
) -> None:
    found = (
        ov.best_source(choices, wanted)
        if isinstance(wanted, Source)
        else ov.best_mode(choices, wanted)
    )
    assert (found[0] if found else None) == chosen


@pytest.mark.parametrize(
    "name,gray", [("gray", True), ("grayify", True), ("gray-mode", True), ("grey", True),
                  ("preview", False), ("three-pass", False), ("status-jammed", False)]
)  # fmt: skip
def test_option_names_by_meaning(name: str, gray: bool) -> None:
    assert ov.means(name, ov.F.GRAY) is gray
