"""How ``kiosk submit`` tells the result: the receipt as text or JSON."""

from __future__ import annotations

import json

from msgspec.structs import asdict

from kiosk.cli.common import say
from kiosk.core.receipt import ReceiptStatus
from kiosk.services.submission import Outcome

RECEIPT_WORDS = {
    ReceiptStatus.DELIVERED: "delivered to the team's inbox",
    ReceiptStatus.QUEUED: "stored safely on the kiosk (encrypted); the delivery service keeps "
    "trying to reach the inbox, and holds it for staff if the inbox refuses it",
    ReceiptStatus.HELD: "stored safely on the kiosk (encrypted); the inbox cannot take it, "
    "staff will send it on (kiosk outbox list)",
}


def print_receipt(outcome: Outcome, as_json: bool) -> None:
    receipt = outcome.receipt
    if as_json:
        print(
            json.dumps(
                {
                    # The concern by its key, as scripts and the spool index name it.
                    "receipt": {**asdict(receipt), "concern": receipt.concern.key},
                    "status": receipt.status.value,
                    "delivered": receipt.delivered,
                    "pdf": outcome.delivery.where,
                    "team": outcome.route.team,
                    "routing_note": outcome.route.reason,
                    "outbox_item": outcome.delivery.item_id,
                    "error": outcome.delivery.error,
                },
                ensure_ascii=False,
            )
        )
        return
    status = RECEIPT_WORDS[receipt.status]
    print(
        "\n".join(
            [
                f"Receipt      {receipt.receipt_id}",
                f"Time         {receipt.created_at}",
                f"Concern      {receipt.concern.label}",
                f"Pages        {receipt.page_count}",
                f"Case number  {receipt.masked_case}",
                f"Status       {status}",
            ]
        )
    )
    if outcome.delivery.where:
        print(f"PDF          {outcome.delivery.where}")
    if outcome.delivery.error:
        what = "held for staff" if receipt.status is ReceiptStatus.HELD else "not yet delivered"
        say(f"{what}: {outcome.delivery.error}")
