"""The local settings file staff mode writes (kiosk.services.local_settings): validated like
the main configuration, written atomically and privately, locked keys refused and
ignored, a broken file reported and ignored, and `kiosk config check` says both."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from drivers.scanner.protocol import ColorMode, Source
from kiosk.cli import main
from kiosk.core.records import replace
from kiosk.core.session import Limits, Phase
from kiosk.services import local_settings as ls
from kiosk.services.config import KioskConfig, load_config
from kiosk.services.tomlfile import InvalidFile


def config(**changes: object) -> KioskConfig:
    return replace(KioskConfig(kiosk_id="k-01"), **changes)  # type: ignore[arg-type]


def test_what_the_file_sets_applies_over_the_central_configuration(tmp_path: Path) -> None:
    path = ls.path_in(tmp_path)
    central = config()
    assert ls.state_of(central, path).effective == ls.central(central)  # no file: central
    state = ls.changed(central, path, "scan_mode", ColorMode.BW)
    state = ls.changed(central, path, "duplex", True)
    state = ls.changed(central, path, "idle_timeout", 90)
    assert (state.effective.scan_mode, state.effective.duplex) == (ColorMode.BW, True)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert path.read_text().splitlines()[2:] == [
        'scan_mode = "bw"', "duplex = true", "idle_timeout = 90"]  # fmt: skip
    used = ls.applied(central, state.effective)
    assert (used.scanner.mode, used.scanner.source) == (ColorMode.BW, Source.DUPLEX)
    state = ls.changed(central, path, "duplex", None)  # back to the central setting
    assert "duplex" not in path.read_text() and state.effective.duplex is False
    assert ls.reset(central, path).effective == ls.central(central) and not path.exists()


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("idle_timeout", 59),
        ("idle_timeout", 601),
        ("language", "fr"),
        ("duplex", "yes"),
        ("scan_mode", "sepia"),
    ],  # fmt: skip
)
def test_a_value_the_file_could_not_hold_is_never_written(
    tmp_path: Path, key: str, value: object
) -> None:
    path = ls.path_in(tmp_path)
    with pytest.raises(ValueError):
        ls.changed(config(), path, key, value)
    assert not path.exists()


@pytest.mark.parametrize(
    ("key", "text"), [("idle_timeout", "30"), ("language", "xx"), ("speech", "maybe")]
)
def test_what_the_page_sends_is_parsed_within_bounds(key: str, text: str) -> None:
    with pytest.raises(ValueError):
        ls.parse_value(key, text)
    assert ls.parse_value("idle_timeout", "600") == 600
    assert ls.parse_value("scan_mode", "gray") is ColorMode.GRAY
    assert ls.parse_value("language", "") is None


def test_a_locked_setting_is_refused_and_its_value_in_the_file_ignored(tmp_path: Path) -> None:
    path = ls.path_in(tmp_path)
    path.write_text('scan_mode = "bw"\nlanguage = "ar"\n')
    managed = config(staff_locked=("scan_mode",))
    state = ls.state_of(managed, path)
    assert state.locked == {"scan_mode"}
    assert (state.effective.scan_mode, state.effective.language) == (ColorMode.COLOR, "ar")
    with pytest.raises(ls.SettingLocked):
        ls.changed(managed, path, "scan_mode", ColorMode.GRAY)
    flatbed = config(scanner=replace(KioskConfig("k").scanner, source=Source.FLATBED))
    assert "duplex" in ls.locked_keys(flatbed)  # a flatbed has no back side to turn on


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("idle_timeout = 5\n", "idle_timeout"),
        ("language = [\n", "syntax"),
        ("colour = true\n", "unknown key"),
        ("duplex = 1\n", "duplex"),
    ],  # fmt: skip
)
def test_a_broken_file_is_reported_by_key_and_ignored_as_a_whole(
    tmp_path: Path, text: str, why: str
) -> None:
    path = ls.path_in(tmp_path)
    path.write_text('language = "uk"\n' + text)
    local, problem = ls.load(path)
    assert local == ls.LocalSettings() and problem is not None and why in problem
    state = ls.state_of(config(), path)
    assert state.effective.language == "de" and state.problem == problem


def test_the_idle_timeout_sets_the_client_screens_only() -> None:
    limits = ls.limits_for(Limits(max_pages=7), 240)
    assert limits.max_pages == 7
    assert {limits.timeout(p) for p in ls.CLIENT_PHASES} == {240.0}
    assert limits.timeout(Phase.STAFF) == 300.0 and limits.timeout(Phase.RECEIPT) == 60.0
    assert ls.limits_for(limits, None).per_phase == Limits().per_phase


def test_the_main_configuration_names_what_it_locks(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text('[kiosk]\nid = "k-01"\n[staff]\nlocked = ["scan_mode", "speech"]\n')
    assert load_config(path).staff_locked == ("scan_mode", "speech")
    path.write_text('[kiosk]\nid = "k-01"\n[staff]\nlocked = ["resolution"]\n')
    with pytest.raises(InvalidFile, match="staff.locked"):
        load_config(path)


def test_config_check_reports_the_local_settings_and_a_broken_file_as_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    state = tmp_path / "state"
    state.mkdir()
    monkeypatch.setenv("KIOSK_STATE_DIR", str(state))
    path = tmp_path / "kiosk.toml"
    path.write_text('[kiosk]\nid = "k-01"\n[staff]\nlocked = ["speech"]\n')
    (state / ls.FILE).write_text('scan_mode = "gray"\nspeech = true\n')
    assert main(["config", "check", str(path)]) == 0
    out, err = capsys.readouterr()
    assert "local settings OK (scan_mode = gray, speech = true)" in out
    assert "speech is set here, but [staff] locked manages it: ignored" in err
    (state / ls.FILE).write_text("idle_timeout = 5\n")
    assert main(["config", "check", str(path)]) == 0  # never fatal: the kiosk starts
    out, err = capsys.readouterr()
    assert "warning: local settings ignored" in err and "idle_timeout" in err
    assert os.listdir(state) == [ls.FILE]  # the check made nothing
