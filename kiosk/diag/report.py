"""The readiness report: one A4 page with the checks, their times and the kiosk id, for a
technician to take away (a USB stick) or leave on the kiosk (the state dir). Nothing of a
client is in it: the checks carry none.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from kiosk.diag.check import Check, Status

MEDIA_ROOTS = (Path("/media"), Path("/run/media"))  # where Debian mounts a USB stick
MOUNTS = Path("/proc/mounts")
_MARK = {Status.PASS: "PASS", Status.WARN: "WARN", Status.FAIL: "FAIL"}


def readiness_pdf(
    checks: Sequence[Check], kiosk_id: str, version: str, checked: datetime,
    scan: tuple[Check, datetime] | None = None,
) -> bytes:  # fmt: skip
    """The page as PDF bytes (reportlab, imported only here)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen.canvas import Canvas

    from kiosk.services.paper_layout import text_fonts

    regular, bold = text_fonts()
    out = io.BytesIO()
    pdf = Canvas(out, pagesize=A4, invariant=True)
    pdf.setTitle(f"Readiness report {kiosk_id}")
    pdf.setAuthor(f"jobcenter-kiosk {version}")
    width, height = A4
    left, y = 18 * mm, height - 20 * mm
    pdf.setFont(bold, 16)
    pdf.drawString(left, y, f"Readiness report: kiosk {kiosk_id}")
    y -= 8 * mm
    pdf.setFont(regular, 10)
    rows = list(checks)
    if scan is not None:
        rows.append(scan[0])
    worst = max((c.status for c in rows), key=list(Status).index, default=Status.PASS)
    counts = {s: sum(c.status is s for c in rows) for s in Status}
    summary = (
        f"version {version} - checked {checked:%Y-%m-%d %H:%M:%S %Z} - "
        f"{counts[Status.PASS]} pass, {counts[Status.WARN]} warn, {counts[Status.FAIL]} fail "
        f"- overall {_MARK[worst]}"
    )
    pdf.drawString(left, y, summary.replace("  ", " "))
    y -= 10 * mm
    text_width = width - left - 18 * mm - 48 * mm
    size = 9 if len(rows) <= 24 else 7.5  # one page, however many inboxes
    for check in rows:
        lines = simpleSplit(check.detail, regular, size, text_width)
        if check.fix:
            lines += simpleSplit(f"-> {check.fix}", regular, size, text_width)
        pdf.setFont(bold, size)
        pdf.drawString(left, y, _MARK[check.status])
        pdf.drawString(left + 12 * mm, y, check.id[:28])
        pdf.setFont(regular, size)
        for line in lines:
            pdf.drawString(left + 48 * mm, y, line)
            y -= size * 1.3
        y -= size * 0.5
        if y < 20 * mm:
            pdf.drawString(left, y, "(more checks than fit one page: see `kiosk diag`)")
            break
    if scan is not None:
        pdf.setFont(regular, 8)
        pdf.drawString(left, 14 * mm, f"test scan at {scan[1]:%Y-%m-%d %H:%M:%S %Z}")
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def report_dir(state: Path, mounts: Path = MOUNTS, roots: Sequence[Path] = MEDIA_ROOTS) -> Path:
    """A writable USB stick where one is mounted (under /media or /run/media), else the
    state dir's reports/."""
    try:
        lines = mounts.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        lines = []
    for line in lines:
        fields = line.split()
        if len(fields) < 4:
            continue
        point = Path(fields[1].replace("\\040", " "))
        options = fields[3].split(",")
        under = any(point.is_relative_to(root) and point != root for root in roots)
        if under and "rw" in options and point.is_dir() and os.access(point, os.W_OK):
            return point
    return state / "reports"


def save_report(pdf: bytes, directory: Path, kiosk_id: str, checked: datetime) -> Path:
    """Written whole or not at all (a temporary file, fsync, rename)."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"readiness-{kiosk_id}-{checked:%Y%m%d-%H%M%S}.pdf"
    fd, temporary = tempfile.mkstemp(dir=directory, prefix=".readiness-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(pdf)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
