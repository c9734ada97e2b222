"""Composition root: the only place that turns configuration into drivers and services."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.configuration import EMBEDDED_SANE_CONFIG as EMBEDDED_SANE_CONFIG  # re-exported
from kiosk.configuration import embedded_config as embedded_config
from kiosk.configuration import find_config as find_config
from kiosk.services.assets import WARNING_SOUND, Assets
from kiosk.services.config import (
    CameraSettings,
    CardSettings,
    DeliveryConfig,
    KioskConfig,
    ReceiptSettings,
)

# What `build` constructs is imported when it runs: `kiosk run` finds and reads its
# configuration (here) before the start screen's first paint, and builds the kiosk after it.
if TYPE_CHECKING:
    from drivers.camera.feed import CameraFeed
    from drivers.camera.frames import OpenCvCamera
    from drivers.codes.reader import CombinedReader
    from drivers.output.sound import Chime
    from drivers.output.speech import Speech
    from drivers.scanner.protocol import Scanner
    from kiosk.core.cards import CardRules
    from kiosk.services.channels import ChannelSettings, TlsSettings
    from kiosk.services.codes import TokenResolver
    from kiosk.services.metrics_store import Counters
    from kiosk.services.paper_receipt import ReceiptPrinter
    from kiosk.services.routing.table import RoutingTable
    from kiosk.services.spool.held import HeldBatches
    from kiosk.services.spool.outbox import Outbox
    from kiosk.services.staff.login import StaffLogin

log = logging.getLogger(__name__)

DEMO_TEAMS = ("leistung-1", "vermittlung-1", "but", "forderung", "widerspruch", "eingangszone")
STAFF_KEY_NAME = "staff-card.key"  # in the key dir, made by `kiosk staff add` on first use


@dataclass(frozen=True)
class Kiosk:
    """Everything a front end (CLI, touch UI) needs, built once from configuration."""

    config: KioskConfig
    state: Path
    scanner: Scanner
    routing: RoutingTable | None
    outbox: Outbox
    held: HeldBatches
    pseudonym_key: bytes
    card_rules: CardRules = field(default_factory=lambda: no_card_rules())
    # Why no new document could ever reach an inbox (the routing table is unusable), or
    # None. Documents already spooled carry their own inbox and are still delivered.
    delivery_problem: str | None = None
    # The receipt on paper ([receipt] printer), or None: the receipt is shown only.
    receipt_printer: ReceiptPrinter | None = None
    # Deliveries, sessions and pages counted for `kiosk metrics`; None: nothing counted.
    counters: Counters | None = None
    # Staff cards' register, PINs and throttle (kiosk.services.staff); None: cards alone.
    staff: StaffLogin | None = None

    @property
    def tokens(self) -> TokenResolver:
        from kiosk.services.codes import TokenResolver

        tls = tls_settings(self.config.delivery)
        return TokenResolver(self.routing, self.config.token_lookup_url, tls)


def demo_routing(state: Path) -> RoutingTable:
    """A routing table for the embedded defaults: one office (12345), one inbox per team."""
    from kiosk.core.log_events import emit
    from kiosk.services.routing.table import CaseRule, RoutingTable

    inbox = state / "inbox"
    urls = {team: (inbox / team).as_uri() + "/" for team in DEMO_TEAMS}
    missing = []
    for team in DEMO_TEAMS:
        try:
            (inbox / team).mkdir(parents=True, exist_ok=True)
        except OSError as err:  # an inbox, not the kiosk's own storage: documents queue
            missing.append(f"{team} ({err.strerror})")
    if missing:
        emit(log, "setup.demo_inboxes", path=str(inbox), detail=", ".join(missing))
    rule = CaseRule({"leistung": "leistung-1", "vermittlung": "vermittlung-1"}, bg_office="12345")
    shared = {kind: kind for kind in ("but", "forderung", "widerspruch", "eingangszone")}
    return RoutingTable(urls["eingangszone"], urls, (rule,), shared)


def build(config: KioskConfig, *, embedded: bool = False) -> Kiosk:
    """Construct drivers and services; raises KeyFileError / InvalidFile on bad set-ups."""
    from drivers.scanner.sane_scanner import SaneScanner
    from kiosk.core.log_events import emit
    from kiosk.services.metrics_store import Counters
    from kiosk.services.receipt_index import ReceiptIndex
    from kiosk.services.routing.table import load_routing
    from kiosk.services.spool.held import HeldBatches
    from kiosk.services.spool.keys import KeyFileError, key_dir_problem, load_or_create_key
    from kiosk.services.spool.outbox import Outbox, RetryPolicy
    from kiosk.services.spool.vault import Vault
    from kiosk.services.statedir import private_dir, state_dir
    from kiosk.services.tomlfile import InvalidFile

    state = state_dir(config.state_dir)
    key_dir = config.key_dir or state / "keys"
    if (unsafe := key_dir_problem(key_dir)) is not None:
        raise KeyFileError(unsafe)  # never "repaired": someone else may have planted keys
    keys = private_dir(key_dir)
    vault = Vault(load_or_create_key(keys / "spool.key"))
    pseudonym_key = load_or_create_key(keys / "pseudonym.key")
    routing: RoutingTable | None = None
    problem: str | None = None
    if config.routing_table is not None:
        try:
            routing = load_routing(config.routing_table, config.inbox_policy)
            for warning in routing.warnings:
                emit(log, "routing.warning", path=str(config.routing_table), detail=warning)
        except InvalidFile as err:  # each front end says what it means for it
            problem = f"routing table {err}"
    elif embedded:
        routing = demo_routing(state)
    else:
        problem = "no routing table configured ([routing] table = ...)"
    scanner = SaneScanner(
        config.scanner.sane_config_dir,
        stall_timeout=config.scanner.stall_timeout,
        page_timeout=config.scanner.page_timeout,
    )
    delivery = config.delivery
    policy = RetryPolicy(delivery.retry_base, delivery.retry_cap, delivery.attempt_deadline)
    counters = Counters(state / "metrics")
    receipts = ReceiptIndex(state / "receipts", keep_days=config.receipt.keep_index_days)
    outbox = Outbox(
        state / "outbox",
        vault,
        settings=channel_settings(config),
        policy=policy,
        counters=counters,
        receipts=receipts,
    )
    rules = card_rules(config.cards, staff_key_file(config, state))
    staff = staff_login(config, state)
    if rules.staff_key is not None:
        staff.announce()  # says so when a staff card alone opens staff mode
    return Kiosk(
        config=config,
        state=state,
        scanner=scanner,
        routing=routing,
        outbox=outbox,
        held=HeldBatches(state / "held", vault),
        pseudonym_key=pseudonym_key,
        card_rules=rules,
        delivery_problem=problem,
        receipt_printer=receipt_printer(config.receipt),
        counters=counters,
        staff=staff,
    )


def staff_key_file(config: KioskConfig, state: Path) -> Path:
    """The staff cards' signing key: [cards] staff_key_file, else the key dir's own
    (``kiosk staff add`` creates that one; the kiosk only reads it)."""
    return config.cards.staff_key_file or (config.key_dir or state / "keys") / STAFF_KEY_NAME


def staff_login(config: KioskConfig, state: Path) -> StaffLogin:
    from kiosk.services.staff.audit import AuditLog
    from kiosk.services.staff.login import StaffLogin
    from kiosk.services.staff.store import StaffFiles

    directory = state / "staff"
    return StaffLogin(StaffFiles(directory), AuditLog(directory, config.kiosk_id))


def receipt_printer(settings: ReceiptSettings) -> ReceiptPrinter | None:
    """The CUPS queue receipts are printed on; None without one. Not asked at start: a
    printer that is off or out of paper costs the paper receipt, never the kiosk."""
    if settings.printer is None:
        return None
    from drivers.output.printer import CupsPrinter
    from kiosk.services.paper_receipt import ReceiptPrinter

    queue = CupsPrinter(settings.printer, deadline=settings.deadline, options=settings.options)
    return ReceiptPrinter(queue, settings.paper)


def no_card_rules() -> CardRules:
    """The rules without any setting: plain case numbers, no signed or staff cards."""
    from kiosk.core.cards import CardRules

    return CardRules()


def card_rules(cards: CardSettings, staff_key_path: Path | None = None) -> CardRules:
    """What cards this kiosk accepts; a signing key that is unsafe stops the start.
    ``staff_key_path``: the staff key when [cards] names none, if it exists."""
    from kiosk.core.card_signing import MIN_KEY_BYTES
    from kiosk.core.cards import CardRules
    from kiosk.services.spool.keys import load_key

    case_key = load_key(cards.case_key_file, MIN_KEY_BYTES) if cards.case_key_file else None
    made_here = staff_key_path if staff_key_path is not None and staff_key_path.exists() else None
    staff_path = cards.staff_key_file or made_here
    staff_key = load_key(staff_path, MIN_KEY_BYTES) if staff_path else None
    return CardRules(
        url_parameters=cards.url_parameters,
        url_hosts=cards.url_hosts,
        case_key=case_key,
        staff_key=staff_key,
        letter_codes=cards.letter_codes,
    )


def channel_settings(config: KioskConfig) -> ChannelSettings:
    from kiosk.services.channels import ChannelSettings

    d: DeliveryConfig = config.delivery
    return ChannelSettings(
        tls=tls_settings(d),
        https_request=d.https_request,
        bearer_token=_token(d),
        allow_plaintext_webdav=d.allow_plaintext_webdav,
        allow_plaintext_smtp=d.allow_plaintext_smtp,
        smtp_sender=d.smtp_sender,
        kiosk_id=config.kiosk_id,
    )


def tls_settings(delivery: DeliveryConfig) -> TlsSettings:
    """Whom to trust and who we are, for every TLS connection (inboxes, token lookup)."""
    from kiosk.services.channels import TlsSettings

    return TlsSettings(delivery.ca_bundle, delivery.client_cert, delivery.client_key)


def _token(delivery: DeliveryConfig) -> str | None:
    from kiosk.services.spool.keys import read_token

    return read_token(delivery.token_file) if delivery.token_file else None


@dataclass(frozen=True)
class Peripherals:
    """What the touch UI adds to a kiosk: speech, the warning sound, the card camera."""

    speech: Speech
    chime: Chime
    camera: CameraFeed | None = None


def build_peripherals(
    camera: CameraSettings | None = None, assets: Assets | None = None
) -> Peripherals:
    """The warning sound from the site's assets where it has one, else the shipped one."""
    from drivers.output.sound import AplayChime
    from drivers.output.speech import EspeakSpeech

    wav = (assets or Assets()).find(WARNING_SOUND).read_bytes()
    return Peripherals(
        speech=EspeakSpeech(),
        chime=AplayChime(wav),
        camera=build_camera(camera or CameraSettings()),
    )


