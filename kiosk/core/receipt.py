"""The receipt a client takes home: what was handed in, when, and whether it is delivered."""

from __future__ import annotations

from enum import StrEnum

from msgspec import Struct

from kiosk.core.concerns import Concern

# Crockford's base-32 alphabet: no I, L, O or U, so a receipt number read out over the
# phone cannot be confused (1/I/L, 0/O).
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECEIPT_ID_LENGTH = 9


def receipt_id_from(entropy: bytes) -> str:
    """Turn random bytes into a receipt number like ``K7M-4QX-9TB`` (45 bits)."""
    if len(entropy) < 6:
        raise ValueError("receipt ids need at least 6 random bytes")
    number = int.from_bytes(entropy[:6], "big")
    chars = []
    for _ in range(RECEIPT_ID_LENGTH):
        number, digit = divmod(number, 32)
        chars.append(_ALPHABET[digit])
    text = "".join(chars)
    return f"{text[0:3]}-{text[3:6]}-{text[6:9]}"


def is_receipt_id(text: str) -> bool:
    parts = text.split("-")
    return (
        len(parts) == 3
        and all(len(p) == 3 for p in parts)
        and all(c in _ALPHABET for c in "".join(parts))
    )


class ReceiptStatus(StrEnum):
    """What the receipt may truthfully say about the document's way to the team."""

    DELIVERED = "delivered"  # the team's inbox confirmed it
    QUEUED = "queued"  # stored encrypted; a later attempt can succeed and runs by itself
    HELD = "held"  # stored encrypted; the inbox refused it for good: staff send it on


class Receipt(Struct, frozen=True):
    """What the client sees at the end; never holds the case number in clear."""

    receipt_id: str
    created_at: str  # ISO 8601 with offset, local time of the kiosk
    concern: Concern
    page_count: int
    masked_case: str
    status: ReceiptStatus

    @property
    def delivered(self) -> bool:
        return self.status is ReceiptStatus.DELIVERED
