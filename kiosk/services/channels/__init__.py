"""Delivery channels: one module per inbox URL scheme, chosen by ``channel_for``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit


@dataclass(frozen=True, slots=True)
class Parcel:
    """One document ready for an inbox: the PDF and the index record that goes with it."""

    document_id: str  # stable idempotency key (hex); also names the spool item
    file_stem: str  # e.g. "20261121-153012_K7M-4QX-9TB_sick": nothing a client typed
    pdf: bytes
    index: dict[str, Any] = field(default_factory=dict)  # the sidecar's fields

    def __repr__(self) -> str:  # the index holds the case number: keep it out of logs
        return f"Parcel({self.document_id}, {len(self.pdf)} B)"


class DeliveryError(Exception):
    """Delivery failed. ``permanent``: retrying will not help (staff must look)."""

    def __init__(self, message: str, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class Channel(Protocol):
    def deliver(self, parcel: Parcel) -> str:
        """Hand the parcel over exactly once; return where it landed. Raises DeliveryError."""
        ...


def channel_for(url: str) -> Channel:
    scheme = urlsplit(url).scheme
    if scheme == "file":
        from kiosk.services.channels.folder import FolderChannel

        return FolderChannel(url)
    raise DeliveryError(f"no channel for {scheme}:// inboxes in this version", permanent=True)
