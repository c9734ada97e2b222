"""``kiosk metrics``: the kiosk's state as Prometheus metrics (node_exporter's textfile).

Read-only and quick: the outbox's plain status files, the counters and the running
kiosk's last health check (``kiosk.services.metrics_store``), the spool's free space, the
camera's device node, and the inboxes' and the kiosk's own TLS certificates (through
diag's probe, one per inbox server, in parallel). Labels come from a fixed allow-list
(``kiosk.services.exposition``) and ``route`` is a team id of the routing table or one of
a few fixed words: never a case number or anything else of a client.
"""

from __future__ import annotations

import contextlib
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

from kiosk.app import find_camera, tls_settings
from kiosk.diag import DEFAULT_PORTS, client_certificate_expiry, server_certificate_expiry
from kiosk.services.channels import DeliveryError
from kiosk.services.channels.httpio import tls_context
from kiosk.services.exposition import Family
from kiosk.services.metrics_store import (
    DELIVERY_RESULTS,
    OTHER_ROUTE,
    SESSION_RESULTS,
    UNKNOWN_ROUTE,
    Tally,
    read_health,
)
from kiosk.services.spool.outbox import HELD, PENDING, QUARANTINED
from kiosk.station import MIN_FREE_BYTES, Station, version

TEXTFILE = "kiosk.prom"
# Counted routes outside the routing table keep one of these words (``--inbox`` is
# "explicit"); any other value is folded into "other".
FIXED_ROUTES = ("triage", "explicit", UNKNOWN_ROUTE, OTHER_ROUTE)
SERVER_TLS = ("https", "webdavs")  # the handshake shows the server's certificate
CLIENT_TLS = ("https", "webdavs", "smtp")  # the kiosk shows its own ([delivery] client_cert)
MAX_PROBES = 8  # inbox servers probed at once


def collect(station: Station) -> list[Family]:
    """Every metric, ``kiosk_metrics_generated_timestamp_seconds`` last (its time of writing)."""
    routes = routing_routes(station)
    families = [
        Family("kiosk_info", "gauge", "The kiosk's id and software version (always 1).").add(
            1, kiosk=station.kiosk.config.kiosk_id, version=version()
        ),
        *_outbox(station),
        *_counted(station, routes),
        *_hardware(station),
        _certificates(station, routes),
        _storage(station),
    ]
    generated = "When this file was written (epoch seconds): older means the timer stopped."
    families.append(
        Family("kiosk_metrics_generated_timestamp_seconds", "gauge", generated).add(time.time())
    )
    return families


def routing_routes(station: Station) -> dict[str, str]:
    """The routes the routing table knows, team id -> inbox URL (triage included)."""
    routing = station.kiosk.routing
    return {} if routing is None else {"triage": routing.triage, **routing.teams}


def _outbox(station: Station) -> list[Family]:
    items = list(station.kiosk.outbox.items())
    states = Counter(item.state for item in items)
    waiting = [item.created for item in items if item.state == PENDING]
    documents = Family(
        "kiosk_outbox_documents", "gauge", "Documents in the kiosk's encrypted outbox by state."
    )
    for label, state in (("waiting", PENDING), ("held", HELD), ("quarantined", QUARANTINED)):
        documents.add(states[state], state=label)
    oldest = Family(
        "kiosk_outbox_oldest_document_age_seconds",
        "gauge",
        "Age of the oldest document waiting for delivery (0: none waits).",
    ).add(max(0.0, time.time() - min(waiting)) if waiting else 0)
    return [documents, oldest]