def build_camera(settings: CameraSettings) -> CameraFeed | None:
    """The card camera, or None when the kiosk has none ("none", or "auto" finding none)."""
    parts = camera_parts(settings)
    if parts is None:
        from kiosk.core.log_events import emit

        emit(log, "camera.none")
        return None
    from drivers.camera.feed import CameraFeed

    return CameraFeed(*parts, mirror=settings.mirror)


def camera_parts(settings: CameraSettings) -> tuple[OpenCvCamera, CombinedReader] | None:
    """The card camera's frame source and code reader, not yet opened (``kiosk diag``
    tries them without the feed), or None when the kiosk has none."""
    device = find_camera() if settings.device == "auto" else settings.device
    if device is None or device == "none":
        return None
    # OpenCV only where a camera is built: a kiosk without one starts 0.2 s sooner.
    from drivers.camera.frames import CameraConfig, OpenCvCamera
    from drivers.codes.reader import CombinedReader

    config = CameraConfig(device, settings.width, settings.height, settings.fps)
    return OpenCvCamera(config), CombinedReader()


def find_camera(dev: Path = Path("/dev")) -> str | None:
    """A stable path of the first camera (by-id survives replugging), else /dev/videoN."""
    by_id = sorted((dev / "v4l" / "by-id").glob("*-video-index0"))
    if by_id:
        return str(by_id[0])
    numbered = sorted(dev.glob("video[0-9]*"), key=lambda p: int(p.name[5:]))
    return str(numbered[0]) if numbered else None
