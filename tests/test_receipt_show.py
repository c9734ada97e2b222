"""``kiosk receipt show``, ``kiosk outbox held|retry|report`` on a real submission (SANE's
test scanner, a folder inbox that is first missing, then mounted)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.exits import EXIT_INVALID_INPUT, EXIT_OK, EXIT_QUEUED

CASE = "12345BG0012345"


def kiosk(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def submit(capsys: pytest.CaptureFixture[str], inbox: Path) -> dict[str, object]:
    code, out, _err = kiosk(
        capsys,
        *("submit", "--case", CASE, "--concern", "sick", "--scanner", "test:0"),
        *("--source", "adf", "--inbox", inbox.as_uri() + "/", "--json"),
    )
    assert code == EXIT_QUEUED
    result: dict[str, object] = json.loads(out)
    return result


def test_did_it_arrive_follows_the_document_from_waiting_to_delivered(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, state_dir: Path
) -> None:
    inbox = tmp_path / "share"  # not mounted yet: the document waits on the kiosk
    receipt = submit(capsys, inbox)["receipt"]
    assert isinstance(receipt, dict)
    number = str(receipt["receipt_id"])
    code, out, _ = kiosk(capsys, "receipt", "show", number.lower().replace("-", " "))
    assert code == EXIT_OK and f"Receipt       {number}" in out and "waiting" in out
    assert "Pages         10" in out and "Concern       sick" in out
    inbox.mkdir()
    assert kiosk(capsys, "outbox", "flush")[0] == EXIT_OK
    code, out, _ = kiosk(capsys, "receipt", "show", number, "--json")
    shown = json.loads(out)
    assert code == EXIT_OK and shown["state"] == "delivered" and shown["delivered_at"]
    assert (shown["pages"], shown["concern"]) == (10, "sick")
    for path in (state_dir / "receipts").glob("*.json"):
        assert CASE not in path.read_text() and "2345" not in path.read_text()
    code, out, err = kiosk(capsys, "receipt", "show", "AAA-BBB-CCC")
    assert code == EXIT_INVALID_INPUT and "no receipt AAA-BBB-CCC on this kiosk" in err
    code, out, err = kiosk(capsys, "receipt", "show", "12345BG0012345")
    assert code == EXIT_INVALID_INPUT and "not a receipt number" in err
    code, out, _ = kiosk(capsys, "outbox", "report", "--json")
    report = json.loads(out)
    assert report["day"] == date.today().isoformat()
    assert report["total"] == {
        "team": "all", "documents": 1, "pages": 10, "delivered": 1, "waiting": 0, "held": 0
    }  # fmt: skip


def test_a_held_document_is_listed_sent_again_and_audited(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, state_dir: Path
) -> None:
    inbox = tmp_path / "share"
    item = str(submit(capsys, inbox)["outbox_item"])
    # What the outbox writes when an inbox refuses for good (an HTTP 403, say).
    status_file = state_dir / "outbox" / f"{item}.json"
    status = json.loads(status_file.read_text())
    status_file.write_text(json.dumps({**status, "state": "held", "last_error": "HTTP 403"}))
    code, out, _ = kiosk(capsys, "outbox", "held")
    assert code == EXIT_OK and item in out and "error class refused" in out
    assert CASE not in out and "HTTP 403" not in out
    code, out, _ = kiosk(capsys, "outbox", "report")
    assert "1 held or quarantined" in out
    inbox.mkdir()  # the fix
    code, out, _ = kiosk(capsys, "outbox", "retry", item)
    assert code == EXIT_OK and "delivered" in out and len(list(inbox.glob("*.pdf"))) == 1
    assert json.loads(kiosk(capsys, "outbox", "held", "--json")[1]) == []
    audit = (state_dir / "staff" / "audit.jsonl").read_text().splitlines()
    last = json.loads(audit[-1])
    assert last["event"] == "outbox.sent_again"
    assert last["change"] == {"item": item, "was": "held", "team": "explicit", "via": "cli"}
    assert kiosk(capsys, "staff", "audit", "--verify")[0] == EXIT_OK
