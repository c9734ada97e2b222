"""The delivery walk: each inbox checked the way a document would go, never sending one.

Step by step, stopping at the first that fails: DNS, TCP, TLS with the configured CA (and
the server certificate's days left), then the inbox's own protocol (WebDAV PROPFIND, an
HTTPS OPTIONS, SMTP EHLO and STARTTLS). A folder inbox gets an empty probe file, removed
at once. Every network step has its own short timeout. An HTTP answer's ``Date:`` is kept
(``ServerClock``) for the clock check: TLS and the receipt times depend on the clock.
"""

from __future__ import annotations

import email.utils
import os
import smtplib
import socket
import ssl
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from urllib.parse import urlsplit

from kiosk.app import tls_settings
from kiosk.diag.check import Check, Status
from kiosk.services.channels import DeliveryError
from kiosk.services.channels.httpio import exchange, tls_context
from kiosk.station import Station

STEP_TIMEOUT = 3.0  # seconds for one DNS, TCP, TLS or protocol step
CERT_WARN_DAYS = 21  # a certificate expiring sooner is a warning (the alert's threshold)
DEFAULT_PORTS = {"https": 443, "webdavs": 443, "webdav": 80, "smtp": 25}


@dataclass(frozen=True, slots=True)
class ServerClock:
    """What an inbox server's HTTP ``Date:`` said against the local clock."""

    host: str
    skew: float  # seconds the local clock is ahead of the server's (negative: behind)
    uncertainty: float  # seconds: half the request's round trip plus the header's 1 s


@dataclass
class _Walk:
    notes: list[str]
    days: float | None = None  # the server certificate's days left
    clocks: list[ServerClock] = field(default_factory=list)


def delivery(station: Station, clocks: list[ServerClock] | None = None) -> Iterator[Check]:
    """One check per inbox (the first team that uses it names it); the ``Date:`` of every
    HTTP answer goes into ``clocks``."""
    kiosk = station.kiosk
    if kiosk.delivery_problem:
        yield Check("delivery", Status.FAIL, kiosk.delivery_problem, "fix the routing table")
    routing = kiosk.routing
    if routing is None:
        return
    inboxes: dict[str, str] = {}  # url -> the first team that uses it
    for team, url in [("triage", routing.triage), *routing.teams.items()]:
        inboxes.setdefault(url, team)
    context = _context(station)
    for url, team in inboxes.items():
        yield probe(f"delivery:{team}", url, context, clocks)


class _Failed(Exception):
    def __init__(self, detail: str, fix: str) -> None:
        super().__init__(detail)
        self.detail, self.fix = detail, fix


def probe(
    check_id: str,
    url: str,
    context: ssl.SSLContext | _Failed,
    clocks: list[ServerClock] | None = None,
) -> Check:
    parts = urlsplit(url)
    where = parts.hostname or parts.path
    try:
        if parts.scheme == "file":
            return Check(check_id, Status.PASS, _folder(Path(parts.path)))
        if isinstance(context, _Failed):
            raise context
        walk = _network(parts.scheme, parts.hostname or "", parts.port, url, context)
    except _Failed as failed:
        return Check(
            check_id, Status.FAIL, f"{parts.scheme}://{where}: {failed.detail}", failed.fix
        )
    if clocks is not None:
        clocks.extend(walk.clocks)
    days = walk.days
    status = Status.WARN if days is not None and days < CERT_WARN_DAYS else Status.PASS
    fix = "renew the certificate" if status is Status.WARN else ""
    return Check(check_id, status, f"{parts.scheme}://{where}: " + "; ".join(walk.notes), fix)


def _folder(path: Path) -> str:
    if path.exists() and not path.is_dir():
        raise _Failed("not a folder (a file is in its place)", f"move it away, then create {path}")
    if not path.is_dir():
        raise _Failed("folder missing", f"mount or create {path}")
    probe_file = path / f".kiosk-diag-{os.getpid()}"
    try:
        probe_file.write_bytes(b"")
        probe_file.unlink()
    except OSError as err:
        raise _Failed(
            f"folder not writable ({err.strerror})", f"fix the permissions of {path}"
        ) from err
    return f"folder {path} writable"


