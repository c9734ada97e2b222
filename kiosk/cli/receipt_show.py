"""``kiosk receipt show ID``: "did it arrive?" from the receipt index (no case numbers)."""

from __future__ import annotations

import argparse
import json
import sys

from kiosk.cli.common import open_kiosk
from kiosk.exits import EXIT_INVALID_INPUT, EXIT_OK
from kiosk.services.receipt_index import ItemState, ReceiptRecord, iso_time, normalize_receipt_id

STATE_WORDS = {
    ItemState.DELIVERED: "delivered to the team's inbox",
    ItemState.WAITING: "waiting on the kiosk (encrypted); the delivery service keeps trying",
    ItemState.HELD: "held on the kiosk: the inbox refused it, staff send it again "
    "(kiosk outbox held)",
}


def run(args: argparse.Namespace) -> int:
    wanted = normalize_receipt_id(args.receipt)
    if wanted is None:
        print(
            f"{args.receipt!r} is not a receipt number (9 letters and digits, like K7M-4QX-9TB)",
            file=sys.stderr,
        )
        return EXIT_INVALID_INPUT
    index = open_kiosk(args.config, announce=True).kiosk.outbox.receipts
    record = index.find(wanted) if index is not None else None
    if record is None:
        print(
            f"no receipt {wanted} on this kiosk (kept {index.keep_days if index else 0} days; "
            "handed in at another kiosk?)",
            file=sys.stderr,
        )
        return EXIT_INVALID_INPUT
    print(json.dumps(record.to_json(), ensure_ascii=False) if args.json else describe(record))
    return EXIT_OK


def describe(record: ReceiptRecord) -> str:
    delivered = record.delivered_at
    lines = [
        f"Receipt       {record.receipt_id}",
        f"Handed in     {record.handed_in}",
        f"Pages         {record.pages}",
        f"Concern       {record.concern or '?'}",
        f"Team          {record.team or '?'}",
        f"Status        {STATE_WORDS[record.state]}",
        f"Delivered at  {iso_time(delivered) if delivered else '-'}",
    ]
    if len(record.items) > 1:
        lines.append(f"Parts         {len(record.items)}")
        lines += [f"  {i.item_id}  {i.state.value:<11} {i.pages or '?'} p." for i in record.items]
    return "\n".join(lines)
