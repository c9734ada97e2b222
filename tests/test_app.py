"""The composition root: card rules from key files, the card camera from settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from drivers.camera.feed import CameraFeed
from drivers.camera.frames import OpenCvCamera
from kiosk.app import build_camera, card_rules, find_camera
from kiosk.core.records import replace
from kiosk.services.config import CameraSettings, CardSettings
from kiosk.services.spool.keys import KeyFileError


def key_file(tmp_path: Path, name: str, data: bytes, mode: int = 0o600) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    path.chmod(mode)
    return path


def test_card_rules_carry_the_settings_and_the_keys(tmp_path: Path) -> None:
    settings = CardSettings(
        url_parameters=("kdnr",),
        url_hosts=("JC.Example",),
        case_key_file=key_file(tmp_path, "case.key", b"c" * 32),
        staff_key_file=key_file(tmp_path, "staff.key", b"s" * 32),
        letter_codes=True,
    )
    rules = card_rules(settings)
    assert (rules.url_parameters, rules.url_hosts, rules.letter_codes) == (
        ("kdnr",),
        ("jc.example",),
        True,
    )
    assert (rules.case_key, rules.staff_key) == (b"c" * 32, b"s" * 32)
    assert card_rules(CardSettings()).staff_key is None  # no key: staff cards are refused


@pytest.mark.parametrize(
    ("data", "mode", "words"),
    [(b"s" * 32, 0o644, "readable by other users"), (b"short", 0o600, "at least")],
)
def test_an_unsafe_or_short_signing_key_stops_the_start(
    tmp_path: Path, data: bytes, mode: int, words: str
) -> None:
    settings = CardSettings(staff_key_file=key_file(tmp_path, "staff.key", data, mode))
    with pytest.raises(KeyFileError, match=words):
        card_rules(settings)


def test_find_camera_prefers_the_stable_path_and_counts_numbers(tmp_path: Path) -> None:
    assert find_camera(tmp_path) is None
    for name in ("video10", "video2", "video-not-a-camera"):
        (tmp_path / name).touch()
    assert find_camera(tmp_path) == str(tmp_path / "video2")
    by_id = tmp_path / "v4l" / "by-id"
    by_id.mkdir(parents=True)
    (by_id / "usb-Logitech_C920_ABC-video-index1").touch()  # metadata node, not frames
    (by_id / "usb-Logitech_C920_ABC-video-index0").touch()
    assert find_camera(tmp_path) == str(by_id / "usb-Logitech_C920_ABC-video-index0")


def test_build_camera_honours_none_and_an_explicit_device() -> None:
    assert build_camera(CameraSettings(device="none")) is None
    feed = build_camera(CameraSettings(device="/dev/v4l/by-id/x-video-index0", mirror=False))
    assert isinstance(feed, CameraFeed) and feed.mirror is False
    source = feed._source  # noqa: SLF001 - what the feed will open, without opening it
    assert isinstance(source, OpenCvCamera)
    assert source.config.device == "/dev/v4l/by-id/x-video-index0"


def test_the_bearer_token_file_must_be_private_and_hold_a_token(tmp_path: Path) -> None:
    from kiosk.app import channel_settings, embedded_config
    from kiosk.services.config import DeliveryConfig

    def settings_for(path: Path) -> str | None:
        config = embedded_config()
        delivery = DeliveryConfig(token_file=path)
        return channel_settings(replace(config, delivery=delivery)).bearer_token

    good = key_file(tmp_path, "token", b"  s3cr3t-token\n")
    assert settings_for(good) == "s3cr3t-token"
    with pytest.raises(KeyFileError, match="token file .* readable by other users"):
        settings_for(key_file(tmp_path, "shared", b"s3cr3t", 0o644))
    for name, data in (("empty", b"\n"), ("two", b"a b"), ("binary", b"\xff\xfe")):
        with pytest.raises(KeyFileError, match="holds no usable token"):
            settings_for(key_file(tmp_path, name, data))
    with pytest.raises(KeyFileError, match="cannot be read"):
        settings_for(tmp_path / "missing")


def test_every_command_finds_the_configuration_in_one_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kiosk import configuration

    given, env, system = tmp_path / "given.toml", tmp_path / "env.toml", tmp_path / "etc.toml"
    monkeypatch.setattr(configuration, "SYSTEM_CONFIG", system)
    assert configuration.find_config(None)[0] is None  # nothing anywhere: the embedded defaults
    assert "embedded defaults" in configuration.find_config(None)[1]
    system.write_text("")
    assert configuration.find_config(None) == (system, str(system))
    monkeypatch.setenv("KIOSK_CONFIG", str(env))
    assert configuration.find_config(None) == (env, f"{env} ($KIOSK_CONFIG)")
    assert configuration.find_config(given) == (given, f"{given} (--config)")


def test_the_embedded_defaults_honour_sane_config_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kiosk.configuration import EMBEDDED_SANE_CONFIG, embedded_config

    assert embedded_config().scanner.sane_config_dir == EMBEDDED_SANE_CONFIG
    monkeypatch.setenv("SANE_CONFIG_DIR", str(tmp_path))
    assert embedded_config().scanner.sane_config_dir == tmp_path
