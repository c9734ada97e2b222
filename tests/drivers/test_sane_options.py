"""Option matching against option tables of real scanners, without the hardware.

The tables are transcribed from `scanimage -A` of each backend (names, value lists and
ranges as the backend reports them).
"""

from __future__ import annotations

import pytest

from drivers.scanner import sane_options as so
from drivers.scanner.protocol import ColorMode, Source, Unsupported
from drivers.scanner.sane_status import fault_from_message
from kiosk.core.faults import Fault

O = so.OptionInfo  # noqa: E741 (a table reads better with short names)
S, I, F, B = so.TYPE_STRING, so.TYPE_INT, so.TYPE_FIXED, so.TYPE_BOOL  # noqa: E741

SCANNERS: dict[str, list[so.OptionInfo]] = {
    # SANE test backend (sane-backends 1.2)
    "test": [
        O("mode", S, ["Gray", "Color"]),
        O("depth", I, [1, 8, 16]),
        O("resolution", F, (1.0, 1200.0, 1.0)),
        O("source", S, ["Flatbed", "Automatic Document Feeder"]),
        O("tl-x", F, (0.0, 200.0, 1.0)),
        O("br-x", F, (0.0, 200.0, 1.0)),
        O("tl-y", F, (0.0, 200.0, 1.0)),
        O("br-y", F, (0.0, 200.0, 1.0)),
    ],
    # fujitsu backend, fi-7160
    "fujitsu": [
        O("source", S, ["ADF Front", "ADF Back", "ADF Duplex"]),
        O("mode", S, ["Lineart", "Halftone", "Gray", "Color"]),
        O("resolution", I, (50, 600, 1)),
        O("tl-x", F, (0.0, 215.87, 0.0211)),
        O("br-x", F, (0.0, 215.87, 0.0211)),
        O("tl-y", F, (0.0, 355.6, 0.0211)),
        O("br-y", F, (0.0, 355.6, 0.0211)),
    ],
    # epson2 backend: duplex is source=ADF plus adf-mode=Duplex
    "epson2": [
        O("mode", S, ["Binary", "Gray", "Color"]),
        O("depth", I, [8, 16]),
        O("resolution", I, [75, 150, 300, 600, 1200]),
        O("source", S, ["Flatbed", "Automatic Document Feeder"]),
        O("adf-mode", S, ["Simplex", "Duplex"]),
    ],
    # brother4 (proprietary) backend: qualifiers in brackets and parentheses
    "brother": [
        O("mode", S, ["Black & White", "Gray[Error Diffusion]", "True Gray", "24bit Color[Fast]"]),
        O("resolution", I, [100, 150, 200, 300, 400, 600]),
        O(
            "source",
            S,
            [
                "FlatBed",
                "Automatic Document Feeder(left aligned)",
                "Automatic Document Feeder(centrally aligned)",
            ],
        ),
    ],
    # hpaio backend with a separate duplex switch
    "hpaio": [
        O("mode", S, ["Lineart", "Gray", "Color"]),
        O("resolution", I, (75, 600, 0)),
        O("source", S, ["Flatbed", "ADF"]),
        O("duplex", B, None),
    ],
    # a plain flatbed with no source option at all (e.g. genesys, Canon LiDE)
    "flatbed-only": [
        O("mode", S, ["Lineart", "Gray", "Color"]),
        O("resolution", I, [75, 150, 300, 600]),
    ],
}

SOURCES = [
    ("test", Source.ADF, [("source", "Automatic Document Feeder")]),
    ("test", Source.FLATBED, [("source", "Flatbed")]),
    ("fujitsu", Source.ADF, [("source", "ADF Front")]),
    ("fujitsu", Source.DUPLEX, [("source", "ADF Duplex")]),
    ("epson2", Source.DUPLEX, [("source", "Automatic Document Feeder"), ("adf-mode", "Duplex")]),
    ("brother", Source.ADF, [("source", "Automatic Document Feeder(left aligned)")]),
    ("brother", Source.FLATBED, [("source", "FlatBed")]),
    ("hpaio", Source.DUPLEX, [("source", "ADF"), ("duplex", True)]),
    ("flatbed-only", Source.FLATBED, []),
]


@pytest.mark.parametrize("scanner,source,expected", SOURCES, ids=lambda v: str(v))
def test_source_uses_the_backends_own_value(scanner: str, source: Source, expected: list) -> None:
    assert so.source_settings(SCANNERS[scanner], source) == expected


@pytest.mark.parametrize(
    "scanner,source",
    [
        ("test", Source.DUPLEX),
        ("fujitsu", Source.FLATBED),
        ("flatbed-only", Source.ADF),
        ("brother", Source.DUPLEX),
    ],
)
def test_a_source_the_device_lacks_is_unsupported(scanner: str, source: Source) -> None:
    with pytest.raises(Unsupported):
        so.source_settings(SCANNERS[scanner], source)


MODES = [
    ("test", ColorMode.COLOR, [("mode", "Color"), ("depth", 8)]),
    ("test", ColorMode.BW, [("mode", "Gray"), ("depth", 1)]),  # lineart is gray at depth 1
    ("fujitsu", ColorMode.BW, [("mode", "Lineart")]),
    ("epson2", ColorMode.BW, [("mode", "Binary")]),
    ("epson2", ColorMode.GRAY, [("mode", "Gray"), ("depth", 8)]),
    ("brother", ColorMode.GRAY, [("mode", "True Gray")]),  # not the dithered "Gray[...]"
    ("brother", ColorMode.COLOR, [("mode", "24bit Color[Fast]")]),
    ("brother", ColorMode.BW, [("mode", "Black & White")]),
]


