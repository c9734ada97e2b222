"""Fetching the routing table from the office: conditional GET, validate, swap atomically.

An invalid or unreachable new table never replaces the last good one.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from pathlib import Path

from kiosk.services.channels import DeliveryError, TlsSettings
from kiosk.services.channels.address import STRICT, InboxPolicy, https_url_problem
from kiosk.services.channels.httpio import exchange, tls_context
from kiosk.services.routing.table import load_routing
from kiosk.services.spool.fsync import fsync_dir, write_atomic
from kiosk.services.tomlfile import InvalidFile

SYNC_DEADLINE = 60.0


class SyncError(Exception):
    """The table was not updated; the message says why (for staff and field support)."""


def _state_path(table: Path) -> Path:
    return table.with_name(table.name + ".sync.json")


def sync_routing(url: str, table: Path, tls: TlsSettings, policy: InboxPolicy = STRICT) -> str:
    """Fetch ``url`` into ``table`` if it changed; returns a one-line summary. The new table
    must pass what the kiosk enforces at start (``policy``: its [delivery] allowances)."""
    if (problem := https_url_problem(url)) is not None:
        raise SyncError(f"[routing] sync_url {problem}")
    state_path = _state_path(table)
    try:
        state = json.loads(state_path.read_text())
    except (FileNotFoundError, ValueError):
        state = {}
    headers = {}
    if table.exists() and state.get("etag"):
        headers["If-None-Match"] = state["etag"]
    if table.exists() and state.get("last_modified"):
        headers["If-Modified-Since"] = state["last_modified"]
    try:
        answer = exchange(
            url,
            "GET",
            headers=headers,
            context=tls_context(tls),
            deadline=time.monotonic() + SYNC_DEADLINE,
        )
    except DeliveryError as err:
        raise SyncError(f"cannot fetch {url}: {err}") from err
    if answer.status == 304:
        return f"routing table unchanged ({table})"
    if answer.status != 200:
        raise SyncError(f"{url} answered HTTP {answer.status}")
    candidate = table.with_name(f".{table.name}.{secrets.token_hex(4)}.new")
    write_atomic(candidate, answer.body, mode=0o644)
    try:
        new = load_routing(candidate, policy)
    except InvalidFile as err:
        candidate.unlink(missing_ok=True)
        problems = "; ".join(str(p) for p in err.problems)
        raise SyncError(f"the new table from {url} is invalid: {problems}") from err
    os.replace(candidate, table)
    fsync_dir(table.parent)
    write_atomic(
        state_path,
        json.dumps(
            {
                "etag": answer.headers.get("etag"),
                "last_modified": answer.headers.get("last-modified"),
                "fetched": time.time(),
            }
        ).encode(),
        mode=0o644,
    )
    return f"routing table updated from {url}: {len(new.teams)} teams, {len(new.rules)} rules"
