"""file:// inboxes (a hot folder, local or an SMB mount): PDF plus a JSON sidecar."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from kiosk.services.channels.base import DeliveryError, Parcel, sidecar_json
from kiosk.services.spool.fsync import write_atomic


class FolderChannel:
    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise DeliveryError(f"not a local file URL: {url}", permanent=True)
        self.directory = Path(unquote(parts.path))

    def deliver(self, parcel: Parcel, deadline: float = float("inf")) -> str:
        del deadline  # local writes either finish or fail; nothing to wait for
        if not self.directory.is_dir():
            # A missing mount point must not be "fixed" by writing onto the local disk.
            raise DeliveryError(f"inbox folder {self.directory} is not there (mount missing?)")
        pdf_path = self._inside(parcel.file_stem + ".pdf")
        sidecar_path = self._inside(parcel.file_stem + ".json")
        digest = hashlib.sha256(parcel.pdf).hexdigest()
        try:
            # PDF first, sidecar last: an importer that waits for the sidecar never sees a
            # half document. A retry after a crash finds its own files and goes on.
            self._place(pdf_path, parcel.pdf, digest)
            body = sidecar_json(parcel)
            self._place(sidecar_path, body, hashlib.sha256(body).hexdigest())
        except OSError as err:
            raise DeliveryError(f"cannot write to {self.directory}: {err.strerror}") from err
        return str(pdf_path)

    def _inside(self, name: str) -> Path:
        if "/" in name or "\x00" in name or name.startswith("."):
            raise DeliveryError(f"unsafe file name {name!r}", permanent=True)
        return self.directory / name

    @staticmethod
    def _place(path: Path, data: bytes, digest: str) -> None:
        try:
            write_atomic(path, data, mode=0o640, exclusive=True)
        except FileExistsError:
            if hashlib.sha256(path.read_bytes()).hexdigest() != digest:
                raise DeliveryError(
                    f"{path.name} exists with other content", permanent=True
                ) from None
        # group-readable for the document system's import user; umask may narrow it
        os.chmod(path, 0o640)
