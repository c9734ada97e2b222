"""A receipt for paper, already in words: one part per language, and the paper it goes on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Paper = Literal["80mm", "a4"]


class ReceiptLayoutError(Exception):
    """The receipt cannot be laid out here (no font): a staff problem, not the client's."""


@dataclass(frozen=True)
class Part:
    """The receipt in one language: its words are already translated and filled."""

    language: str
    rtl: bool
    title: str
    rows: tuple[tuple[str, str], ...]  # (label, value)
    notes: tuple[str, ...]  # paragraphs: the delivery status, the hint for objections


@dataclass(frozen=True)
class Printout:
    receipt_id: str  # printed large and as a QR code, in no language
    parts: tuple[Part, ...]
