"""Opaque customer-card tokens -> case numbers: the routing table first, then (optionally)
the job centre's lookup endpoint. A token never leaves the kiosk in a URL or a log."""

from __future__ import annotations

import json
import time

from kiosk.core.identity import CaseNumber, InvalidCaseNumber, parse_case_number
from kiosk.services.channels import DeliveryError, TlsSettings
from kiosk.services.channels.httpio import check_url, exchange, tls_context
from kiosk.services.routing.table import RoutingTable

LOOKUP_DEADLINE = 10.0  # the client is waiting at the screen


class TokenLookupError(Exception):
    """The lookup could not say (server down, bad answer): ask the client to type the number."""


def resolve_token(
    token: str,
    table: RoutingTable | None,
    lookup_url: str | None = None,
    tls: TlsSettings | None = None,
) -> CaseNumber | None:
    """The case behind ``token``, None when unknown (or revoked)."""
    case = table.case_for_token(token) if table is not None else None
    if case is not None or lookup_url is None:
        return case
    try:
        check_url(lookup_url)
        answer = exchange(  # POST: the token goes in the body, never into access logs
            lookup_url,
            "POST",
            body=json.dumps({"token": token}).encode(),
            headers={"Content-Type": "application/json"},
            deadline=time.monotonic() + LOOKUP_DEADLINE,
            context=tls_context(tls or TlsSettings()),
        )
    except DeliveryError as err:
        raise TokenLookupError(str(err)) from err
    if answer.status in (404, 410):
        return None
    if answer.status != 200:
        raise TokenLookupError(f"token lookup answered HTTP {answer.status}")
    try:
        return parse_case_number(str(json.loads(answer.body)["case"]))
    except (ValueError, KeyError, TypeError, InvalidCaseNumber) as err:
        raise TokenLookupError("token lookup gave no usable case number") from err
