"""The staff audit log's hash chain: an edited, deleted or cut-off line is found."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.services.staff.audit import GENESIS, AuditLog, digest


@pytest.fixture
def audit(tmp_path: Path) -> AuditLog:
    log = AuditLog(tmp_path / "staff", "k-01")
    for n in range(5):
        log.append("staff.pin_wrong", 1_800_000_000.0 + n, "kmqxrtvw", "office", {"failures": n})
    return log


def lines(audit: AuditLog) -> list[bytes]:
    return audit.path.read_bytes().splitlines()


def test_each_line_carries_the_hash_of_the_one_before(audit: AuditLog) -> None:
    raw = lines(audit)
    assert raw[0].count(GENESIS.encode()) == 1
    assert all(
        digest(before) in after.decode() for before, after in zip(raw, raw[1:], strict=False)
    )
    result = audit.verify()
    assert result.intact and result.lines == 5
    first = next(audit.records())
    assert first == {
        "seq": 1, "time": "2027-01-15T08:00:00Z", "event": "staff.pin_wrong", "kiosk": "k-01",
        "card": "kmqxrtvw", "role": "office", "change": {"failures": 0}, "prev": GENESIS,
    }  # fmt: skip


def test_an_edited_line_is_named(audit: AuditLog) -> None:
    raw = lines(audit)
    raw[2] = raw[2].replace(b'"role":"office"', b'"role":"support"')
    audit.path.write_bytes(b"\n".join(raw) + b"\n")
    broken = audit.verify().broken
    assert broken is not None and broken.line == 3 and "edited" in broken.why


def test_an_edited_last_line_is_found_through_the_head(audit: AuditLog) -> None:
    raw = lines(audit)
    raw[4] = raw[4].replace(b'"failures":4', b'"failures":1')
    audit.path.write_bytes(b"\n".join(raw) + b"\n")
    broken = audit.verify().broken
    assert broken is not None and broken.line == 5 and "edited" in broken.why


@pytest.mark.parametrize(("gone", "named"), [(0, 1), (2, 3)])
def test_a_deleted_line_is_found(audit: AuditLog, gone: int, named: int) -> None:
    raw = lines(audit)
    del raw[gone]
    audit.path.write_bytes(b"\n".join(raw) + b"\n")
    broken = audit.verify().broken
    assert broken is not None and broken.line == named and "deleted" in broken.why


def test_lines_cut_off_at_the_end_are_found(audit: AuditLog) -> None:
    audit.path.write_bytes(b"\n".join(lines(audit)[:3]) + b"\n")
    broken = audit.verify().broken
    assert broken is not None and broken.line == 4 and "missing at the end" in broken.why


def test_a_torn_last_line_is_named_and_the_next_line_stays_a_line(audit: AuditLog) -> None:
    with audit.path.open("ab") as handle:
        handle.write(b'{"seq":6,"ti')  # power lost mid-write
    audit.append("staff.login", 1_800_000_100.0, "kmqxrtvw", "office")
    assert len(lines(audit)) == 7
    broken = audit.verify().broken
    assert broken is not None and broken.line == 6


def test_an_empty_log_is_intact(tmp_path: Path) -> None:
    result = AuditLog(tmp_path / "staff", "k-01").verify()
    assert result.intact and result.lines == 0
