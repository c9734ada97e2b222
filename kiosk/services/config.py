"""The kiosk's one TOML configuration file, validated at start.

A broken file is an error naming key and line: the kiosk never quietly falls back to a
default for anything it was told (least of all a key file or an inbox).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar, cast

from drivers.scanner.protocol import ColorMode, Source
from kiosk.core.card_signing import MIN_KEY_BYTES
from kiosk.core.session import LANGUAGES
from kiosk.services.channels.address import InboxPolicy, https_url_problem, is_plain_address
from kiosk.services.routing.table import load_routing
from kiosk.services.spool.keys import (
    ca_bundle_problem,
    client_cert_problem,
    key_dir_problem,
    private_file_problem,
    readable_file_problem,
    token_file_problem,
)
from kiosk.services.tomlfile import InvalidFile, KeyPath, TomlFile

T = TypeVar("T")
E = TypeVar("E", bound=Enum)

_SCHEMA: dict[str, dict[str, type | tuple[type, ...]]] = {
    "kiosk": {"id": str, "language": str, "state_dir": str},
    "scanner": {
        "device": str,
        "source": str,
        "mode": str,
        "resolution": int,
        "sane_config_dir": str,
        "stall_timeout": (int, float),
        "page_timeout": (int, float),
    },
    "routing": {"table": str, "sync_url": str, "token_lookup": str},
    "security": {"key_dir": str},
    "camera": {
        "device": (str, int),
        "width": int,
        "height": int,
        "fps": (int, float),
        "mirror": bool,
    },
    "cards": {
        "url_parameters": list,
        "url_hosts": list,
        "case_key_file": str,
        "staff_key_file": str,
        "letter_codes": bool,
    },
    "delivery": {
        "ca_bundle": str,
        "client_cert": str,
        "client_key": str,
        "token_file": str,
        "https_request": str,
        "allow_plaintext_webdav": bool,
        "allow_plaintext_smtp": bool,
        "smtp_sender": str,
        "attempt_deadline": (int, float),
        "retry_base": (int, float),
        "retry_cap": (int, float),
    },
}
_KIOSK_ID_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-_")


@dataclass(frozen=True, slots=True)
class ScannerConfig:
    device: str = "auto"  # a SANE device name, or "auto": the first device found
    source: Source = Source.ADF
    mode: ColorMode = ColorMode.COLOR
    resolution: int = 300
    sane_config_dir: Path | None = None  # None: the system's /etc/sane.d
    stall_timeout: float = 20.0
    page_timeout: float = 180.0


@dataclass(frozen=True, slots=True)
class DeliveryConfig:
    ca_bundle: Path | None = None
    client_cert: Path | None = None
    client_key: Path | None = None
    token_file: Path | None = None  # bearer token for https:// inboxes (file, mode 0600)
    https_request: str = "multipart"
    allow_plaintext_webdav: bool = False
    allow_plaintext_smtp: bool = False
    smtp_sender: str = "scan-kiosk@localhost"
    attempt_deadline: float = 120.0
    retry_base: float = 5.0
    retry_cap: float = 900.0


@dataclass(frozen=True, slots=True)
class CameraSettings:
    """The camera that reads QR customer cards. ``device``: "auto" (the first camera
    found), "none", an index, or a path such as /dev/v4l/by-id/...-video-index0."""

    device: int | str = "auto"
    width: int = 1280
    height: int = 720
    fps: float = 30.0
    mirror: bool = True  # the live preview moves like a mirror: the card goes where the hand goes


@dataclass(frozen=True, slots=True)
class CardSettings:
    """What this kiosk accepts from cards and letters (kiosk.core.cards.CardRules)."""

    url_parameters: tuple[str, ...] = ("bg", "bgnr", "kdnr")
    url_hosts: tuple[str, ...] = ()
    case_key_file: Path | None = None  # HMAC key of signed client cards (mode 0600)
    staff_key_file: Path | None = None  # HMAC key of staff cards (mode 0600)
    letter_codes: bool = False


@dataclass(frozen=True, slots=True)
class KioskConfig:
    kiosk_id: str
    language: str = "de"
    scanner: ScannerConfig = ScannerConfig()
    routing_table: Path | None = None  # None: only an explicit --inbox can deliver
    key_dir: Path | None = None  # None: <state dir>/keys
    state_dir: Path | None = None
    delivery: DeliveryConfig = DeliveryConfig()
    routing_sync_url: str | None = None  # https:// URL the routing table is fetched from
    token_lookup_url: str | None = None  # https:// endpoint resolving opaque card tokens
    camera: CameraSettings = CameraSettings()
    cards: CardSettings = CardSettings()
    source: Path | None = None  # the file it came from

    @property
    def inbox_policy(self) -> InboxPolicy:
        """Which inbox URLs [delivery] allows beyond the safe defaults (webdav://)."""
        return InboxPolicy(self.delivery.allow_plaintext_webdav, self.delivery.allow_plaintext_smtp)


_DEFAULT = KioskConfig(kiosk_id="")  # every default is stated once: in the dataclasses above


def load_config(path: Path, *, routing: bool = True) -> KioskConfig:
    """Read and validate a configuration file; raises InvalidFile naming every problem.

    With ``routing`` the routing table it names is validated too, against this
    configuration's ``inbox_policy``: its problems come as an InvalidFile naming the table
    (in ``InvalidFile.also`` when the configuration has problems of its own). Pass
    ``routing=False`` where a broken table must not stop the work (`kiosk routing sync`,
    which is there to replace it).
    """
    file = TomlFile.read(path)
    config = _parse(file)
    table_error = _table_error(config) if routing else None
    file.raise_if_problems(also=[table_error] if table_error is not None else [])
    if table_error is not None:
        raise table_error
    return config


def _table_error(config: KioskConfig) -> InvalidFile | None:
    if config.routing_table is None or not _is_file(config.routing_table):
        return None  # no table, or one that is missing: a problem of the configuration
    try:
        load_routing(config.routing_table, config.inbox_policy)
    except InvalidFile as err:
        return err
    return None


class _Reader:
    """The file's values checked against _SCHEMA; absent or of the wrong type: the default
    (a wrong type is already a problem, so the default is never silently used)."""

    def __init__(self, file: TomlFile) -> None:
        self.file = file

    def get(self, section: str, key: str, default: T) -> T:
        table = self.file.data.get(section, {})
        value: Any = table.get(key, default) if isinstance(table, dict) else default
        expected = _SCHEMA[section][key]
        wrong_bool = isinstance(value, bool) and expected is not bool
        return cast(T, value) if isinstance(value, expected) and not wrong_bool else default

    def path(self, section: str, key: str) -> Path | None:
        """A path relative to the file's directory; None when not set."""
        value = self.get(section, key, "")
        if not value:
            return None
        if "\x00" in value:
            self.file.problem((section, key), "must not contain a NUL character")
            return None
        try:
            return (self.file.path.parent / value).resolve()
        except (OSError, RuntimeError, ValueError):
            self.file.problem((section, key), "cannot be resolved (a link loop?)")
            return None

    def ranged(self, section: str, key: str, default: T, low: float, high: float) -> T:
        value = self.get(section, key, default)
        if not low <= value <= high:  # type: ignore[operator]
            self.file.problem((section, key), f"must be between {low} and {high}")
        return value

    def enum(self, section: str, key: str, default: E) -> E:
        value = self.get(section, key, default.value)
        try:
            return type(default)(value)
        except ValueError:
            allowed = ", ".join(str(e.value) for e in type(default))
            self.file.problem((section, key), f"must be one of {allowed}")
            return default

    def https_url(self, section: str, key: str) -> str | None:
        value = self.get(section, key, "")
        if value and (why := https_url_problem(value)) is not None:
            self.file.problem((section, key), why)
        return value or None

    def file_problem(self, where: KeyPath, problem: str | None) -> bool:
        if problem is not None:
            self.file.problem(where, problem)
        return problem is None


def _check_schema(file: TomlFile) -> None:
    for section, value in file.data.items():
        if section not in _SCHEMA:
            file.problem((section,), f"unknown section (expected {', '.join(_SCHEMA)})")
        elif not isinstance(value, dict):
            file.problem((section,), "must be a table")
        else:
            for key, item in value.items():
                expected = _SCHEMA[section].get(key)
                if expected is None:
                    file.problem(
                        (section, key), f"unknown key (expected {', '.join(_SCHEMA[section])})"
                    )
                elif not isinstance(item, expected) or (
                    isinstance(item, bool) and expected is not bool
                ):
                    file.problem((section, key), f"must be {_type_name(expected)}")


def _parse(file: TomlFile) -> KioskConfig:
    _check_schema(file)
    read = _Reader(file)
    kiosk_id = read.get("kiosk", "id", "")
    if not kiosk_id:
        file.problem(
            ("kiosk", "id"), 'missing: each kiosk needs an id (e.g. "duesseldorf-mitte-01")'
        )
    elif not set(kiosk_id) <= _KIOSK_ID_CHARS or len(kiosk_id) > 40:
        file.problem(("kiosk", "id"), "use up to 40 lower-case letters, digits, - and _")
    language = read.get("kiosk", "language", _DEFAULT.language)
    if language not in LANGUAGES:
        file.problem(("kiosk", "language"), f"must be one of {', '.join(LANGUAGES)}")
    table = read.path("routing", "table")
    if table is not None and not _is_file(table):
        file.problem(("routing", "table"), f"routing table {table} not found")
    key_dir = read.path("security", "key_dir")
    if key_dir is not None:
        read.file_problem(("security", "key_dir"), key_dir_problem(key_dir))
    return KioskConfig(
        kiosk_id=kiosk_id,
        language=language,
        scanner=_scanner(read),
        routing_table=table,
        key_dir=key_dir,
        state_dir=read.path("kiosk", "state_dir"),
        delivery=_delivery(read),
        routing_sync_url=read.https_url("routing", "sync_url"),
        token_lookup_url=read.https_url("routing", "token_lookup"),
        camera=_camera(read),
        cards=_cards(read),
        source=file.path,
    )


def _scanner(read: _Reader) -> ScannerConfig:
    default = _DEFAULT.scanner
    stall = read.ranged("scanner", "stall_timeout", default.stall_timeout, 1, 600)
    page = read.ranged("scanner", "page_timeout", default.page_timeout, 5, 3600)
    if 1 <= stall <= 600 and 5 <= page <= 3600 and page < stall:
        read.file.problem(
            ("scanner", "page_timeout"),
            f"must be at least stall_timeout ({stall:g} s): a page cannot take less time "
            "than the pause that stops it",
        )
    sane = read.path("scanner", "sane_config_dir")
    if sane is not None and not _is_file(sane / "dll.conf"):
        read.file.problem(("scanner", "sane_config_dir"), f"{sane} has no dll.conf")
    return ScannerConfig(
        device=read.get("scanner", "device", default.device),
        source=read.enum("scanner", "source", default.source),
        mode=read.enum("scanner", "mode", default.mode),
        resolution=read.ranged("scanner", "resolution", default.resolution, 75, 1200),
        sane_config_dir=sane,
        stall_timeout=stall,
        page_timeout=page,
    )


def _camera(read: _Reader) -> CameraSettings:
    default = _DEFAULT.camera
    device = read.get("camera", "device", default.device)
    named = device in ("auto", "none") or str(device).startswith("/")
    if device < 0 if isinstance(device, int) else not named:
        read.file.problem(("camera", "device"), 'must be "auto", "none", an index from 0 or a path')
    return CameraSettings(
        device=device,
        width=read.ranged("camera", "width", default.width, 160, 4096),
        height=read.ranged("camera", "height", default.height, 120, 4096),
        fps=read.ranged("camera", "fps", default.fps, 1, 120),
        mirror=read.get("camera", "mirror", default.mirror),
    )


def _cards(read: _Reader) -> CardSettings:
    default = _DEFAULT.cards
    lists: dict[str, tuple[str, ...]] = {}
    for key, fallback in (
        ("url_parameters", default.url_parameters),
        ("url_hosts", default.url_hosts),
    ):
        value = read.get("cards", key, list(fallback))
        if not all(isinstance(item, str) and item and item.isascii() for item in value):
            read.file.problem(("cards", key), "must be a list of non-empty strings")
            value = list(fallback)
        lists[key] = tuple(value)
    keys: dict[str, Path | None] = {}
    for key in ("case_key_file", "staff_key_file"):
        path = read.path("cards", key)
        if path is not None:
            read.file_problem(("cards", key), private_file_problem(path, "key file", MIN_KEY_BYTES))
        keys[key] = path
    return CardSettings(
        url_parameters=lists["url_parameters"],
        url_hosts=lists["url_hosts"],
        case_key_file=keys["case_key_file"],
        staff_key_file=keys["staff_key_file"],
        letter_codes=read.get("cards", "letter_codes", default.letter_codes),
    )


def _delivery(read: _Reader) -> DeliveryConfig:
    default = _DEFAULT.delivery
    paths = {
        key: read.path("delivery", key)
        for key in ("ca_bundle", "client_cert", "client_key", "token_file")
    }
    _check_tls_files(read, paths)
    if paths["token_file"] is not None:
        read.file_problem(("delivery", "token_file"), token_file_problem(paths["token_file"]))
    shape = read.get("delivery", "https_request", default.https_request)
    if shape not in ("multipart", "put"):
        read.file.problem(("delivery", "https_request"), "must be multipart or put")
    sender = read.get("delivery", "smtp_sender", default.smtp_sender)
    if not is_plain_address(sender):
        read.file.problem(
            ("delivery", "smtp_sender"),
            "must be one plain e-mail address, e.g. scan-kiosk@jobcenter.example "
            "(no name, no line breaks)",
        )
    deadline = read.ranged("delivery", "attempt_deadline", default.attempt_deadline, 5, 3600)
    base = read.ranged("delivery", "retry_base", default.retry_base, 0.01, 3600)
    cap = read.ranged("delivery", "retry_cap", default.retry_cap, 0.1, 86400)
    if 0.01 <= base <= 3600 and 0.1 <= cap <= 86400 and cap < base:
        read.file.problem(("delivery", "retry_cap"), f"must be at least retry_base ({base:g} s)")
    return DeliveryConfig(
        ca_bundle=paths["ca_bundle"],
        client_cert=paths["client_cert"],
        client_key=paths["client_key"],
        token_file=paths["token_file"],
        https_request=shape,
        allow_plaintext_webdav=read.get(
            "delivery", "allow_plaintext_webdav", default.allow_plaintext_webdav
        ),
        allow_plaintext_smtp=read.get(
            "delivery", "allow_plaintext_smtp", default.allow_plaintext_smtp
        ),
        smtp_sender=sender,
        attempt_deadline=deadline,
        retry_base=base,
        retry_cap=cap,
    )


def _check_tls_files(read: _Reader, paths: dict[str, Path | None]) -> None:
    """The checks tls_context makes when the first inbox is contacted, made at start."""
    ca, cert, key = paths["ca_bundle"], paths["client_cert"], paths["client_key"]
    if ca is not None:
        read.file_problem(("delivery", "ca_bundle"), ca_bundle_problem(ca))
    cert_ok = cert is None or read.file_problem(
        ("delivery", "client_cert"), readable_file_problem(cert, "client certificate")
    )
    key_ok = key is None or read.file_problem(
        ("delivery", "client_key"), private_file_problem(key, "client key")
    )
    if (cert is None) != (key is None):
        read.file.problem(("delivery", "client_cert"), "client_cert and client_key go together")
    elif cert is not None and key is not None and cert_ok and key_ok:
        read.file_problem(("delivery", "client_cert"), client_cert_problem(cert, key))


def _is_file(path: Path) -> bool:
    """Path.is_file, but False (not an exception) for a name too long or a denied stat."""
    try:
        return path.is_file()
    except OSError:
        return False


def _type_name(expected: type | tuple[type, ...]) -> str:
    names = {
        str: "a string",
        int: "a whole number",
        float: "a number",
        bool: "true or false",
        list: "a list",
    }
    types = expected if isinstance(expected, tuple) else (expected,)
    return " or ".join(names.get(t, t.__name__) for t in types)