def _network(scheme: str, host: str, port: int | None, url: str, context: ssl.SSLContext) -> _Walk:
    port = port or DEFAULT_PORTS.get(scheme, 443)
    try:
        socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as err:
        raise _Failed(
            f"DNS: {host} not found ({err})", "check the name and the DNS server"
        ) from err
    try:
        with socket.create_connection((host, port), timeout=STEP_TIMEOUT):
            pass
    except OSError as err:
        raise _Failed(f"TCP {host}:{port}: {err.strerror or err}",
                      "is the inbox server up, and the firewall open?") from err  # fmt: skip
    walk = _Walk([f"TCP {port} open"])
    if scheme in ("https", "webdavs"):
        walk.days = _tls(host, port, context)
        walk.notes.append("TLS verified")
        if walk.days is not None:
            walk.notes.append(f"server certificate expires in {walk.days:.0f} days")
        _http(walk, scheme, host, url, context)
    elif scheme == "webdav":
        _http(walk, scheme, host, url, None)
    elif scheme == "smtp":
        walk.notes.append(_smtp(host, port, context))
    return walk


def _tls(host: str, port: int, context: ssl.SSLContext) -> float | None:
    """Verify the server with the configured CA; the days its certificate has left."""
    expires = server_certificate_expiry(host, port, context)
    return None if expires is None else (expires - time.time()) / 86400


def server_certificate_expiry(host: str, port: int, context: ssl.SSLContext) -> float | None:
    """When the server's certificate expires (epoch seconds), once verified with the
    configured CA (also ``kiosk metrics``); raises an exception saying why not."""
    try:
        with (
            socket.create_connection((host, port), timeout=STEP_TIMEOUT) as raw,
            context.wrap_socket(raw, server_hostname=host) as tls,
        ):
            peer = tls.getpeercert()
    except ssl.SSLCertVerificationError as err:
        raise _Failed(
            f"TLS: {err.verify_message}", "check the server certificate and [delivery] ca_bundle"
        ) from err
    except (OSError, ssl.SSLError) as err:
        raise _Failed(
            f"TLS: {err}", "check the server's TLS set-up and the client certificate"
        ) from err
    return ssl.cert_time_to_seconds(str(peer["notAfter"])) if peer else None


def _http(walk: _Walk, scheme: str, host: str, url: str, context: ssl.SSLContext | None) -> None:
    webdav = scheme in ("webdav", "webdavs")
    method, headers = ("PROPFIND", {"Depth": "0"}) if webdav else ("OPTIONS", {})
    sent = time.time()
    try:
        answer = exchange(url, method, headers=headers, deadline=time.monotonic() + STEP_TIMEOUT,
                          context=context, limit=64 * 1024)  # fmt: skip
    except DeliveryError as err:
        raise _Failed(f"{method}: {err}", "is the inbox service itself up?") from err
    clock = server_clock(host, answer.headers.get("date"), sent, time.time())
    if clock is not None:
        walk.clocks.append(clock)
    if answer.status in (401, 403):
        raise _Failed(
            f"{method}: HTTP {answer.status} (not allowed)",
            "check the credentials and the inbox's rights",
        )
    if answer.status >= 500 or (webdav and answer.status == 404):
        raise _Failed(
            f"{method}: HTTP {answer.status} {answer.reason}", "check the inbox path and its server"
        )
    walk.notes.append(f"{method} HTTP {answer.status}")


def server_clock(host: str, date: str | None, sent: float, received: float) -> ServerClock | None:
    """The local clock against an HTTP ``Date:`` (None: none, or not a date). The server
    wrote it between ``sent`` and ``received`` (local ``time.time()``), in whole seconds."""
    if not date:
        return None
    try:
        said = email.utils.parsedate_to_datetime(date)
    except (TypeError, ValueError, IndexError):
        return None
    if said.tzinfo is None:  # asctime's form has no zone: an HTTP date is always GMT
        said = said.replace(tzinfo=UTC)
    middle = (sent + received) / 2
    return ServerClock(host, middle - said.timestamp(), (received - sent) / 2 + 1.0)


def _smtp(host: str, port: int, context: ssl.SSLContext) -> str:
    try:
        with smtplib.SMTP(host, port, timeout=STEP_TIMEOUT) as smtp:
            smtp.ehlo()
            if not smtp.has_extn("starttls"):
                return "SMTP EHLO ok, no STARTTLS offered"
            smtp.starttls(context=context)
            smtp.ehlo()
            return "SMTP EHLO ok, STARTTLS verified"
    except (OSError, smtplib.SMTPException, ssl.SSLError) as err:
        raise _Failed(f"SMTP: {err}", "check the relay and its TLS certificate") from err


def _context(station: Station) -> ssl.SSLContext | _Failed:
    tls = tls_settings(station.kiosk.config.delivery)
    try:
        context = tls_context(tls)
    except DeliveryError as err:
        return _Failed(str(err), "fix [delivery] ca_bundle / client_cert / client_key")
    return context