def _counted(station: Station, routes: dict[str, str]) -> list[Family]:
    counters = station.kiosk.counters
    tally = counters.read() if counters is not None else Tally()

    def label(route: str) -> str:
        return route if route in routes or route in FIXED_ROUTES else OTHER_ROUTE

    deliveries: Counter[tuple[str, str]] = Counter(
        {(route, result): 0 for route in routes for result in DELIVERY_RESULTS}
    )  # every known route from zero: increase() sees its first attempt
    for (route, result), count in tally.deliveries.items():
        if result in DELIVERY_RESULTS:
            deliveries[(label(route), result)] += count
    last: dict[str, float] = {}
    for route, at in tally.last_delivered.items():
        last[label(route)] = max(last.get(label(route), 0.0), at)
    total = Family(
        "kiosk_deliveries_total",
        "counter",
        "Delivery attempts by route (team id) and result: delivered, retry, held, quarantined.",
    )
    for (route, result), count in sorted(deliveries.items()):
        total.add(count, route=route, result=result)
    latest = Family(
        "kiosk_last_successful_delivery_timestamp_seconds",
        "gauge",
        "When a document last reached the route's inbox (epoch seconds).",
    )
    for route, at in sorted(last.items()):
        latest.add(at, route=route)
    sessions = Family(
        "kiosk_sessions_total",
        "counter",
        "Submissions by what the receipt said: delivered, queued, held; failed: not stored.",
    )
    for result in SESSION_RESULTS:
        sessions.add(tally.sessions.get(result, 0), result=result)
    pages = Family("kiosk_pages_total", "counter", "Pages of the documents stored for delivery.")
    return [total, latest, sessions, pages.add(tally.pages)]


def _hardware(station: Station) -> list[Family]:
    counters = station.kiosk.counters
    health = read_health(counters.directory) if counters is not None else None
    up = health is not None and health.alive and health.scanner_up
    scanner = Family(
        "kiosk_scanner_up",
        "gauge",
        "1: the running kiosk found its scanner at its last health check; "
        "0: not found, or no kiosk program runs.",
    ).add(1 if up else 0)
    checked = Family(
        "kiosk_health_checked_timestamp_seconds",
        "gauge",
        "When the kiosk program last checked its health (epoch seconds).",
    )
    if health is not None:
        checked.add(health.checked_at)
    camera = Family(
        "kiosk_camera_up",
        "gauge",
        "1: the card camera's device node is present; absent when none is configured.",
    )
    present = camera_present(station.kiosk.config.camera.device)
    if present is not None:
        camera.add(1 if present else 0)
    return [scanner, checked, camera]


def camera_present(device: str | int) -> bool | None:
    """Is the configured camera's device node there? None: the kiosk has no camera."""
    if device == "none":
        return None
    if device == "auto":
        return find_camera() is not None
    text = str(device)
    return Path(f"/dev/video{text}" if text.isdigit() else text).exists()


def _certificates(station: Station, routes: dict[str, str]) -> Family:
    family = Family(
        "kiosk_tls_certificate_expiry_timestamp_seconds",
        "gauge",
        "When a TLS certificate on a route expires (epoch seconds); which: server (the "
        "inbox's, verified with the configured CA) or client (the kiosk's own).",
    )
    delivery = station.kiosk.config.delivery
    try:
        client = client_certificate_expiry(delivery.client_cert)
    except (OSError, ValueError):  # unreadable: `kiosk diag` says so
        client = None
    servers: dict[tuple[str, int], list[str]] = {}
    for route, url in sorted(routes.items()):
        parts = urlsplit(url)
        if client is not None and parts.scheme in CLIENT_TLS:
            family.add(client, route=route, which="client")
        if parts.scheme in SERVER_TLS and parts.hostname:
            server = (parts.hostname, parts.port or DEFAULT_PORTS[parts.scheme])
            servers.setdefault(server, []).append(route)
    if not servers:
        return family
    try:
        context = tls_context(tls_settings(delivery))
    except DeliveryError:  # a broken ca_bundle or client key: `kiosk diag` says so
        return family

    def expiry(server: tuple[str, int]) -> float | None:
        try:
            return server_certificate_expiry(*server, context)
        except Exception:  # down or not trusted: no certificate to report; diag says why
            return None

    with ThreadPoolExecutor(min(MAX_PROBES, len(servers))) as pool:
        found = dict(zip(servers, pool.map(expiry, servers), strict=True))
    for server, on_routes in servers.items():
        expires = found[server]
        if expires is not None:
            for route in on_routes:
                family.add(expires, route=route, which="server")
    return family


def _storage(station: Station) -> Family:
    family = Family(
        "kiosk_storage_free_bytes",
        "gauge",
        f"Free space for the kiosk's spool; below {MIN_FREE_BYTES >> 20} MiB it takes no "
        "new documents.",
    )
    with contextlib.suppress(OSError):  # no number rather than a wrong one
        family.add(station.kiosk.outbox.free_bytes())
    return family
