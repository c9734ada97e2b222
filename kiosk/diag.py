"""Diagnostics for field support: each check PASS, WARN or FAIL, with one line of what to do.

Qt-free and read-only: no check sends a document, writes into an inbox (a folder inbox gets
an empty probe file, removed at once) or prints anything of a client's. A delivery check
walks the way a document would take, step by step, and stops at the first that fails:
DNS, TCP, TLS with the configured CA (and both certificates' days left), then the inbox's
own protocol (WebDAV PROPFIND, an HTTPS OPTIONS, SMTP EHLO and STARTTLS). Every network
step has its own short timeout; the whole run stays within seconds.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import smtplib
import socket
import ssl
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit

from drivers.scanner.protocol import ScannerError
from kiosk.app import tls_settings
from kiosk.core.faults import Fault
from kiosk.services.channels import DeliveryError
from kiosk.services.channels.httpio import exchange, tls_context
from kiosk.services.pages.imaging import EncodedPage
from kiosk.services.pages.scanjob import ScanStopped
from kiosk.services.spool.outbox import HELD, PENDING, QUARANTINED
from kiosk.station import MIN_FREE_BYTES, Station, version

STEP_TIMEOUT = 3.0  # seconds for one DNS, TCP, TLS or protocol step
CERT_WARN_DAYS = 21  # a certificate expiring sooner is a warning (the alert's threshold)
OLDEST_WARN = 15 * 60  # a document waiting longer is a warning (seconds)


class Status(StrEnum):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"


@dataclass(frozen=True, slots=True)
class Check:
    id: str  # e.g. "storage", "delivery:leistung-1"
    status: Status
    detail: str  # what was found (never client data)
    fix: str = ""  # one line: what to do (empty when it passes)


def run_checks(station: Station, only: str | None = None, scan: bool = False) -> list[Check]:
    """All checks (with ``scan``: a test scan too), or those whose id is ``only`` or starts
    with ``only:``."""
    checks: list[Callable[[Station], Iterator[Check]]] = [
        _identity, _storage, _scanner, _outbox, _client_certificate, _delivery, _printer,
    ]  # fmt: skip
    if scan:
        checks.append(_scan_test)
    found = [check for run in checks for check in run(station)]
    if only is None:
        return found
    return [c for c in found if c.id == only or c.id.startswith(f"{only}:")]


def exit_status(checks: list[Check]) -> Status:
    statuses = {c.status for c in checks}
    if Status.FAIL in statuses:
        return Status.FAIL
    return Status.WARN if Status.WARN in statuses else Status.PASS


# -- the checks --------------------------------------------------------------------------


def _identity(station: Station) -> Iterator[Check]:
    config = station.kiosk.config
    table = config.routing_table
    parts = [f"kiosk {config.kiosk_id}", f"version {version()}", f"config {station.origin}"]
    if table is not None:
        parts.append(f"routing table sha256 {_digest(table)}")
    yield Check("identity", Status.PASS, "; ".join(parts))


def _storage(station: Station) -> Iterator[Check]:
    state = station.kiosk.state
    try:
        free = shutil.disk_usage(state).free
    except OSError as err:
        yield Check("storage", Status.FAIL, f"{state}: {err.strerror}", "check the state dir")
        return
    detail = f"{state}: {free // (1024 * 1024)} MB free"
    if not station.storage_ok():
        yield Check("storage", Status.FAIL, detail + ", spool not writable",
                    "free space or fix the permissions of the state dir")  # fmt: skip
    elif free < 4 * MIN_FREE_BYTES:
        yield Check("storage", Status.WARN, detail, "free space soon: new documents need room")
    else:
        yield Check("storage", Status.PASS, detail)


def _scanner(station: Station) -> Iterator[Check]:
    configured = station.kiosk.config.scanner.device
    if station.scanner_ok():
        yield Check("scanner", Status.PASS, f"{station.device} found (configured: {configured})")
    else:
        fix = "run `kiosk devices`: it says which SANE backends and USB devices it sees"
        yield Check("scanner", Status.FAIL, f"{configured} not found", fix)


def _outbox(station: Station) -> Iterator[Check]:
    items = list(station.kiosk.outbox.items())
    pending = [s for s in items if s.state == PENDING]
    held = sum(1 for s in items if s.state == HELD)
    quarantined = sum(1 for s in items if s.state == QUARANTINED)
    oldest = min((s.created for s in pending), default=None)
    age = time.time() - oldest if oldest else 0.0
    detail = f"{len(pending)} waiting, {held} held, {quarantined} unreadable"
    if oldest:
        detail += f", oldest waiting {age / 60:.0f} min"
    if held or quarantined:
        yield Check("outbox", Status.WARN, detail, "staff: see `kiosk outbox list`")
    elif pending and age > OLDEST_WARN:
        yield Check("outbox", Status.WARN, detail, "see the delivery checks below")
    else:
        yield Check("outbox", Status.PASS, detail)


def _client_certificate(station: Station) -> Iterator[Check]:
    path = station.kiosk.config.delivery.client_cert
    if path is None:
        return
    try:
        days = client_certificate_days(path)
    except (OSError, ValueError) as err:
        yield Check("client-certificate", Status.FAIL, f"{path}: unreadable ({err})",
                    "install the kiosk's client certificate again")  # fmt: skip
        return
    assert days is not None
    detail = f"{path}: expires in {days:.0f} days"
    if days <= 0:
        yield Check("client-certificate", Status.FAIL, f"{path}: expired", "renew it now")
    elif days < CERT_WARN_DAYS:
        yield Check("client-certificate", Status.WARN, detail, "renew it soon")
    else:
        yield Check("client-certificate", Status.PASS, detail)


def _delivery(station: Station) -> Iterator[Check]:
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
        yield _probe(f"delivery:{team}", url, context)


CUPSD_CONF = Path("/etc/cups/cupsd.conf")


def _printer(station: Station, cupsd_conf: Path = CUPSD_CONF) -> Iterator[Check]:
    """The receipt printer's queue, and whether CUPS keeps the printed files: a receipt
    holds the masked case number and the concern, and must not stay on the disk."""
    printer = station.kiosk.receipt_printer
    if printer is None:
        return
    problem = printer.problem()
    if problem:
        yield Check("printer", Status.FAIL, f"{printer.name}: {problem}",
                    "load paper, or enable the queue (cupsenable, cupsaccept)")  # fmt: skip
    else:
        yield Check("printer", Status.PASS, f"{printer.name}: ready")
    kept = cups_keeps_job_files(cupsd_conf)
    if kept is not None:
        fix = f"set PreserveJobFiles No in {cupsd_conf}: printed receipts stay on disk"
        yield Check("printer:spool", Status.WARN, f"{cupsd_conf}: PreserveJobFiles {kept}", fix)


def cups_keeps_job_files(cupsd_conf: Path) -> str | None:
    """What CUPS's PreserveJobFiles says when it keeps printed files (its default: a day),
    or None when it keeps none."""
    setting = "86400 (the default)"
    try:
        lines = cupsd_conf.read_text(errors="replace").splitlines()
    except OSError:
        return setting
    for line in lines:
        words = line.split("#", 1)[0].split()
        if len(words) == 2 and words[0].lower() == "preservejobfiles":
            setting = words[1]
    return None if setting.lower() in ("no", "off", "false", "0") else setting


# -- one inbox ---------------------------------------------------------------------------


class _Failed(Exception):
    def __init__(self, detail: str, fix: str) -> None:
        super().__init__(detail)
        self.detail, self.fix = detail, fix


def _probe(check_id: str, url: str, context: ssl.SSLContext | _Failed) -> Check:
    parts = urlsplit(url)
    where = parts.hostname or parts.path
    try:
        if parts.scheme == "file":
            return Check(check_id, Status.PASS, _folder(Path(parts.path)))
        if isinstance(context, _Failed):
            raise context
        notes, days = _network(parts.scheme, parts.hostname or "", parts.port, url, context)
    except _Failed as failed:
        return Check(
            check_id, Status.FAIL, f"{parts.scheme}://{where}: {failed.detail}", failed.fix
        )
    status = Status.WARN if days is not None and days < CERT_WARN_DAYS else Status.PASS
    fix = "renew the certificate" if status is Status.WARN else ""
    return Check(check_id, status, f"{parts.scheme}://{where}: " + "; ".join(notes), fix)


def _folder(path: Path) -> str:
    if not path.is_dir():
        raise _Failed("folder missing", f"mount or create {path}")
    probe = path / f".kiosk-diag-{os.getpid()}"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as err:
        raise _Failed(
            f"folder not writable ({err.strerror})", f"fix the permissions of {path}"
        ) from err
    return f"folder {path} writable"


DEFAULT_PORTS = {"https": 443, "webdavs": 443, "webdav": 80, "smtp": 25}


def _network(
    scheme: str, host: str, port: int | None, url: str, context: ssl.SSLContext
) -> tuple[list[str], float | None]:
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
    notes, days = [f"TCP {port} open"], None  # days: the server certificate's, left
    if scheme in ("https", "webdavs"):
        days = _tls(host, port, context)
        notes.append("TLS verified")
        if days is not None:
            notes.append(f"server certificate expires in {days:.0f} days")
        notes.append(_http(scheme, url, context))
    elif scheme == "webdav":
        notes.append(_http(scheme, url, None))
    elif scheme == "smtp":
        notes.append(_smtp(host, port, context))
    return notes, days


def _tls(host: str, port: int, context: ssl.SSLContext) -> float | None:
    """Verify the server with the configured CA; the days its certificate has left."""
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
    expires = ssl.cert_time_to_seconds(str(peer["notAfter"])) if peer else None
    return None if expires is None else (expires - time.time()) / 86400


def _http(scheme: str, url: str, context: ssl.SSLContext | None) -> str:
    webdav = scheme in ("webdav", "webdavs")
    method, headers = ("PROPFIND", {"Depth": "0"}) if webdav else ("OPTIONS", {})
    try:
        answer = exchange(url, method, headers=headers, deadline=time.monotonic() + STEP_TIMEOUT,
                          context=context, limit=64 * 1024)  # fmt: skip
    except DeliveryError as err:
        raise _Failed(f"{method}: {err}", "is the inbox service itself up?") from err
    if answer.status in (401, 403):
        raise _Failed(
            f"{method}: HTTP {answer.status} (not allowed)",
            "check the credentials and the inbox's rights",
        )
    if answer.status >= 500 or (webdav and answer.status == 404):
        raise _Failed(
            f"{method}: HTTP {answer.status} {answer.reason}", "check the inbox path and its server"
        )
    return f"{method} HTTP {answer.status}"


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


def client_certificate_days(path: Path | None) -> float | None:
    """Days until the kiosk's own client certificate expires (None: none configured)."""
    if path is None:
        return None
    from cryptography import x509

    cert = x509.load_pem_x509_certificate(path.read_bytes())
    return (cert.not_valid_after_utc - datetime.now(UTC)).total_seconds() / 86400


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    except OSError as err:
        return f"unreadable ({err.strerror})"


