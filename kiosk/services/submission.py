"""From scanned pages to a spooled, routed document and the client's receipt."""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from kiosk.core.concerns import Concern
from kiosk.core.identity import CaseNumber, pseudonym
from kiosk.core.log_events import emit
from kiosk.core.receipt import Receipt, ReceiptStatus, receipt_id_from
from kiosk.services.channels import Parcel
from kiosk.services.pages.imaging import EncodedPage
from kiosk.services.routing.table import Route
from kiosk.services.spool.outbox import Delivery, DeliveryState, Outbox

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Outcome:
    receipt: Receipt
    delivery: Delivery
    route: Route


def new_receipt_id() -> str:
    return receipt_id_from(os.urandom(6))


def make_parcel(
    case: CaseNumber,
    concern: Concern,
    pages: Sequence[EncodedPage],
    *,
    kiosk_id: str,
    route: Route,
    receipt_id: str,
    scanned_at: datetime,
) -> Parcel:
    # reportlab (about 14 ms to import) only once a client sends: not on the kiosk's start.
    from kiosk.services.pages.pdf import DocumentInfo, build_pdf

    info = DocumentInfo(concern.title_de, case.value, concern.key, kiosk_id, receipt_id, scanned_at)
    pdf = build_pdf(pages, info)
    stamp = scanned_at.strftime("%Y%m%d-%H%M%S")
    document_id = secrets.token_hex(16)
    index = {
        "document_id": document_id,  # the idempotency key, also the spool item id
        "receipt_id": receipt_id,
        "case_number": case.value,
        "case_kind": case.kind.value,
        "concern": concern.key,
        "concern_title": concern.title_de,
        "team": route.team,
        "routing_note": route.reason,
        "pages": len(pages),
        "scanned_at": scanned_at.isoformat(timespec="seconds"),
        "kiosk_id": kiosk_id,
    }
    return Parcel(document_id, f"{stamp}_{receipt_id}_{concern.key}", pdf, index)


def submit(
    outbox: Outbox,
    case: CaseNumber,
    concern: Concern,
    pages: Sequence[EncodedPage],
    *,
    kiosk_id: str,
    route: Route,
    scanned_at: datetime,
    pseudonym_key: bytes,
) -> Outcome:
    """Build the PDF, spool it durably, then try to deliver it once right away.

    Spooling comes first: when this returns, the document is safe on disk even if the
    inbox is down; the receipt says whether it is delivered, queued or held for staff.
    """
    receipt_id = new_receipt_id()
    parcel = make_parcel(
        case,
        concern,
        pages,
        kiosk_id=kiosk_id,
        route=route,
        receipt_id=receipt_id,
        scanned_at=scanned_at,
    )
    item_id = outbox.put(parcel, route.url, team=route.team, masked_case=case.masked())
    emit(
        log,
        "submission.spooled",
        item=item_id,
        case_tag=pseudonym(case, pseudonym_key),
        pages=len(pages),
        concern=concern.key,
        team=route.team,
    )
    # Waits if the background worker picked the new item up first: the receipt must say
    # how it went, not "being delivered".
    delivery = outbox.deliver(item_id, wait=True)
    receipt = Receipt(
        receipt_id=receipt_id,
        created_at=scanned_at.isoformat(timespec="seconds"),
        concern=concern,
        page_count=len(pages),
        masked_case=case.masked(),
        status=receipt_status(delivery),
    )
    return Outcome(receipt, delivery, route)


def receipt_status(delivery: Delivery) -> ReceiptStatus:
    """What the client may be told: delivered, queued (a retry can succeed and runs by
    itself), or held (only staff can send it on)."""
    if delivery.delivered or delivery.state is DeliveryState.GONE:  # gone: another worker
        return ReceiptStatus.DELIVERED
    if delivery.state is DeliveryState.PENDING:
        return ReceiptStatus.QUEUED
    return ReceiptStatus.HELD
