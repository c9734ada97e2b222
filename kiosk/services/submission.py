"""From scanned pages to a spooled, routed document and the client's receipt."""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
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
    delivery: Delivery  # the worst of ``deliveries`` (the first of equals): what the receipt says
    route: Route
    deliveries: tuple[Delivery, ...] = field(default=())  # one per part, in order


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
    part: int = 1,
    parts: int = 1,
    first_page: int = 1,
) -> Parcel:
    """One PDF/A document (or part ``part`` of ``parts``, its first page being page
    ``first_page`` of the whole) with its sidecar index."""
    # pikepdf (40-90 ms to import) only once a client sends: not on the kiosk's start.
    from kiosk.services.pages.pdf import DocumentInfo, build_pdf

    info = DocumentInfo(
        concern.title_de, case.value, concern.key, kiosk_id, receipt_id, scanned_at, part, parts
    )
    pdf = build_pdf(pages, info)
    stamp = scanned_at.strftime("%Y%m%d-%H%M%S")
    document_id = secrets.token_hex(16)
    index: dict[str, object] = {
        "document_id": document_id,  # the idempotency key, also the spool item id
        "receipt_id": receipt_id,  # the same for every part of one submission
        "case_number": case.value,
        "case_kind": case.kind.value,
        "concern": concern.key,
        "concern_title": concern.title_de,
        "team": route.team,
        "routing_note": route.reason,
        "pages": len(pages),  # in this document (this part)
        "scanned_at": scanned_at.isoformat(timespec="seconds"),
        "kiosk_id": kiosk_id,
        # what the page pipeline decided, page by page (None: it did not run)
        "page_reports": [page.report.to_json() if page.report else None for page in pages],
    }
    stem = f"{stamp}_{receipt_id}_{concern.key}"
    if parts > 1:
        index |= {"part": part, "parts": parts, "first_page": first_page}
        stem += f"_teil-{part}-von-{parts}"
    return Parcel(document_id, stem, pdf, index)


def make_parcels(
    case: CaseNumber,
    concern: Concern,
    pages: Sequence[EncodedPage],
    *,
    kiosk_id: str,
    route: Route,
    receipt_id: str,
    scanned_at: datetime,
) -> list[Parcel]:
    """One parcel, or numbered parts when the document is more than the route's inbox
    takes (``Route.max_bytes``), each part within it."""
    from kiosk.services.parts import split, wire_bytes

    def build(chosen: Sequence[EncodedPage], part: int, parts: int, first: int) -> Parcel:
        return make_parcel(
            case, concern, chosen, kiosk_id=kiosk_id, route=route, receipt_id=receipt_id,
            scanned_at=scanned_at, part=part, parts=parts, first_page=first,
        )  # fmt: skip

    result = split(pages, build, lambda parcel: wire_bytes(parcel, route.url), route.max_bytes)
    if len(result.parcels) > 1:
        log.info(
            "document of %d pages sent in %d parts for the inbox limit of %d bytes (team %s)",
            len(pages), len(result.parcels), route.max_bytes, route.team,
        )  # fmt: skip
    for number in result.shrunk:
        log.warning("page %d encoded again smaller to fit the inbox limit", number)
    for number in result.oversize:
        log.error(
            "page %d alone is more than the inbox limit of %d bytes (team %s); sent alone",
            number, route.max_bytes, route.team,
        )  # fmt: skip
    return result.parcels


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
    """Build the PDF (or its parts), spool it durably, then try to deliver it once now.

    Spooling comes first: when this returns, the document is safe on disk even if the
    inbox is down; the receipt says whether it is delivered, queued or held for staff.
    Every part is spooled before any is delivered.
    """
    receipt_id = new_receipt_id()
    parcels = make_parcels(
        case,
        concern,
        pages,
        kiosk_id=kiosk_id,
        route=route,
        receipt_id=receipt_id,
        scanned_at=scanned_at,
    )
    items = []
    for parcel in parcels:
        item_id = outbox.put(parcel, route.url, team=route.team, masked_case=case.masked())
        items.append(item_id)
        emit(
            log,
            "submission.spooled",
            item=item_id,
            case_tag=pseudonym(case, pseudonym_key),
            pages=parcel.index["pages"],
            concern=concern.key,
            team=route.team,
        )
    # Spooled: delivery reads each document from the outbox, the PDFs built here go now
    # (with the copy delivery reads, two of a 34 MB document at once, not three; issue 15).
    if parcels:
        del parcel
    del parcels
    # Waits if the background worker picked a new item up first: the receipt must say
    # how it went, not "being delivered".
    deliveries = tuple(outbox.deliver(item_id, wait=True) for item_id in items)
    worst = worst_of(deliveries)
    receipt = Receipt(
        receipt_id=receipt_id,
        created_at=scanned_at.isoformat(timespec="seconds"),
        concern=concern,
        page_count=len(pages),
        masked_case=case.masked(),
        status=receipt_status(worst),
    )
    return Outcome(receipt, worst, route, deliveries)


_RANK = {ReceiptStatus.DELIVERED: 0, ReceiptStatus.QUEUED: 1, ReceiptStatus.HELD: 2}


def worst_of(deliveries: Sequence[Delivery]) -> Delivery:
    """The part whose state the receipt must say: held before queued before delivered;
    the first of equals."""
    return max(deliveries, key=lambda delivery: _RANK[receipt_status(delivery)])


def receipt_status(delivery: Delivery) -> ReceiptStatus:
    """What the client may be told: delivered, queued (a retry can succeed and runs by
    itself), or held (only staff can send it on)."""
    if delivery.delivered or delivery.state is DeliveryState.GONE:  # gone: another worker
        return ReceiptStatus.DELIVERED
    if delivery.state is DeliveryState.PENDING:
        return ReceiptStatus.QUEUED
    return ReceiptStatus.HELD
