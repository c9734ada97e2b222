"""Pages kept after a scan stopped halfway (jam, open cover): encrypted, until resumed."""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from kiosk.core.identity import CaseKind, CaseNumber
from kiosk.services.pages.imaging import EncodedPage, PageReport
from kiosk.services.spool.framing import frame, unframe
from kiosk.services.spool.fsync import fsync_dir, write_atomic
from kiosk.services.spool.vault import Vault
from kiosk.services.statedir import private_dir

HeldBatch = tuple[CaseNumber, str, list[EncodedPage]]
_BATCH_ID = re.compile(r"[0-9a-f]{8,32}")


class HeldBatches:
    def __init__(self, directory: Path, vault: Vault) -> None:
        self.directory = private_dir(directory)
        self._vault = vault

    def _path(self, batch_id: str) -> Path:
        if not _BATCH_ID.fullmatch(batch_id):
            raise KeyError(batch_id)
        return self.directory / f"{batch_id}.held"

    def hold(
        self,
        case: CaseNumber,
        concern: str,
        pages: Sequence[EncodedPage],
        batch_id: str | None = None,
    ) -> str:
        batch_id = batch_id or secrets.token_hex(4)
        meta = [_meta(p) for p in pages]
        header = {"case": [case.kind.value, case.value], "concern": concern, "pages": meta}
        blob = self._vault.seal(frame(header, [p.data for p in pages]), batch_id.encode())
        write_atomic(self._path(batch_id), blob)
        return batch_id

    def take(self, batch_id: str) -> HeldBatch:
        path = self._path(batch_id)
        if not path.exists():
            raise KeyError(batch_id)
        header, parts = unframe(self._vault.open(path.read_bytes(), batch_id.encode()))
        kind, value = header["case"]
        pages = [_page(meta, data) for meta, data in zip(header["pages"], parts, strict=True)]
        return CaseNumber(CaseKind(kind), value), header["concern"], pages

    def discard(self, batch_id: str) -> None:
        self._path(batch_id).unlink(missing_ok=True)
        fsync_dir(self.directory)


def _meta(page: EncodedPage) -> dict[str, object]:
    meta = {k: v for k, v in asdict(page).items() if k not in ("data", "report")}
    if page.report is not None:
        meta["report"] = page.report.to_json()
    return meta


def _page(meta: dict[str, object], data: bytes) -> EncodedPage:
    fields = dict(meta)
    report = fields.pop("report", None)
    return EncodedPage(
        **fields,  # type: ignore[arg-type]
        data=data,
        report=PageReport.from_json(report) if isinstance(report, dict) else None,
    )
