"""Checks of the kiosk itself: identity, storage, outbox, its client certificate, the
receipt printer."""

from __future__ import annotations

import hashlib
import shutil
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from kiosk.diag.check import Check, Status
from kiosk.diag.network import CERT_WARN_DAYS
from kiosk.services.spool.outbox import HELD, PENDING, QUARANTINED
from kiosk.station import MIN_FREE_BYTES, Station, version

OLDEST_WARN = 15 * 60  # a document waiting longer is a warning (seconds)
CUPSD_CONF = Path("/etc/cups/cupsd.conf")


def identity(station: Station) -> Iterator[Check]:
    config = station.kiosk.config
    table = config.routing_table
    parts = [f"kiosk {config.kiosk_id}", f"version {version()}", f"config {station.origin}"]
    if table is not None:
        parts.append(f"routing table sha256 {_digest(table)}")
    yield Check("identity", Status.PASS, "; ".join(parts))


def storage(station: Station) -> Iterator[Check]:
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


def outbox(station: Station) -> Iterator[Check]:
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


def client_certificate(station: Station) -> Iterator[Check]:
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


def client_certificate_days(path: Path | None) -> float | None:
    """Days until the kiosk's own client certificate expires (None: none configured)."""
    expires = client_certificate_expiry(path)
    return None if expires is None else (expires - datetime.now(UTC).timestamp()) / 86400


def client_certificate_expiry(path: Path | None) -> float | None:
    """When the kiosk's own client certificate expires (epoch seconds; None: none)."""
    if path is None:
        return None
    from cryptography import x509

    return x509.load_pem_x509_certificate(path.read_bytes()).not_valid_after_utc.timestamp()


def printer(station: Station, cupsd_conf: Path | None = None) -> Iterator[Check]:
    """The receipt printer's queue, and whether CUPS keeps the printed files: a receipt
    holds the masked case number and the concern, and must not stay on the disk."""
    cupsd_conf = cupsd_conf or CUPSD_CONF
    queue = station.kiosk.receipt_printer
    if queue is None:
        return
    problem = queue.problem()
    if problem:
        yield Check("printer", Status.FAIL, f"{queue.name}: {problem}",
                    "load paper, or enable the queue (cupsenable, cupsaccept)")  # fmt: skip
    else:
        yield Check("printer", Status.PASS, f"{queue.name}: ready")
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


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    except OSError as err:
        return f"unreadable ({err.strerror})"
