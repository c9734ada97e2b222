"""Crash-safe, encrypted spool: a document is on disk before the client is told it is saved.

Every item is sealed with AES-GCM (the item id bound in) and written atomically; it is
removed only after its channel confirmed delivery. Nothing is ever deleted by age.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from kiosk.services.channels import DeliveryError, Parcel, channel_for
from kiosk.services.framing import FramingError, frame, unframe
from kiosk.services.fsync import fsync_dir, write_atomic
from kiosk.services.statedir import private_dir
from kiosk.services.vault import TamperedError, Vault

log = logging.getLogger(__name__)
_SUFFIX = ".item"


class SpoolError(Exception):
    """The spool cannot take the document (disk full, read-only...): refuse before scanning."""


@dataclass(frozen=True, slots=True)
class Delivery:
    item_id: str
    delivered: bool
    where: str | None = None  # where it landed, when delivered
    error: str | None = None  # why not yet, when queued


class Outbox:
    def __init__(self, directory: Path, vault: Vault) -> None:
        self.directory = private_dir(directory)
        self._vault = vault

    def _path(self, item_id: str) -> Path:
        if not item_id.isalnum():
            raise ValueError(f"bad item id {item_id!r}")
        return self.directory / (item_id + _SUFFIX)

    def put(self, parcel: Parcel, url: str) -> str:
        """Spool durably (encrypted, fsynced); returns the item id."""
        header = {"url": url, "file_stem": parcel.file_stem, "index": parcel.index}
        sealed = self._vault.seal(frame(header, [parcel.pdf]), parcel.document_id.encode())
        try:
            write_atomic(self._path(parcel.document_id), sealed, mode=0o600)
        except OSError as err:
            raise SpoolError(f"cannot store the document on the kiosk: {err.strerror}") from err
        return parcel.document_id

    def pending(self) -> list[str]:
        return sorted(p.name[: -len(_SUFFIX)] for p in self.directory.glob("*" + _SUFFIX))

    def load(self, item_id: str) -> tuple[Parcel, str]:
        blob = self._path(item_id).read_bytes()
        try:
            header, (pdf,) = unframe(self._vault.open(blob, item_id.encode()))
        except (TamperedError, FramingError, ValueError) as err:
            raise TamperedError(f"spool item {item_id} is unreadable: {err}") from err
        parcel = Parcel(item_id, header["file_stem"], pdf, header["index"])
        return parcel, header["url"]

    def deliver(self, item_id: str) -> Delivery:
        """Try to hand one item to its channel; keep it on any failure."""
        parcel, url = self.load(item_id)
        try:
            where = channel_for(url).deliver(parcel)
        except DeliveryError as err:
            log.warning(
                "delivery of %s failed (%s): %s",
                item_id,
                "permanent" if err.permanent else "will retry",
                err,
            )
            return Delivery(item_id, False, error=str(err))
        self._path(item_id).unlink()
        fsync_dir(self.directory)
        log.info("delivered %s", item_id)
        return Delivery(item_id, True, where=where)

    def free_bytes(self) -> int:
        stats = os.statvfs(self.directory)
        return stats.f_bavail * stats.f_frsize
