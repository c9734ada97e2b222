"""Option choice against `scanimage -A` dumps of real devices (tests/drivers/data/sane_devices/).

Each dump says in its header what the kiosk must set for every source and mode, written
by reading the dump, not by running the code:

    # expect adf: source=ADF Front            the settings, in order
    # expect flatbed: nothing to set           offered, but there is no option to set
    # expect duplex: refused                   the device's option lacks it: Unsupported
    # expect bw: not set; gray=yes             no option for it: these settings, and a NotSet

Every source x mode x resolution a device offers is then planned as the worker does it,
and must come out with exactly those settings and the very resolution offered.
"""

from __future__ import annotations

import pytest

from drivers.scanner import sane_options as so
from drivers.scanner.protocol import ColorMode, Setting, Source, Unsupported
from tests.drivers.sane_dumps import Dump, all_dumps, parse

DUMPS = all_dumps()
KEYS: dict[str, Source | ColorMode] = {
    "flatbed": Source.FLATBED,
    "adf": Source.ADF,
    "duplex": Source.DUPLEX,
    "color": ColorMode.COLOR,
    "gray": ColorMode.GRAY,
    "bw": ColorMode.BW,
}
REFUSED = "refused"


def _value(text: str) -> so.Value:
    if text in ("yes", "no"):
        return text == "yes"
    return int(text) if text.isdigit() else text


def _settings(text: str) -> so.Settings:
    pairs = [part.strip().partition("=") for part in text.split(";") if part.strip()]
    return [(name, _value(value)) for name, _, value in pairs]


def expectations(dump: Dump) -> dict[Source | ColorMode, tuple[so.Settings, bool] | str]:
    """key -> (settings, not set?) or REFUSED."""
    found: dict[Source | ColorMode, tuple[so.Settings, bool] | str] = {}
    for raw in dump.header.get("expect", []):
        name, _, rest = raw.partition(": ")
        rest = rest.strip()
        if rest == REFUSED:
            found[KEYS[name]] = REFUSED
        elif rest == "nothing to set":
            found[KEYS[name]] = ([], False)
        elif rest.startswith("not set"):
            found[KEYS[name]] = (_settings(rest.removeprefix("not set")), True)
        else:
            found[KEYS[name]] = (_settings(rest), False)
    return found


def _choose(dump: Dump, key: Source | ColorMode) -> so.Choice:
    if isinstance(key, Source):
        return so.choose_source(dump.options, key)
    return so.choose_mode(dump.options, key)


def test_at_least_ten_real_devices_each_with_origin_and_every_expectation() -> None:
    assert len(DUMPS) >= 10
    for dump in DUMPS:
        assert dump.header.get("origin") and dump.header.get("device"), dump.path.name
        assert dump.device and dump.options, dump.path.name
        assert set(expectations(dump)) == set(KEYS.values()), dump.path.name


CASES = [(d, key) for d in DUMPS for key in KEYS.values()]


@pytest.mark.parametrize("dump,key", CASES, ids=[f"{d.path.stem}-{k}" for d, k in CASES])
def test_each_source_and_mode_is_set_as_expected_or_refused(
    dump: Dump, key: Source | ColorMode
) -> None:
    expected = expectations(dump)[key]
    if isinstance(expected, str):  # REFUSED
        with pytest.raises(Unsupported):
            _choose(dump, key)
        return
    settings, missing = expected
    choice = _choose(dump, key)
    assert choice.settings == settings
    assert (choice.not_set is not None) == missing
    if missing:
        assert choice.not_set is not None
        assert choice.not_set.setting is (
            Setting.SOURCE if isinstance(key, Source) else Setting.MODE
        )


def _offered_resolutions(dump: Dump) -> list[int]:
    opt = next(o for o in dump.options if o.name == "resolution")
    if isinstance(opt.constraint, tuple):
        low, high, _ = opt.constraint
        return sorted({int(low), int(high), int(min(max(300, low), high))})
    return [int(n) for n in opt.numbers]