# -- the test scan ---------------------------------------------------------------------

BLANK_MEAN = 200  # a page this bright on average (of 255) is a blank sheet
STREAK_STEP = 12  # a column this much darker or lighter than its neighbours is a streak


def _scan_test(station: Station) -> Iterator[Check]:
    """One sheet, in memory only: never routed, never delivered, never written to disk."""
    first: list[EncodedPage] = []

    def one_sheet(_number: int, page: EncodedPage) -> None:
        first.append(page)
        station.stop_scan()  # one sheet tells enough

    try:
        station.scan(station.scan_request(), one_sheet)
    except ScanStopped as stop:
        if stop.fault is not Fault.CANCELLED or not first:
            fix = "put one sheet in and try again; `kiosk devices` if the scanner is missing"
            why = f"scan stopped: {stop.fault.value} ({stop.detail})"
            yield Check("scan-test", Status.FAIL, why, fix)
            return
    except ScannerError as err:
        yield Check(
            "scan-test", Status.FAIL, f"scanner: {err.fault.value}", "see the scanner check"
        )
        return
    if not first:
        yield Check("scan-test", Status.FAIL, "no page came", "put one sheet in and try again")
        return
    yield _judge(first[0])


def _judge(page: EncodedPage) -> Check:
    import numpy as np

    from kiosk.services.pages.pageimage import to_image

    pixels = np.asarray(to_image(page).convert("L"), dtype=np.float32)
    mean = float(pixels.mean())
    detail = (
        f"1 page, {page.width}x{page.height} px at {page.dpi} dpi, {page.color_space}, "
        f"mean brightness {mean / 2.55:.0f} %"
    )
    if mean < BLANK_MEAN:
        return Check("scan-test", Status.PASS, detail + " (not blank: no streak check)")
    streaks = streak_columns(pixels)
    if streaks:
        where = ", ".join(f"{x * 100 // pixels.shape[1]} %" for x in streaks[:5])
        found = f"; streaks across the sheet at {where} of its width"
        return Check("scan-test", Status.WARN, detail + found, "clean the glass strip and rollers")
    return Check("scan-test", Status.PASS, detail + "; blank sheet: no streaks")


def streak_columns(pixels: object, bands: int = 8) -> list[int]:
    """Columns of a blank sheet that run darker (dirt on the glass strip) or lighter (a worn
    roller) than the columns around them from top to bottom: the first column of each run.
    A mark on the paper is in one place, a streak in (nearly) every band of the sheet."""
    import numpy as np

    grey = np.asarray(pixels, dtype=np.float32)
    height, width = grey.shape
    margin = max(width // 50, 2)  # the sheet's edges are not streaks
    kernel = np.ones(15) / 15
    odd_in = np.zeros(width, dtype=np.int32)
    for band in np.array_split(grey, bands, axis=0):
        columns = band.mean(axis=0)
        around = np.convolve(columns, kernel, mode="same")
        odd_in += np.abs(columns - around) > STREAK_STEP
    odd = odd_in >= bands * 3 // 4
    odd[:margin] = odd[-margin:] = False
    return [int(x) for x in np.flatnonzero(odd & ~np.roll(odd, 1))]
