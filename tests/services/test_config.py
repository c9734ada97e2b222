"""The kiosk's TOML configuration: every problem named with key and line, no silent defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from drivers.scanner import ColorMode, Source
from kiosk.services.config import load_config
from kiosk.services.tomlfile import InvalidFile

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def test_the_example_config_is_valid() -> None:
    config = load_config(DEPLOY / "kiosk.example.toml")
    assert config.kiosk_id == "duesseldorf-mitte-01"
    assert (config.scanner.source, config.scanner.mode, config.scanner.resolution) == (
        Source.ADF,
        ColorMode.COLOR,
        300,
    )
    assert config.routing_table == (DEPLOY / "routing.example.toml").resolve()


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(text)
    return path


def test_relative_paths_are_relative_to_the_file(tmp_path: Path) -> None:
    (tmp_path / "sane").mkdir()
    (tmp_path / "sane" / "dll.conf").write_text("test\n")
    config = load_config(
        write(tmp_path, '[kiosk]\nid = "k1"\n[scanner]\nsane_config_dir = "sane"\n')
    )
    assert config.scanner.sane_config_dir == (tmp_path / "sane").resolve()


BROKEN = [
    ('[kiosk]\nlanguage = "de"\n', "kiosk.id", 1, "missing"),  # the table it belongs in
    ('[kiosk]\nid = "Kiosk 1!"\n', "kiosk.id", 2, "lower-case"),
    ('[kiosk]\nid = "k"\nlanguage = "fr"\n', "kiosk.language", 3, "one of"),
    (
        '[kiosk]\nid = "k"\n\n[scanner]\nresolution = "300"\n',
        "scanner.resolution",
        5,
        "whole number",
    ),
    ('[kiosk]\nid = "k"\n[scanner]\nresolution = 5000\n', "scanner.resolution", 4, "between"),
    ('[kiosk]\nid = "k"\n[scanner]\nsource = "adf-duplex"\n', "scanner.source", 4, "adf"),
    ('[kiosk]\nid = "k"\n[scanner]\nsorce = "adf"\n', "scanner.sorce", 4, "unknown key"),
    ('[kiosk]\nid = "k"\n[scaner]\n', "scaner", 3, "unknown section"),
    ('[kiosk]\nid = "k"\n[routing]\ntable = "nosuch.toml"\n', "routing.table", 4, "not found"),
    (
        '[kiosk]\nid = "k"\n[scanner]\nsane_config_dir = "."\n',
        "scanner.sane_config_dir",
        4,
        "dll.conf",
    ),
    ('[kiosk]\nid = "k"\n[scanner]\nstall_timeout = true\n', "scanner.stall_timeout", 4, "number"),
    ('[kiosk\nid = "k"\n', "(syntax)", 1, ""),
    ('[kiosk]\nid = "k"\n[camera]\ndevice = "video0"\n', "camera.device", 4, "a path"),
    ('[kiosk]\nid = "k"\n[camera]\ndevice = -1\n', "camera.device", 4, "index from 0"),
    ('[kiosk]\nid = "k"\n[camera]\nfps = 0\n', "camera.fps", 4, "between"),
    ('[kiosk]\nid = "k"\n[camera]\nmirror = "yes"\n', "camera.mirror", 4, "true or false"),
    ('[kiosk]\nid = "k"\n[cards]\nurl_hosts = "a.example"\n', "cards.url_hosts", 4, "a list"),
    (
        '[kiosk]\nid = "k"\n[cards]\nurl_parameters = ["bg", 3]\n',
        "cards.url_parameters",
        4,
        "strings",
    ),
    (
        '[kiosk]\nid = "k"\n[cards]\nstaff_key_file = "x.key"\n',
        "cards.staff_key_file",
        4,
        "not found",
    ),
]


@pytest.mark.parametrize("text,key,line,words", BROKEN, ids=[f"{b[1]}-{b[3]}" for b in BROKEN])
def test_problems_name_key_and_line(
    tmp_path: Path, text: str, key: str, line: int | None, words: str
) -> None:
    with pytest.raises(InvalidFile) as caught:
        load_config(write(tmp_path, text))
    problem = next(p for p in caught.value.problems if p.key == key)
    assert (problem.line, words in problem.message) == (line, True)


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = '[kiosk]\nid = "k"\nlanguage = "xx"\n[scanner]\nmode = "sepia"\nresolution = 1\n'
    with pytest.raises(InvalidFile) as caught:
        load_config(write(tmp_path, text))
    assert [(p.key, p.line) for p in caught.value.problems] == [
        ("kiosk.language", 3),
        ("scanner.mode", 5),
        ("scanner.resolution", 6),
    ]


def test_missing_and_binary_files_are_problems_not_tracebacks(tmp_path: Path) -> None:
    with pytest.raises(InvalidFile, match="not found"):
        load_config(tmp_path / "absent.toml")
    binary = tmp_path / "bin.toml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(InvalidFile, match="cannot be read"):
        load_config(binary)


def test_delivery_settings_are_read_and_checked(tmp_path: Path) -> None:
    (tmp_path / "ca.pem").write_text("-----BEGIN CERTIFICATE-----\n")
    text = (
        '[kiosk]\nid = "k"\n[delivery]\nca_bundle = "ca.pem"\nhttps_request = "put"\n'
        "allow_plaintext_smtp = true\nretry_base = 0.5\n"
    )
    delivery = load_config(write(tmp_path, text)).delivery
    assert delivery.ca_bundle == (tmp_path / "ca.pem").resolve()
    assert (delivery.https_request, delivery.allow_plaintext_smtp, delivery.retry_base) == (
        "put",
        True,
        0.5,
    )
    broken = (
        '[kiosk]\nid = "k"\n[delivery]\nclient_cert = "ca.pem"\n'
        'https_request = "form"\nallow_plaintext_webdav = "yes"\n'
    )
    with pytest.raises(InvalidFile) as caught:
        load_config(write(tmp_path, broken))
    assert {(p.key, p.line) for p in caught.value.problems} == {
        ("delivery.client_cert", 4),
        ("delivery.https_request", 5),
        ("delivery.allow_plaintext_webdav", 6),
    }


def test_camera_and_card_settings_are_read(tmp_path: Path) -> None:
    (tmp_path / "staff.key").write_bytes(b"k" * 32)
    text = (
        '[kiosk]\nid = "k"\n[camera]\ndevice = 2\nwidth = 1920\nheight = 1080\nmirror = false\n'
        '[cards]\nurl_parameters = ["kdnr"]\nurl_hosts = ["JC.example"]\n'
        'staff_key_file = "staff.key"\nletter_codes = true\n'
    )
    config = load_config(write(tmp_path, text))
    camera, cards = config.camera, config.cards
    assert (camera.device, camera.width, camera.height, camera.mirror) == (2, 1920, 1080, False)
    assert (cards.url_parameters, cards.url_hosts, cards.letter_codes) == (
        ("kdnr",),
        ("JC.example",),
        True,
    )
    assert (cards.staff_key_file, cards.case_key_file) == ((tmp_path / "staff.key").resolve(), None)
    defaults = load_config(write(tmp_path, '[kiosk]\nid = "k"\n'))
    assert (defaults.camera.device, defaults.cards.letter_codes) == ("auto", False)
