"""The kiosk's one TOML configuration file, validated at start.

A broken file is an error naming key and line: the kiosk never quietly falls back to a
default for anything it was told (least of all a key file or an inbox).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drivers.scanner import ColorMode, Source
from kiosk.core.session import LANGUAGES
from kiosk.services.tomlfile import TomlFile

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


def load_config(path: Path) -> KioskConfig:
    """Read and validate a configuration file; raises InvalidFile naming every problem."""
    file = TomlFile.read(path)
    config = _parse(file)
    file.raise_if_problems()
    return config


def _parse(file: TomlFile) -> KioskConfig:
    data = file.data
    for section, value in data.items():
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

    def get(section: str, key: str, default: Any) -> Any:
        value = data.get(section, {})
        value = value.get(key, default) if isinstance(value, dict) else default
        expected = _SCHEMA[section][key]
        wrong_bool = isinstance(value, bool) and expected is not bool
        return value if isinstance(value, expected) and not wrong_bool else default

    base = file.path.parent
    kiosk_id = get("kiosk", "id", "")
    if not kiosk_id:
        file.problem(
            ("kiosk", "id"), 'missing: each kiosk needs an id (e.g. "duesseldorf-mitte-01")'
        )
    elif not set(kiosk_id) <= _KIOSK_ID_CHARS or len(kiosk_id) > 40:
        file.problem(("kiosk", "id"), "use up to 40 lower-case letters, digits, - and _")
    language = get("kiosk", "language", "de")
    if language not in LANGUAGES:
        file.problem(("kiosk", "language"), f"must be one of {', '.join(LANGUAGES)}")
    scanner = ScannerConfig(
        device=get("scanner", "device", "auto"),
        source=_enum(file, Source, ("scanner", "source"), get("scanner", "source", "adf")),
        mode=_enum(file, ColorMode, ("scanner", "mode"), get("scanner", "mode", "color")),
        resolution=_ranged(
            file, ("scanner", "resolution"), get("scanner", "resolution", 300), 75, 1200
        ),
        sane_config_dir=_path(base, get("scanner", "sane_config_dir", "")),
        stall_timeout=_ranged(
            file, ("scanner", "stall_timeout"), get("scanner", "stall_timeout", 20.0), 1, 600
        ),
        page_timeout=_ranged(
            file, ("scanner", "page_timeout"), get("scanner", "page_timeout", 180.0), 5, 3600
        ),
    )
    if scanner.sane_config_dir is not None and not (scanner.sane_config_dir / "dll.conf").is_file():
        file.problem(("scanner", "sane_config_dir"), f"{scanner.sane_config_dir} has no dll.conf")
    table = _path(base, get("routing", "table", ""))
    if table is not None and not table.is_file():
        file.problem(("routing", "table"), f"routing table {table} not found")
    return KioskConfig(
        kiosk_id=kiosk_id,
        language=language,
        scanner=scanner,
        routing_table=table,
        key_dir=_path(base, get("security", "key_dir", "")),
        state_dir=_path(base, get("kiosk", "state_dir", "")),
        delivery=_delivery(file, get, base),
        routing_sync_url=_https_url(file, ("routing", "sync_url"), get("routing", "sync_url", "")),
        token_lookup_url=_https_url(
            file, ("routing", "token_lookup"), get("routing", "token_lookup", "")
        ),
        camera=_camera(file, get),
        cards=_cards(file, get, base),
        source=file.path,
    )


def _camera(file: TomlFile, get: Any) -> CameraSettings:
    device = get("camera", "device", "auto")
    named = device in ("auto", "none") or str(device).startswith("/")
    if device < 0 if isinstance(device, int) else not named:
        file.problem(("camera", "device"), 'must be "auto", "none", an index from 0 or a path')
    return CameraSettings(
        device=device,
        width=_ranged(file, ("camera", "width"), get("camera", "width", 1280), 160, 4096),
        height=_ranged(file, ("camera", "height"), get("camera", "height", 720), 120, 4096),
        fps=_ranged(file, ("camera", "fps"), get("camera", "fps", 30.0), 1, 120),
        mirror=get("camera", "mirror", True),
    )


def _cards(file: TomlFile, get: Any, base: Path) -> CardSettings:
    lists: dict[str, tuple[str, ...]] = {}
    for key, default in (("url_parameters", CardSettings().url_parameters), ("url_hosts", ())):
        value = get("cards", key, list(default))
        if not all(isinstance(item, str) and item and item.isascii() for item in value):
            file.problem(("cards", key), "must be a list of non-empty strings")
            value = list(default)
        lists[key] = tuple(value)
    keys: dict[str, Path | None] = {}
    for key in ("case_key_file", "staff_key_file"):
        path = _path(base, get("cards", key, ""))
        if path is not None and not path.is_file():
            file.problem(("cards", key), f"{path} not found")
        keys[key] = path
    return CardSettings(
        url_parameters=lists["url_parameters"],
        url_hosts=lists["url_hosts"],
        case_key_file=keys["case_key_file"],
        staff_key_file=keys["staff_key_file"],
        letter_codes=get("cards", "letter_codes", False),
    )


def _delivery(file: TomlFile, get: Any, base: Path) -> DeliveryConfig:
    paths: dict[str, Path | None] = {}
    for key in ("ca_bundle", "client_cert", "client_key", "token_file"):
        path = _path(base, get("delivery", key, ""))
        if path is not None and not path.is_file():
            file.problem(("delivery", key), f"{path} not found")
        paths[key] = path
    if (paths["client_cert"] is None) != (paths["client_key"] is None):
        file.problem(("delivery", "client_cert"), "client_cert and client_key go together")
    shape = get("delivery", "https_request", "multipart")
    if shape not in ("multipart", "put"):
        file.problem(("delivery", "https_request"), "must be multipart or put")
    timing = {
        key: _ranged(file, ("delivery", key), get("delivery", key, default), low, high)
        for key, default, low, high in (
            ("attempt_deadline", 120.0, 5, 3600),
            ("retry_base", 5.0, 0.01, 3600),
            ("retry_cap", 900.0, 0.1, 86400),
        )
    }
    return DeliveryConfig(
        ca_bundle=paths["ca_bundle"],
        client_cert=paths["client_cert"],
        client_key=paths["client_key"],
        token_file=paths["token_file"],
        https_request=shape,
        allow_plaintext_webdav=get("delivery", "allow_plaintext_webdav", False),
        allow_plaintext_smtp=get("delivery", "allow_plaintext_smtp", False),
        smtp_sender=get("delivery", "smtp_sender", "scan-kiosk@localhost"),
        **timing,
    )


def _https_url(file: TomlFile, where: tuple[str, str], value: str) -> str | None:
    if value and not value.startswith("https://"):
        file.problem(where, "must be an https:// URL")
    return value or None


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


def _enum(file: TomlFile, enum: Any, where: tuple[str, str], value: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        file.problem(where, f"must be one of {', '.join(e.value for e in enum)}")
        return next(iter(enum))


def _ranged(file: TomlFile, where: tuple[str, str], value: float, low: float, high: float) -> Any:
    if not low <= value <= high:
        file.problem(where, f"must be between {low} and {high}")
    return value


def _path(base: Path, value: str) -> Path | None:
    return (base / value).resolve() if value else None
