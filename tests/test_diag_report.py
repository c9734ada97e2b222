"""The readiness report: one A4 page with every check, its time and the kiosk id, written
whole to a mounted USB stick or else the state dir."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from pypdf import PdfReader

from kiosk.diag import Check, Status
from kiosk.diag.report import readiness_pdf, report_dir, save_report

WHEN = datetime(2026, 12, 1, 14, 2, 11, tzinfo=UTC)
CHECKS = [
    Check("storage", Status.PASS, "/var/lib/kiosk: 48210 MB free"),
    Check("delivery:leistung-1", Status.FAIL, "webdavs://dms2.jobcenter.local: TCP refused",
          "is the inbox server running?"),
    Check("events", Status.WARN, "2 errors in 24 h: delivery.failed ×2"),
]  # fmt: skip


def test_the_report_is_one_page_with_every_check_and_the_test_scan(tmp_path: Path) -> None:
    scan = (Check("scan-test", Status.PASS, "1 page, 2480x3508 px"), WHEN)
    path = tmp_path / "r.pdf"
    path.write_bytes(readiness_pdf(CHECKS, "duesseldorf-mitte-01", "0.1.0", WHEN, scan))
    reader = PdfReader(path)
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Readiness report: kiosk duesseldorf-mitte-01" in text
    assert "2 pass, 1 warn, 1 fail - overall FAIL" in text  # the test scan counts too
    assert "2026-12-01 14:02:11 UTC" in text and "test scan at 2026-12-01 14:02:11" in text
    for check in [*CHECKS, scan[0]]:
        assert check.id in text and check.detail.split(":")[0] in text
    assert "-> is the inbox server running?" in text
    assert "×2" in text  # the text font has the sign (Noto Sans, not a base-14 font)


def test_many_inboxes_still_make_one_page(tmp_path: Path) -> None:
    many = [Check(f"delivery:team-{n}", Status.PASS, "folder writable " * 12) for n in range(60)]
    path = tmp_path / "r.pdf"
    path.write_bytes(readiness_pdf(many, "k", "0.1.0", WHEN))
    reader = PdfReader(path)
    assert len(reader.pages) == 1
    assert "more checks than fit one page" in reader.pages[0].extract_text()


def mounts(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "mounts"
    path.write_text("".join(line + "\n" for line in lines))
    return path


def test_a_writable_usb_stick_gets_the_report_else_the_state_dir(tmp_path: Path) -> None:
    media = tmp_path / "media"
    stick = media / "kiosk" / "USB STICK"
    stick.mkdir(parents=True)
    state = tmp_path / "state"
    listed = f"/dev/sdb1 {str(stick).replace(' ', chr(92) + '040')} vfat rw,nosuid 0 0"
    assert report_dir(state, mounts(tmp_path, "proc /proc proc rw 0 0", listed), [media]) == stick
    read_only = listed.replace(" rw,", " ro,")
    assert report_dir(state, mounts(tmp_path, read_only), [media]) == state / "reports"
    assert report_dir(state, tmp_path / "no-such-mounts", [media]) == state / "reports"
    root_itself = f"/dev/sdb1 {media} vfat rw 0 0"  # /media itself is not a stick
    assert report_dir(state, mounts(tmp_path, root_itself), [media]) == state / "reports"


def test_the_report_is_written_whole_and_readable(tmp_path: Path) -> None:
    target = save_report(b"%PDF-1.4 test", tmp_path / "reports", "k-01", WHEN)
    assert target.name == "readiness-k-01-20261201-140211.pdf"
    assert target.read_bytes() == b"%PDF-1.4 test"
    assert target.stat().st_mode & 0o777 == 0o644
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temporary left
