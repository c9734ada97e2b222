"""The kiosk's TOML configuration: every problem named with key and line, no silent defaults."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, get_type_hints

import pytest
from cryptography.hazmat.primitives import serialization
from msgspec import Meta

from drivers.scanner.protocol import ColorMode, Source
from kiosk.cli import main
from kiosk.services.config import ConfigFile, KioskConfig, load_config
from kiosk.services.spool.keys import (
    KeyFileError,
    private_file_problem,
    read_private,
    read_token,
    token_file_problem,
)
from kiosk.services.tomlfile import InvalidFile
from tests.tlsutil import make_pki

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
    shutil.copy(make_pki(tmp_path / "pki").ca_cert, tmp_path / "ca.pem")
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
    (tmp_path / "staff.key").chmod(0o600)
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


# -- what the kiosk refuses at start, `kiosk config check` refuses too (issue 9) ----------

K = '[kiosk]\nid = "k"\n'
PRIVATE, SHARED = 0o600, 0o644
DIRECTORY = None  # as file content: make a directory
# file name -> (content, mode); content "pki:NAME" copies a file of the test PKI
Files = dict[str, tuple[bytes | str | None, int]]

AT_START: list[tuple[str, str, Files, str, int, str]] = [
    # (id, text, files, key, line, words)
    (
        "token-shared",
        K + '[delivery]\ntoken_file = "token"\n',
        {"token": (b"s3cret-token\n", SHARED)},
        "delivery.token_file",
        4,
        "readable by other users",
    ),
    (
        "token-empty",
        K + '[delivery]\ntoken_file = "token"\n',
        {"token": (b"\n", PRIVATE)},
        "delivery.token_file",
        4,
        "no usable token",
    ),
    (
        "token-two-words",
        K + '[delivery]\ntoken_file = "token"\n',
        {"token": (b"s3cret token\n", PRIVATE)},
        "delivery.token_file",
        4,
        "no usable token",
    ),
    (
        "case-key-shared",
        K + '[cards]\ncase_key_file = "case.key"\n',
        {"case.key": (b"c" * 32, 0o640)},
        "cards.case_key_file",
        4,
        "readable by other users",
    ),
    (
        "staff-key-shared",
        K + '[cards]\nstaff_key_file = "staff.key"\n',
        {"staff.key": (b"s" * 32, 0o604)},
        "cards.staff_key_file",
        4,
        "readable by other users",
    ),
    (
        "staff-key-1-byte",
        K + '[cards]\nstaff_key_file = "staff.key"\n',
        {"staff.key": (b"s", PRIVATE)},
        "cards.staff_key_file",
        4,
        "at least 16",
    ),
    (
        "staff-key-directory",
        K + '[cards]\nstaff_key_file = "staff.key"\n',
        {"staff.key": (DIRECTORY, 0o700)},
        "cards.staff_key_file",
        4,
        "not a regular file",
    ),
    (
        "client-key-shared",
        K + '[delivery]\nclient_cert = "client.pem"\nclient_key = "client.key"\n',
        {"client.pem": ("pki:client_cert", SHARED), "client.key": ("pki:client_key", SHARED)},
        "delivery.client_key",
        5,
        "readable by other users",
    ),
    (
        "client-key-of-another-cert",
        K + '[delivery]\nclient_cert = "client.pem"\nclient_key = "client.key"\n',
        {"client.pem": ("pki:client_cert", SHARED), "client.key": ("pki:server_key", PRIVATE)},
        "delivery.client_cert",
        4,
        "does not belong",
    ),
    (
        "client-key-with-passphrase",
        K + '[delivery]\nclient_cert = "client.pem"\nclient_key = "client.key"\n',
        {"client.pem": ("pki:client_cert", SHARED), "client.key": ("pki:locked_key", PRIVATE)},
        "delivery.client_cert",
        4,
        "passphrase",
    ),
    (
        "client-cert-not-a-cert",
        K + '[delivery]\nclient_cert = "client.pem"\nclient_key = "client.key"\n',
        {"client.pem": (b"hello\n", SHARED), "client.key": ("pki:client_key", PRIVATE)},
        "delivery.client_cert",
        4,
        "not a PEM certificate",
    ),
    (
        "ca-bundle-no-certificate",
        K + '[delivery]\nca_bundle = "ca.pem"\n',
        {"ca.pem": (b"-----BEGIN CERTIFICATE-----\n", SHARED)},
        "delivery.ca_bundle",
        4,
        "holds no certificate",
    ),
    (
        "ca-bundle-a-key",
        K + '[delivery]\nca_bundle = "ca.pem"\n',
        {"ca.pem": ("pki:client_key", SHARED)},
        "delivery.ca_bundle",
        4,
        "holds no certificate",
    ),
    (
        "ca-bundle-directory",
        K + '[delivery]\nca_bundle = "ca.pem"\n',
        {"ca.pem": (DIRECTORY, 0o755)},
        "delivery.ca_bundle",
        4,
        "not a regular file",
    ),
    (
        "ca-bundle-name-too-long",
        K + f'[delivery]\nca_bundle = "{"x" * 300}.pem"\n',
        {},
        "delivery.ca_bundle",
        4,
        "cannot be read",
    ),
    (
        "smtp-sender-crlf",
        K + '[delivery]\nsmtp_sender = "kiosk@a.b\\r\\nBcc: x@y.z"\n',
        {},
        "delivery.smtp_sender",
        4,
        "plain e-mail address",
    ),
    (
        "smtp-sender-display-name",
        K + '[delivery]\nsmtp_sender = "Kiosk <kiosk@a.b>"\n',
        {},
        "delivery.smtp_sender",
        4,
        "plain e-mail address",
    ),
    (
        "key-dir-world-writable",
        K + '[security]\nkey_dir = "keys"\n',
        {"keys": (DIRECTORY, 0o777)},
        "security.key_dir",
        4,
        "writable by other users",
    ),
    (
        "key-dir-group-writable",
        K + '[security]\nkey_dir = "keys"\n',
        {"keys": (DIRECTORY, 0o770)},
        "security.key_dir",
        4,
        "writable by other users",
    ),
    (
        "key-dir-a-file",
        K + '[security]\nkey_dir = "keys"\n',
        {"keys": (b"", PRIVATE)},
        "security.key_dir",
        4,
        "not a directory",
    ),
    (
        "key-dir-nul",
        K + '[security]\nkey_dir = "keys\\u0000x"\n',
        {},
        "security.key_dir",
        4,
        "NUL",
    ),
    (
        "sync-url-no-host",
        K + '[routing]\nsync_url = "https:///routing.toml"\n',
        {},
        "routing.sync_url",
        4,
        "needs a host",
    ),
    (
        "sync-url-bad-port",
        K + '[routing]\nsync_url = "https://fv.local:99999/routing.toml"\n',
        {},
        "routing.sync_url",
        4,
        "port",
    ),
    (
        "sync-url-credentials",
        K + '[routing]\nsync_url = "https://kiosk:s3cret@fv.local/routing.toml"\n',
        {},
        "routing.sync_url",
        4,
        "credentials",
    ),
    (
        "sync-url-broken-ipv6",
        K + '[routing]\nsync_url = "https://[::1/routing.toml"\n',
        {},
        "routing.sync_url",
        4,
        "IPv6",
    ),
    (
        "token-lookup-http",
        K + '[routing]\ntoken_lookup = "http://fv.local/lookup"\n',
        {},
        "routing.token_lookup",
        4,
        "https://",
    ),
    (
        "page-timeout-below-stall-timeout",
        K + "[scanner]\nstall_timeout = 60\npage_timeout = 30\n",
        {},
        "scanner.page_timeout",
        5,
        "at least stall_timeout",
    ),
    (
        "retry-cap-below-retry-base",
        K + "[delivery]\nretry_base = 60\nretry_cap = 30\n",
        {},
        "delivery.retry_cap",
        5,
        "at least retry_base",
    ),
]


@pytest.fixture(scope="module")
def pki_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("pki")
    pki = make_pki(directory)
    key = serialization.load_pem_private_key(pki.client_key.read_bytes(), password=None)
    locked = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"passphrase"),
    )
    (directory / "locked.key").write_bytes(locked)
    return directory


PKI_FILES = {
    "client_cert": "client.pem",
    "client_key": "client.key",
    "server_key": "server.key",
    "ca_cert": "ca.pem",
    "locked_key": "locked.key",
}


def make_files(directory: Path, files: Files, pki: Path) -> None:
    for name, (content, mode) in files.items():
        path = directory / name
        if content is DIRECTORY:
            path.mkdir()
        elif isinstance(content, str):
            shutil.copy(pki / PKI_FILES[content.removeprefix("pki:")], path)
        else:
            path.write_bytes(content)
        os.chmod(path, mode)  # mode bits, not a failed open: tests run as root here


@pytest.mark.parametrize(
    ("text", "files", "key", "line", "words"),
    [c[1:] for c in AT_START],
    ids=[c[0] for c in AT_START],
)
def test_what_the_start_refuses_is_a_problem_with_key_and_line(
    tmp_path: Path, pki_dir: Path, text: str, files: Files, key: str, line: int, words: str
) -> None:
    make_files(tmp_path, files, pki_dir)
    with pytest.raises(InvalidFile) as caught:
        load_config(write(tmp_path, text))
    problem = next(p for p in caught.value.problems if p.key == key)
    assert (problem.line, words) == (line, words) and words in problem.message, problem
    assert "s3cret" not in str(caught.value)


@pytest.mark.parametrize(
    ("text", "files", "key", "line", "words"),
    [c[1:] for c in AT_START],
    ids=[c[0] for c in AT_START],
)
def test_config_check_exits_4_naming_key_and_line(
    tmp_path: Path,
    pki_dir: Path,
    capsys: pytest.CaptureFixture[str],
    text: str,
    files: Files,
    key: str,
    line: int,
    words: str,
) -> None:
    make_files(tmp_path, files, pki_dir)
    assert main(["config", "check", str(write(tmp_path, text))]) == 4
    err = capsys.readouterr().err
    assert f"line {line}: {key}: " in err and words in err
    assert "Traceback" not in err and "s3cret" not in err


def test_a_config_with_every_file_in_order_passes(
    tmp_path: Path, pki_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_files(
        tmp_path,
        {
            "token": (b"s3cret-token\n", PRIVATE),
            "case.key": (b"c" * 32, PRIVATE),
            "staff.key": (b"s" * 16, PRIVATE),
            "client.pem": ("pki:client_cert", SHARED),
            "client.key": ("pki:client_key", PRIVATE),
            "ca.pem": ("pki:ca_cert", SHARED),
            "keys": (DIRECTORY, 0o755),  # readable is fine: the start makes it 0700
        },
        pki_dir,
    )
    text = (
        K + '[delivery]\ntoken_file = "token"\nclient_cert = "client.pem"\n'
        'client_key = "client.key"\nca_bundle = "ca.pem"\nsmtp_sender = "kiosk@jc.example"\n'
        "retry_base = 30\nretry_cap = 30\n"
        '[cards]\ncase_key_file = "case.key"\nstaff_key_file = "staff.key"\n'
        '[security]\nkey_dir = "keys"\n'
        "[scanner]\nstall_timeout = 30\npage_timeout = 30\n"
        '[routing]\nsync_url = "https://[::1]:8443/routing.toml"\n'
        'token_lookup = "https://fv.local/lookup"\n'
    )
    config = load_config(write(tmp_path, text))
    assert config.delivery.client_key == (tmp_path / "client.key").resolve()
    assert config.key_dir == (tmp_path / "keys").resolve()
    assert main(["config", "check", str(tmp_path / "kiosk.toml")]) == 0
    missing_key_dir = load_config(write(tmp_path, K + '[security]\nkey_dir = "new"\n'))
    assert missing_key_dir.key_dir == (tmp_path / "new").resolve()  # created at start


def test_defaults_are_the_dataclass_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, K))
    assert config == KioskConfig(kiosk_id="k", source=config.source)


@pytest.mark.parametrize(
    ("content", "mode"),
    [
        (b"s" * 32, PRIVATE),
        (b"s" * 32, 0o640),
        (b"s" * 32, 0o400),
        (b"s", PRIVATE),
        (b"", PRIVATE),
        (b"  tok-en\n", PRIVATE),
        (b"two words", PRIVATE),
        (b"\xff\xfe", PRIVATE),
        (DIRECTORY, 0o700),
        ("absent", PRIVATE),
    ],
)
def test_config_check_and_start_use_one_rule_for_secret_files(
    tmp_path: Path, content: bytes | str | None, mode: int
) -> None:
    path = tmp_path / "secret"
    if content is DIRECTORY:
        path.mkdir()
    if isinstance(content, bytes):
        path.write_bytes(content)
    if content != "absent":
        os.chmod(path, mode)
    for problem, start in (
        (private_file_problem(path, "key file", 16), lambda: read_private(path, min_size=16)),
        (token_file_problem(path), lambda: read_token(path)),
    ):
        try:
            start()
        except KeyFileError as err:
            assert problem == str(err)
        else:
            assert problem is None


# -- the routing table a configuration names is checked with it --------------------------


def table_config(tmp_path: Path, table: str, delivery: str = "") -> Path:
    (tmp_path / "routing.toml").write_text(table)
    return write(tmp_path, K + '[routing]\ntable = "routing.toml"\n' + delivery)


WEBDAV_TABLE = 'triage = "file:///t/"\n[teams]\na = "webdav://dms.local/dav/a/"\n'


def test_the_routing_table_is_checked_against_the_configs_inbox_policy(tmp_path: Path) -> None:
    with pytest.raises(InvalidFile) as caught:
        load_config(table_config(tmp_path, WEBDAV_TABLE))
    assert caught.value.path == tmp_path / "routing.toml"
    assert [(p.key, p.line) for p in caught.value.problems] == [("teams.a", 3)]
    allowed = table_config(tmp_path, WEBDAV_TABLE, "[delivery]\nallow_plaintext_webdav = true\n")
    config = load_config(allowed)
    assert config.inbox_policy.allow_plaintext_webdav
    assert main(["config", "check", str(allowed)]) == 0
    assert not load_config(write(tmp_path, K)).inbox_policy.allow_plaintext_webdav


def test_problems_of_both_files_are_reported_each_with_its_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = table_config(tmp_path, 'triage = "https://[::1/x"\n')
    path.write_text(path.read_text().replace('id = "k"', 'id = "K!"'))
    with pytest.raises(InvalidFile) as caught:
        load_config(path)
    assert [bad.path for bad in caught.value.each()] == [path, tmp_path / "routing.toml"]
    assert caught.value.also[0].problems[0].key == "triage"
    assert main(["config", "check", str(path)]) == 4
    err = capsys.readouterr().err
    assert f"configuration problem in {path}:\n  line 2: kiosk.id:" in err
    assert f"configuration problem in {tmp_path / 'routing.toml'}:\n  line 1: triage:" in err
    assert "Traceback" not in err


def test_routing_sync_can_load_a_config_whose_table_is_broken(tmp_path: Path) -> None:
    path = table_config(tmp_path, "triage = 5\n")
    with pytest.raises(InvalidFile):
        load_config(path)
    assert load_config(path, routing=False).routing_table == (tmp_path / "routing.toml").resolve()


# -- each range is stated once, on the Struct: the check and its message both come from it --


def bounded_keys() -> list[tuple[str, str, Any, Any]]:
    found = []
    for section, table in get_type_hints(ConfigFile).items():
        for key, kind in get_type_hints(table, include_extras=True).items():
            for meta in getattr(kind, "__metadata__", ()):
                if isinstance(meta, Meta) and meta.ge is not None and meta.le is not None:
                    found.append((section, key, meta.ge, meta.le))
    return found


BOUNDED = bounded_keys()


def test_the_ranges_are_found() -> None:
    assert ("scanner", "resolution", 75, 1200) in BOUNDED
    assert ("receipt", "deadline", 5, 60) in BOUNDED and len(BOUNDED) == 12
    assert ("receipt", "keep_index_days", 1, 366) in BOUNDED


@pytest.mark.parametrize(("section", "key", "low", "high"), BOUNDED, ids=lambda v: str(v))
def test_a_range_on_the_struct_is_what_the_file_is_checked_against(
    tmp_path: Path, section: str, key: str, low: Any, high: Any
) -> None:
    def named(value: Any) -> list[str]:
        text = f"{K}[{section}]\n{key} = {value!r}\n"  # line 4
        try:
            load_config(write(tmp_path, text))
        except InvalidFile as err:
            return [f"{p.line}: {p.message}" for p in err.problems if p.key == f"{section}.{key}"]
        return []

    outside = (low - 1, high + 1) if isinstance(low, int) else (low / 2, high * 2)
    for value in outside:
        assert named(value) == [f"4: must be between {low:g} and {high:g}"]
    for value in (low, high):
        assert not any("between" in problem for problem in named(value))


def test_a_path_written_as_empty_is_not_set(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, K + '[security]\nkey_dir = ""\n[scanner]\ndevice = ""\n'))
    assert (config.key_dir, config.scanner.device) == (None, "")


def test_the_keys_that_hold_a_path_are_read_from_the_annotations_as_typing_reads_them() -> None:
    """_path_keys reads the annotations as written (quick, before the first paint): the same
    keys as the evaluated type hints (which also hold inherited keys: a section that
    inherited a path key, unseen by _path_keys, would fail here)."""
    from kiosk.services.config import _path_keys

    evaluated = {
        section: {key for key, t in get_type_hints(kind).items() if t == Path | None}
        for section, kind in get_type_hints(ConfigFile).items()
    }
    assert _path_keys() == evaluated
    assert "assets_dir" in evaluated["kiosk"] and "client_key" in evaluated["delivery"]
