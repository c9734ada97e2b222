"""What every delivery channel shares: the parcel, its sidecar, errors, settings, the protocol."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class Parcel:
    """One document ready for an inbox: the PDF and the index record that goes with it."""

    document_id: str  # stable idempotency key (hex); also names the spool item
    file_stem: str  # e.g. "20261121-153012_K7M-4QX-9TB_sick": nothing a client typed
    pdf: bytes
    index: dict[str, Any] = field(default_factory=dict)  # the sidecar's fields

    def __repr__(self) -> str:  # the index holds the case number: keep it out of logs
        return f"Parcel({self.document_id}, {len(self.pdf)} B)"


SIDECAR_SCHEMA = "jobcenter-scan-kiosk/1"


def sidecar(parcel: Parcel, pdf_file: str | None = None) -> dict[str, Any]:
    """The index record a document system imports with the PDF (same for every channel)."""
    return {
        "schema": SIDECAR_SCHEMA,
        **parcel.index,
        "pdf_file": pdf_file or f"{parcel.file_stem}.pdf",
        "sha256": hashlib.sha256(parcel.pdf).hexdigest(),
        "bytes": len(parcel.pdf),
    }


def sidecar_json(parcel: Parcel) -> bytes:
    return json.dumps(sidecar(parcel), ensure_ascii=False, indent=2, sort_keys=True).encode()


class DeliveryError(Exception):
    """Delivery failed.

    ``permanent``: retrying will not help (a 4xx rejection, a size limit): staff must look.
    ``retry_after``: seconds the server asked us to wait (unclamped; the outbox clamps).
    """

    def __init__(
        self, message: str, permanent: bool = False, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class TlsSettings:
    """TLS for every network channel. Verification cannot be switched off: there is no
    setting for it. A private CA bundle and a client certificate (mTLS) are optional."""

    ca_bundle: Path | None = None  # None: the system's trust store
    client_cert: Path | None = None
    client_key: Path | None = None


@dataclass(frozen=True, slots=True)
class ChannelSettings:
    tls: TlsSettings = TlsSettings()
    # https://: "multipart" (file part + JSON metadata part) or "put" (raw PDF, metadata
    # in X-Kiosk-* headers, to <url>/<file stem>.pdf)
    https_request: str = "multipart"
    bearer_token: str | None = None  # read from a token file by the composition root
    # webdav:// (no TLS) and smtp:// without STARTTLS are refused unless allowed here.
    allow_plaintext_webdav: bool = False
    allow_plaintext_smtp: bool = False
    smtp_sender: str = "scan-kiosk@localhost"
    kiosk_id: str = "kiosk"


class Channel(Protocol):
    def deliver(self, parcel: Parcel, deadline: float) -> str:
        """Hand the parcel over; return where it landed. Raises DeliveryError.

        ``deadline`` is a ``time.monotonic()`` value: the whole attempt (connect, upload,
        answer) must end by then. Delivering the same parcel again must not store it twice
        (idempotency key, or a check of what is already there).
        """
        ...