@pytest.mark.parametrize("dump", DUMPS, ids=[d.path.stem for d in DUMPS])
def test_every_offered_source_mode_and_resolution_is_matched(dump: Dump) -> None:
    wanted = expectations(dump)
    sources = [s for s in Source if wanted[s] != REFUSED]
    modes = [m for m in ColorMode if wanted[m] != REFUSED]
    assert sources and modes
    planned = 0
    for source in sources:
        for mode in modes:
            for dpi in _offered_resolutions(dump):
                # as the worker does it: source, mode (and preview), resolution, area
                chosen = [
                    so.choose_source(dump.options, source),
                    so.choose_mode(dump.options, mode),
                ]
                assert [c.settings for c in chosen] == [wanted[source][0], wanted[mode][0]]
                resolution = so.choose_resolution(dump.options, dpi)
                assert resolution.not_set is None and resolution.dpi == dpi
                assert [value for _, value in resolution.settings] == [dpi]
                so.choose_area(dump.options, 210.0, 297.0)
                assert so.preview_settings(dump.options) in ([], [("preview", False)])
                planned += 1
    assert planned == len(sources) * len(modes) * len(_offered_resolutions(dump))


@pytest.mark.parametrize("dump", DUMPS, ids=[d.path.stem for d in DUMPS])
def test_what_is_offered_is_exactly_what_is_not_refused(dump: Dump) -> None:
    """The capabilities the worker reports (no NotSet, no Unsupported) against the header."""
    wanted = expectations(dump)
    for key in KEYS.values():
        try:
            exact = _choose(dump, key).not_set is None
        except Unsupported:
            exact = False
        expected = wanted[key]
        assert exact == (expected != REFUSED and not expected[1]), key


def test_a_device_without_any_option_for_it_still_scans() -> None:
    """SANE's pnm backend: no mode, source or area; it is not refused for any request."""
    pnm = next(d for d in DUMPS if d.device == "pnm:0")
    for source in Source:
        choice = so.choose_source(pnm.options, source)
        assert choice.source is Source.FLATBED  # one sheet: it would replay the file for ever
    area = so.choose_area(pnm.options, 210.0, 297.0)
    assert area.not_set is not None and area.not_set.setting is Setting.AREA
    bw = so.choose_mode(pnm.options, ColorMode.BW)
    assert bw.mode is ColorMode.GRAY and "gray" in str(bw.not_set)


def test_the_parser_reads_scanimage_lines() -> None:
    dump = parse(
        "All options specific to device `x:0':\n"
        "    --mode Black & White|Gray[Error Diffusion]|24bit Color[Fast] [24bit Color[Fast]]\n"
        "    --resolution auto||75|150dpi [75]\n"
        "    --source Document Table [Document Table] [read-only]\n"
        "    --duplex[=(yes|no)] [inactive]\n"
        "    -x 0..215.9mm (in steps of 0.0211639) [215.9]\n"
        "    --button 0[=(yes|no)] [no] [hardware]\n"
        "    --eject []\n"
        "        --not-an-option 1..2\n"
    )
    by_name = {o.name: o for o in dump.options}
    assert dump.device == "x:0"
    assert by_name["mode"].choices == [
        "Black & White",
        "Gray[Error Diffusion]",
        "24bit Color[Fast]",
    ]
    assert by_name["resolution"].constraint == [75, 150]
    assert not by_name["source"].settable and by_name["source"].choices == ["Document Table"]
    assert by_name["duplex"].type == so.TYPE_BOOL and not by_name["duplex"].active
    assert by_name["br-x"].constraint == (0.0, 215.9, 0.0211639)
    assert by_name["br-x"].type == so.TYPE_FIXED
    assert not by_name["button 0"].settable
    assert "eject" not in by_name and "not-an-option" not in by_name
