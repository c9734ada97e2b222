"""The kiosk's one TOML configuration file, validated at start.

A broken file is an error naming key and line: the kiosk never quietly falls back to a
default for anything it was told (least of all a key file or an inbox).

Each [section] is a frozen record below (a msgspec Struct: kiosk.core.records) that states
every key's type, default and range (msgspec ``Meta``) once; msgspec reads the file into them
(kiosk.services.tomlstruct), and the sections the rest of the kiosk reads (ScannerConfig,
DeliveryConfig, CameraSettings, CardSettings, ReceiptSettings) are those records. What a
type cannot say (files that must exist and be private, URLs, one value against another) is
checked after them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from msgspec import Meta, Struct

from drivers.scanner.modes import ColorMode, Source
from kiosk.core.records import replace
from kiosk.core.session import LANGUAGES
from kiosk.services.assets import Assets
from kiosk.services.tomlfile import InvalidFile, KeyPath, TomlFile
from kiosk.services.tomlstruct import convert, problem

# What checks a file's values (URLs, key files, the routing table) is imported by the
# checks: `kiosk run` on the embedded defaults reads no file before its first paint.
if TYPE_CHECKING:
    from kiosk.services.channels.address import InboxPolicy

_KioskId = Annotated[
    str,
    Meta(pattern=r"\A[a-z0-9_-]{1,40}\Z"),
    problem("use up to 40 lower-case letters, digits, - and _"),
]
_Language = Annotated[
    str,
    Meta(pattern=rf"\A(?:{'|'.join(LANGUAGES)})\Z"),
    problem(f"must be one of {', '.join(LANGUAGES)}"),
]
_CardText = Annotated[  # an item of [cards] url_parameters and url_hosts
    str, Meta(pattern=r"\A[\x00-\x7f]+\Z"), problem("must be a list of non-empty strings")
]
_Queue = Annotated[  # a CUPS queue as `lpstat -p` names it; "" is none
    str,
    Meta(pattern=r"\A(?:[A-Za-z0-9_][A-Za-z0-9_.+-]{0,126})?\Z"),
    problem("must be a CUPS queue name (letters, digits, _ . + -), as `lpstat -p` lists it"),
]
_SiteName = Annotated[  # "Jobcenter Musterstadt": one line on the start screen
    str,
    Meta(pattern=r"\A[^\x00-\x1f\x7f]{0,60}\Z"),
    problem("must be one line of at most 60 characters"),
]
_LpOption = Annotated[  # an item of [receipt] options: what `lp -o` takes
    str,
    Meta(pattern=r"\A[A-Za-z][A-Za-z0-9_.-]*=[\x21-\x7e]+\Z"),
    problem('must be a list of NAME=VALUE options for `lp -o`, e.g. "media=X80MMY200MM"'),
]


class ScannerConfig(Struct, frozen=True, forbid_unknown_fields=True):
    device: str = "auto"  # a SANE device name, or "auto": the first device found
    source: Source = Source.ADF
    mode: ColorMode = ColorMode.COLOR
    resolution: Annotated[int, Meta(ge=75, le=1200)] = 300
    sane_config_dir: Path | None = None  # None: the system's /etc/sane.d
    stall_timeout: Annotated[float, Meta(ge=1, le=600)] = 20.0
    page_timeout: Annotated[float, Meta(ge=5, le=3600)] = 180.0  # at least stall_timeout
    # Pages in one submission: the scan stops there (before the next sheet is drawn in).
    max_pages: Annotated[int, Meta(ge=1, le=1000)] = 100
    # A page the page pipeline flags as empty: taken out by itself (the client can bring
    # it back) instead of asking the client on the review screen.
    drop_blank: bool = False


class DeliveryConfig(Struct, frozen=True, forbid_unknown_fields=True):
    ca_bundle: Path | None = None
    client_cert: Path | None = None  # with client_key
    client_key: Path | None = None
    token_file: Path | None = None  # bearer token for https:// inboxes (file, mode 0600)
    https_request: Literal["multipart", "put"] = "multipart"
    allow_plaintext_webdav: bool = False
    allow_plaintext_smtp: bool = False
    smtp_sender: str = "scan-kiosk@localhost"
    attempt_deadline: Annotated[float, Meta(ge=5, le=3600)] = 120.0
    retry_base: Annotated[float, Meta(ge=0.01, le=3600)] = 5.0
    retry_cap: Annotated[float, Meta(ge=0.1, le=86400)] = 900.0  # at least retry_base


class CameraSettings(Struct, frozen=True, forbid_unknown_fields=True):
    """The camera that reads QR customer cards. ``device``: "auto" (the first camera
    found), "none", an index, or a path such as /dev/v4l/by-id/...-video-index0."""

    device: str | int = "auto"
    width: Annotated[int, Meta(ge=160, le=4096)] = 1280
    height: Annotated[int, Meta(ge=120, le=4096)] = 720
    fps: Annotated[float, Meta(ge=1, le=120)] = 30.0
    mirror: bool = True  # the live preview moves like a mirror: the card goes where the hand goes


class CardSettings(Struct, frozen=True, forbid_unknown_fields=True):
    """What this kiosk accepts from cards and letters (kiosk.core.cards.CardRules)."""

    url_parameters: tuple[_CardText, ...] = ("bg", "bgnr", "kdnr")
    url_hosts: tuple[_CardText, ...] = ()
    case_key_file: Path | None = None  # HMAC key of signed client cards (mode 0600)
    staff_key_file: Path | None = None  # HMAC key of staff cards (mode 0600)
    letter_codes: bool = False


class ReceiptSettings(Struct, frozen=True, forbid_unknown_fields=True):
    """The receipt on paper. ``printer``: a CUPS queue; None (or ""): the receipt is only
    shown on the screen. ``deadline``: seconds for the whole print job (state, submit, wait)
    before the screen says it could not be printed and the job is cancelled."""

    printer: _Queue | None = None
    paper: Literal["80mm", "a4"] = "80mm"  # thermal roll (72 mm printed) or an A4 sheet
    deadline: Annotated[float, Meta(ge=5, le=60)] = 30.0  # within the receipt's 60 s
    options: tuple[_LpOption, ...] = ()  # passed as `lp -o NAME=VALUE` (the driver's sizes)
    # Days the receipt index ("did it arrive?", no case numbers) keeps a receipt.
    keep_index_days: Annotated[int, Meta(ge=1, le=366)] = 90


class _KioskSection(Struct, frozen=True, forbid_unknown_fields=True):
    id: _KioskId | None = None  # required: _parse says so in its own words
    language: _Language = "de"  # the start screen's
    state_dir: Path | None = None
    name: _SiteName | None = None  # the job centre's name, shown beside its logo
    assets_dir: Path | None = None  # the site's own logo, pictograms, theme, sounds


class _RoutingSection(Struct, frozen=True, forbid_unknown_fields=True):
    table: Path | None = None  # None: only an explicit --inbox can deliver
    sync_url: str | None = None  # https:// URL the routing table is fetched from
    token_lookup: str | None = None  # https:// endpoint resolving opaque card tokens


class _SecuritySection(Struct, frozen=True, forbid_unknown_fields=True):
    key_dir: Path | None = None  # None: <state dir>/keys


# The settings staff may change on the kiosk (kiosk.services.local_settings).
_LocalSetting = Literal["language", "scan_mode", "duplex", "speech", "idle_timeout"]


class _StaffSection(Struct, frozen=True, forbid_unknown_fields=True):
    locked: tuple[_LocalSetting, ...] = ()  # shown as "managed by IT" in staff mode
    sync_url: str | None = None  # https:// URL of the office's revoked staff cards


class ConfigFile(Struct, frozen=True, forbid_unknown_fields=True):
    """The file: its sections, in the order deploy/kiosk.example.toml has them. A key
    (or section) the records do not have is a problem, not ignored."""

    kiosk: _KioskSection = _KioskSection()
    scanner: ScannerConfig = ScannerConfig()
    routing: _RoutingSection = _RoutingSection()
    security: _SecuritySection = _SecuritySection()
    camera: CameraSettings = CameraSettings()
    cards: CardSettings = CardSettings()
    delivery: DeliveryConfig = DeliveryConfig()
    receipt: ReceiptSettings = ReceiptSettings()
    staff: _StaffSection = _StaffSection()


_DEFAULT = ConfigFile()  # what an empty file says: every default is stated above, once


class KioskConfig(Struct, frozen=True, forbid_unknown_fields=True):
    kiosk_id: str
    language: str = _DEFAULT.kiosk.language
    scanner: ScannerConfig = _DEFAULT.scanner
    routing_table: Path | None = _DEFAULT.routing.table
    key_dir: Path | None = _DEFAULT.security.key_dir
    state_dir: Path | None = _DEFAULT.kiosk.state_dir
    delivery: DeliveryConfig = _DEFAULT.delivery
    routing_sync_url: str | None = _DEFAULT.routing.sync_url
    token_lookup_url: str | None = _DEFAULT.routing.token_lookup
    camera: CameraSettings = _DEFAULT.camera
    cards: CardSettings = _DEFAULT.cards
    receipt: ReceiptSettings = _DEFAULT.receipt
    site_name: str | None = _DEFAULT.kiosk.name
    assets_dir: Path | None = _DEFAULT.kiosk.assets_dir
    staff_locked: tuple[str, ...] = _DEFAULT.staff.locked  # local settings staff may not change
    staff_sync_url: str | None = _DEFAULT.staff.sync_url  # the office's revoked staff cards
    source: Path | None = None  # the file it came from

    @property
    def inbox_policy(self) -> InboxPolicy:
        """Which inbox URLs [delivery] allows beyond the safe defaults (webdav://)."""
        from kiosk.services.channels.address import InboxPolicy

        return InboxPolicy(self.delivery.allow_plaintext_webdav, self.delivery.allow_plaintext_smtp)


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
    others = [table_error] if table_error is not None else []
    if config.assets_dir is not None and _is_dir(config.assets_dir):
        from kiosk.services.assets.site import site_problems  # only for a site's own files

        others += site_problems(Assets(site=config.assets_dir))
    file.raise_if_problems(also=others)
    if others:
        raise InvalidFile(others[0].path, others[0].problems, others[1:])
    return config


def _table_error(config: KioskConfig) -> InvalidFile | None:
    from kiosk.services.routing.table import load_routing

    if config.routing_table is None or not _is_file(config.routing_table):
        return None  # no table, or one that is missing: a problem of the configuration
    try:
        load_routing(config.routing_table, config.inbox_policy)
    except InvalidFile as err:
        return err
    return None


@functools.cache
def _path_keys() -> dict[str, set[str]]:
    """Section -> its keys that hold a path. Read from the annotations as written (every
    module here has ``from __future__ import annotations``): typing.get_type_hints would
    evaluate all of them, 1 ms of a configured kiosk's start before its first paint
    (tests/services/test_config.py checks both ways agree)."""
    return {
        section: {key for key, t in globals()[kind].__annotations__.items() if t == "Path | None"}
        for section, kind in ConfigFile.__annotations__.items()
    }


def _without_empty_paths(data: dict[str, Any]) -> dict[str, Any]:
    """A path written as "" is not set: None (the Path keys' default)."""
    tidy = dict(data)
    for section, keys in _path_keys().items():
        table = data.get(section)
        if isinstance(table, dict):
            tidy[section] = {k: v for k, v in table.items() if not (k in keys and v == "")}
    return tidy


def _paths(directory: Path) -> Callable[[type, Any], Any]:
    """msgspec's dec_hook for Path: relative to the file's directory (an empty one is
    not set: _without_empty_paths)."""

    def hook(type_: type, value: Any) -> Any:
        if type_ is not Path:
            raise NotImplementedError
        if not isinstance(value, str):
            raise TypeError("must be a string")
        if "\x00" in value:
            raise ValueError("must not contain a NUL character")
        try:
            return (directory / value).resolve()
        except (OSError, RuntimeError, ValueError):
            raise ValueError("cannot be resolved (a link loop?)") from None

    return hook


def _parse(file: TomlFile) -> KioskConfig:
    from kiosk.services.channels.address import https_url_problem
    from kiosk.services.spool.keys import key_dir_problem

    data = _without_empty_paths(file.data)
    found = convert(file, data, ConfigFile, dec_hook=_paths(file.path.parent))
    sections: ConfigFile = found if found is not None else _DEFAULT
    kiosk, routing = sections.kiosk, sections.routing
    if kiosk.id is None and not file.has_problem(("kiosk", "id")):
        file.problem(
            ("kiosk", "id"), 'missing: each kiosk needs an id (e.g. "duesseldorf-mitte-01")'
        )
    if routing.table is not None and not _is_file(routing.table):
        file.problem(("routing", "table"), f"routing table {routing.table} not found")
    for key in ("sync_url", "token_lookup"):
        url = getattr(routing, key)
        if url and (why := https_url_problem(url)) is not None:
            file.problem(("routing", key), why)
    if sections.staff.sync_url and (why := https_url_problem(sections.staff.sync_url)):
        file.problem(("staff", "sync_url"), why)
    key_dir = sections.security.key_dir
    if key_dir is not None:
        _check(file, ("security", "key_dir"), key_dir_problem(key_dir))
    _check_scanner(file, sections.scanner)
    _check_camera(file, sections.camera)
    _check_cards(file, sections.cards)
    _check_delivery(file, sections.delivery)
    if kiosk.assets_dir is not None and not _is_dir(kiosk.assets_dir):
        file.problem(("kiosk", "assets_dir"), f"{kiosk.assets_dir} is not a directory")
    return KioskConfig(
        kiosk_id=kiosk.id or "",
        language=kiosk.language,
        scanner=sections.scanner,
        routing_table=routing.table,
        key_dir=key_dir,
        state_dir=kiosk.state_dir,
        delivery=sections.delivery,
        routing_sync_url=routing.sync_url or None,
        token_lookup_url=routing.token_lookup or None,
        camera=sections.camera,
        cards=sections.cards,
        receipt=replace(sections.receipt, printer=sections.receipt.printer or None),
        site_name=kiosk.name or None,
        assets_dir=kiosk.assets_dir,
        staff_locked=tuple(sections.staff.locked),
        staff_sync_url=sections.staff.sync_url or None,
        source=file.path,
    )


def _check(file: TomlFile, where: KeyPath, problem: str | None) -> bool:
    if problem is not None:
        file.problem(where, problem)
    return problem is None


def _below(file: TomlFile, section: str, key: str, value: float, other: str, floor: float) -> bool:
    """``value`` (of ``key``) is below ``floor`` (of ``other``), neither named already."""
    named = file.has_problem((section, key)) or file.has_problem((section, other))
    return not named and value < floor


def _check_scanner(file: TomlFile, scanner: ScannerConfig) -> None:
    stall, page = scanner.stall_timeout, scanner.page_timeout
    if _below(file, "scanner", "page_timeout", page, "stall_timeout", stall):
        file.problem(
            ("scanner", "page_timeout"),
            f"must be at least stall_timeout ({stall:g} s): a page cannot take less time "
            "than the pause that stops it",
        )
    sane = scanner.sane_config_dir
    if sane is not None and not _is_file(sane / "dll.conf"):
        file.problem(("scanner", "sane_config_dir"), f"{sane} has no dll.conf")


def _check_camera(file: TomlFile, camera: CameraSettings) -> None:
    device = camera.device
    named = device in ("auto", "none") or str(device).startswith("/")
    if device < 0 if isinstance(device, int) else not named:
        file.problem(("camera", "device"), 'must be "auto", "none", an index from 0 or a path')


def _check_cards(file: TomlFile, cards: CardSettings) -> None:
    for key in ("case_key_file", "staff_key_file"):
        path = getattr(cards, key)
        if path is not None:  # the signing module only for a kiosk that has its keys
            from kiosk.core.card_signing import MIN_KEY_BYTES
            from kiosk.services.spool.keys import private_file_problem

            _check(file, ("cards", key), private_file_problem(path, "key file", MIN_KEY_BYTES))


def _check_delivery(file: TomlFile, delivery: DeliveryConfig) -> None:
    from kiosk.services.channels.address import is_plain_address
    from kiosk.services.spool.keys import token_file_problem

    _check_tls_files(file, delivery)
    if delivery.token_file is not None:
        _check(file, ("delivery", "token_file"), token_file_problem(delivery.token_file))
    if not is_plain_address(delivery.smtp_sender):
        file.problem(
            ("delivery", "smtp_sender"),
            "must be one plain e-mail address, e.g. scan-kiosk@jobcenter.example "
            "(no name, no line breaks)",
        )
    base, cap = delivery.retry_base, delivery.retry_cap
    if _below(file, "delivery", "retry_cap", cap, "retry_base", base):
        file.problem(("delivery", "retry_cap"), f"must be at least retry_base ({base:g} s)")


def _check_tls_files(file: TomlFile, delivery: DeliveryConfig) -> None:
    """The checks tls_context makes when the first inbox is contacted, made at start."""
    from kiosk.services.spool.keys import (
        ca_bundle_problem,
        client_cert_problem,
        private_file_problem,
        readable_file_problem,
    )

    ca, cert, key = delivery.ca_bundle, delivery.client_cert, delivery.client_key
    if ca is not None:
        _check(file, ("delivery", "ca_bundle"), ca_bundle_problem(ca))
    cert_ok = cert is None or _check(
        file, ("delivery", "client_cert"), readable_file_problem(cert, "client certificate")
    )
    key_ok = key is None or _check(
        file, ("delivery", "client_key"), private_file_problem(key, "client key")
    )
    if (cert is None) != (key is None):
        file.problem(("delivery", "client_cert"), "client_cert and client_key go together")
    elif cert is not None and key is not None and cert_ok and key_ok:
        _check(file, ("delivery", "client_cert"), client_cert_problem(cert, key))


def _is_file(path: Path) -> bool:
    """Path.is_file, but False (not an exception) for a name too long or a denied stat."""
    try:
        return path.is_file()
    except OSError:
        return False


def _is_dir(path: Path) -> bool:
    """Path.is_dir, but False (not an exception) for a name too long or a denied stat."""
    try:
        return path.is_dir()
    except OSError:
        return False