@pytest.mark.parametrize("scanner,mode,expected", MODES, ids=lambda v: str(v))
def test_mode_uses_the_backends_own_value(scanner: str, mode: ColorMode, expected: list) -> None:
    assert so.mode_settings(SCANNERS[scanner], mode) == expected


@pytest.mark.parametrize(
    "scanner,wanted,expected",
    [
        ("test", 300, 300.0),
        ("test", 5000, 1200.0),
        ("fujitsu", 300, 300),
        ("fujitsu", 10, 50),
        ("epson2", 200, 150),
        ("epson2", 250, 300),
        ("epson2", 225, 300),  # tie goes up
        ("brother", 250, 300),
        ("hpaio", 333, 333),
    ],
)
def test_resolution_snaps_to_what_the_device_offers(
    scanner: str, wanted: int, expected: float
) -> None:
    ((name, value),) = so.resolution_settings(SCANNERS[scanner], wanted)
    assert name == "resolution" and value == expected and type(value) is type(expected)


def test_geometry_is_clamped_to_the_device() -> None:
    settings = dict(so.geometry_settings(SCANNERS["test"], 210.0, 297.0))
    assert settings == {"tl-x": 0.0, "tl-y": 0.0, "br-x": 200.0, "br-y": 200.0}
    fujitsu = dict(so.geometry_settings(SCANNERS["fujitsu"], 210.0, 297.0))
    assert abs(fujitsu["br-x"] - 210.0) < 0.03 and abs(fujitsu["br-y"] - 297.0) < 0.03


def test_inactive_options_are_not_used() -> None:
    options = [O("source", S, ["Flatbed", "ADF"], active=False), O("mode", S, ["Color"])]
    with pytest.raises(Unsupported):
        so.source_settings(options, Source.ADF)


@pytest.mark.parametrize(
    "message,fault",
    [
        ("Document feeder jammed", Fault.JAMMED),
        ("Scanner cover is open", Fault.COVER_OPEN),
        ("Document feeder out of documents", Fault.NO_PAPER),
        ("Device busy", Fault.BUSY),
        ("Error during device I/O", Fault.IO_ERROR),
        ("Operation was canceled", Fault.CANCELLED),
        ("Operation was cancelled", Fault.CANCELLED),
        ("Operation not supported", Fault.UNSUPPORTED),
        ("Invalid argument", Fault.FAILED),
        ("Something new from a future SANE", Fault.FAILED),
    ],
)
def test_sane_messages_map_to_typed_faults(message: str, fault: Fault) -> None:
    assert fault_from_message(message) is fault


def test_a_duplex_switch_inactive_until_the_feeder_is_chosen_is_still_used() -> None:
    # epson2: adf-mode becomes active once source is the feeder, which is set first.
    options = [
        O("source", S, ["Flatbed", "Automatic Document Feeder"]),
        O("adf-mode", S, ["Simplex", "Duplex"], active=False),
    ]
    assert so.source_settings(options, Source.DUPLEX) == [
        ("source", "Automatic Document Feeder"),
        ("adf-mode", "Duplex"),
    ]


def test_black_and_white_prefers_gray_at_depth_1_over_a_dithered_value() -> None:
    options = [O("mode", S, ["Halftone", "Gray", "Color"]), O("depth", I, [1, 8])]
    assert so.mode_settings(options, ColorMode.BW) == [("mode", "Gray"), ("depth", 1)]
    plain = [O("mode", S, ["Halftone", "Lineart", "Gray"]), O("depth", I, [1, 8])]
    assert so.mode_settings(plain, ColorMode.BW) == [("mode", "Lineart")]


def test_an_absent_option_is_not_set_but_an_absent_value_is_refused() -> None:
    no_mode = [O("resolution", I, [75, 150, 300])]
    choice = so.choose_mode(no_mode, ColorMode.GRAY)
    assert choice.settings == [] and choice.mode is None
    assert choice.not_set is not None and choice.not_set.setting.value == "mode"
    with pytest.raises(Unsupported):  # the strict form, as capabilities count it
        so.mode_settings(no_mode, ColorMode.GRAY)
    with pytest.raises(Unsupported):  # a mode option without colour: the device lacks it
        so.choose_mode([O("mode", S, ["Gray", "Lineart"])], ColorMode.COLOR)
    no_resolution = so.choose_resolution([O("mode", S, ["Color"])], 300)
    assert no_resolution.settings == [] and no_resolution.dpi == 300
    assert no_resolution.not_set is not None


def test_preview_is_switched_off_and_a_sheet_feeder_gets_the_paper_size() -> None:
    options = [
        O("preview", B, None),
        O("page-width", F, (0.0, 221.121, 0.0211639)),
        O("page-height", F, (0.0, 876.695, 0.0211639)),
        O("br-x", F, (0.0, 215.872, 0.0211639)),
    ]
    assert so.preview_settings(options) == [("preview", False)]
    area = {name: float(value) for name, value in so.geometry_settings(options, 210.0, 297.0)}
    assert abs(area["page-width"] - 210.0) < 0.03 and abs(area["page-height"] - 297.0) < 0.03
    assert list(area)[:2] == ["page-width", "page-height"]  # before the corners they bound
