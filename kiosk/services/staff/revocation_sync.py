"""The office's list of revoked staff cards, fetched like the routing table and applied to
the local register (``[staff] sync_url``).

The kiosk only asks (a conditional HTTPS GET over the verified TLS of [delivery]); it sends
nothing of its register, and nothing of a PIN ever leaves it. The list is JSON::

    {"version": 1, "revoked": ["kmqxrtvw", "pbtnhcqz"]}

An unreachable or invalid list changes nothing. A list only ever adds revocations: a card
it names is revoked here for good (``office``; also a card never enrolled here, so it cannot
open staff mode alone), and a card it no longer names stays revoked: re-enrol it instead.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from pathlib import Path

from kiosk.core.log_events import emit
from kiosk.core.staff import CARD_ID
from kiosk.services.channels import DeliveryError, TlsSettings
from kiosk.services.channels.address import https_url_problem
from kiosk.services.channels.httpio import exchange, tls_context
from kiosk.services.spool.fsync import write_atomic
from kiosk.services.staff.audit import AuditLog, utc_stamp
from kiosk.services.staff.register import TOO_MANY_FAILURES, Register, Revocation
from kiosk.services.staff.store import StaffFiles
from kiosk.services.staff.throttle import Throttle

log = logging.getLogger(__name__)
BY_OFFICE = "office"  # revoked by the office's list
STATE = "revocations.sync.json"  # its ETag / Last-Modified, beside the register
SYNC_DEADLINE = 60.0
MAX_LIST_BYTES = 1 << 20


class RevocationSyncError(Exception):
    """The list was not applied; the message says why (for field support)."""


def parse_revocations(body: bytes) -> list[str]:
    """The card ids of the office's list; RevocationSyncError for anything else."""
    try:
        data = json.loads(body)
    except ValueError as err:
        raise RevocationSyncError(f"not JSON: {err}") from None
    if not isinstance(data, dict) or data.get("version") != 1:
        raise RevocationSyncError('expected a JSON object with "version": 1')
    revoked = data.get("revoked")
    if not isinstance(revoked, list):
        raise RevocationSyncError('"revoked" must be a list of card ids')
    bad = [item for item in revoked if not (isinstance(item, str) and CARD_ID.fullmatch(item))]
    if bad:
        raise RevocationSyncError(f"{len(bad)} entries are not staff card ids")
    return sorted(set(revoked))


def sync_revocations(
    url: str,
    files: StaffFiles,
    audit: AuditLog,
    tls: TlsSettings,
    *,
    clock: Callable[[], float] = time.time,
) -> str:
    """Fetch the list if it changed and revoke what it names; a one-line summary."""
    if (problem := https_url_problem(url)) is not None:
        raise RevocationSyncError(f"[staff] sync_url {problem}")
    state_path = files.path(STATE)
    state = _read_state(state_path)
    headers = {}
    if state.get("etag"):
        headers["If-None-Match"] = str(state["etag"])
    if state.get("last_modified"):
        headers["If-Modified-Since"] = str(state["last_modified"])
    try:
        answer = exchange(
            url,
            "GET",
            headers=headers,
            context=tls_context(tls),
            deadline=time.monotonic() + SYNC_DEADLINE,
            limit=MAX_LIST_BYTES,
        )
    except DeliveryError as err:
        raise RevocationSyncError(f"cannot fetch {url}: {err}") from err
    if answer.status == 304:
        return "staff revocation list unchanged"
    if answer.status != 200:
        raise RevocationSyncError(f"{url} answered HTTP {answer.status}")
    try:
        listed = parse_revocations(answer.body)
    except RevocationSyncError as err:
        raise RevocationSyncError(f"the list from {url} is invalid: {err}") from None
    newly = apply_revocations(listed, files, audit, clock())
    write_atomic(
        state_path,
        json.dumps(
            {
                "etag": answer.headers.get("etag"),
                "last_modified": answer.headers.get("last-modified"),
                "fetched": clock(),
            }
        ).encode(),
        mode=0o600,
    )
    emit(log, "staff.revocations_synced", count=len(newly))
    return f"staff revocation list from {url}: {len(listed)} listed, {len(newly)} newly revoked"


def apply_revocations(
    listed: list[str], files: StaffFiles, audit: AuditLog, now: float
) -> list[str]:
    """Revoke every listed card not yet revoked for good here; returns those (audited).

    A card the hard cap revoked (which a new PIN would lift) becomes the office's: only a
    new enrolment brings it back."""
    newly: list[str] = []
    with files.locked():
        register = Register.load(files)
        for card_id in listed:
            before = register.revoked.get(card_id)
            if before is not None and before.reason != TOO_MANY_FAILURES:
                continue
            register.revoked[card_id] = Revocation(utc_stamp(now), BY_OFFICE)
            newly.append(card_id)
        if not newly:
            return newly
        register.save(files)
        throttle = Throttle.load(files)
        for card_id in newly:
            throttle.forget(card_id)
        throttle.save(files)
        for card_id in newly:
            card = register.cards.get(card_id)
            role = card.role.value if card else None
            emit(log, "staff.revoked", card=card_id)
            change = {"revoked": BY_OFFICE, "enrolled": "yes" if card else "no"}
            audit.append("staff.revoked", now, card_id, role, change)
    return newly


def _read_state(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text())
    except (FileNotFoundError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
