"""Composition root: the only place that turns configuration into drivers and services."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from drivers.sane_scanner import SaneScanner
from drivers.scanner import Scanner
from drivers.sound import AplayChime, Chime
from drivers.speech import EspeakSpeech, Speech
from kiosk.services.channels import ChannelSettings, TlsSettings
from kiosk.services.config import DeliveryConfig, KioskConfig, ScannerConfig
from kiosk.services.held import HeldBatches
from kiosk.services.keys import KeyFileError, load_or_create_key
from kiosk.services.outbox import Outbox, RetryPolicy
from kiosk.services.routing import CaseRule, RoutingTable, load_routing
from kiosk.services.statedir import private_dir, state_dir
from kiosk.services.vault import Vault

log = logging.getLogger(__name__)

EMBEDDED_SANE_CONFIG = Path(__file__).resolve().parent.parent / "drivers" / "sane_config"
DEMO_TEAMS = ("leistung-1", "vermittlung-1", "but", "forderung", "widerspruch", "eingangszone")


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


def embedded_config() -> KioskConfig:
    """The embedded defaults: SANE's test scanner and folder inboxes under the state dir."""
    scanner = ScannerConfig(device="test:0", sane_config_dir=EMBEDDED_SANE_CONFIG)
    return KioskConfig(kiosk_id="demo-kiosk", scanner=scanner)


def demo_routing(state: Path) -> RoutingTable:
    """A routing table for the embedded defaults: one office (12345), one inbox per team."""
    inbox = state / "inbox"
    urls = {team: (inbox / team).as_uri() + "/" for team in DEMO_TEAMS}
    for team in DEMO_TEAMS:
        (inbox / team).mkdir(parents=True, exist_ok=True)
    rule = CaseRule({"leistung": "leistung-1", "vermittlung": "vermittlung-1"}, bg_office="12345")
    shared = {kind: kind for kind in ("but", "forderung", "widerspruch", "eingangszone")}
    return RoutingTable(urls["eingangszone"], urls, (rule,), shared)


def build(config: KioskConfig, *, embedded: bool = False) -> Kiosk:
    """Construct drivers and services; raises KeyFileError / InvalidFile on bad set-ups."""
    state = state_dir(config.state_dir)
    keys = private_dir(config.key_dir or state / "keys")
    vault = Vault(load_or_create_key(keys / "spool.key"))
    pseudonym_key = load_or_create_key(keys / "pseudonym.key")
    if config.routing_table is not None:
        routing: RoutingTable | None = load_routing(config.routing_table)
    else:
        routing = demo_routing(state) if embedded else None
    scanner = SaneScanner(
        config.scanner.sane_config_dir,
        stall_timeout=config.scanner.stall_timeout,
        page_timeout=config.scanner.page_timeout,
    )
    delivery = config.delivery
    policy = RetryPolicy(delivery.retry_base, delivery.retry_cap, delivery.attempt_deadline)
    outbox = Outbox(state / "outbox", vault, settings=channel_settings(config), policy=policy)
    return Kiosk(
        config=config,
        state=state,
        scanner=scanner,
        routing=routing,
        outbox=outbox,
        held=HeldBatches(state / "held", vault),
        pseudonym_key=pseudonym_key,
    )


def channel_settings(config: KioskConfig) -> ChannelSettings:
    d: DeliveryConfig = config.delivery
    return ChannelSettings(
        tls=TlsSettings(d.ca_bundle, d.client_cert, d.client_key),
        https_request=d.https_request,
        bearer_token=_token(d),
        allow_plaintext_webdav=d.allow_plaintext_webdav,
        allow_plaintext_smtp=d.allow_plaintext_smtp,
        smtp_sender=d.smtp_sender,
        kiosk_id=config.kiosk_id,
    )


def _token(delivery: DeliveryConfig) -> str | None:
    if delivery.token_file is None:
        return None
    if delivery.token_file.stat().st_mode & 0o077:
        raise KeyFileError(f"token file {delivery.token_file} is readable by other users")
    token = delivery.token_file.read_text().strip()
    if not token or any(c.isspace() or not c.isprintable() for c in token):
        raise KeyFileError(f"token file {delivery.token_file} holds no usable token")
    return token


@dataclass(frozen=True)
class Peripherals:
    """What the touch UI adds to a kiosk: speech output and the timeout warning sound."""

    speech: Speech
    chime: Chime


def build_peripherals() -> Peripherals:
    return Peripherals(speech=EspeakSpeech(), chime=AplayChime())
