"""``kiosk staff sync``: the office's list of revoked staff cards, fetched over verified TLS
from the HTTPS test server and applied to the real register; it only ever adds revocations,
and the kiosk sends nothing of its register or of a PIN."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.core.staff import CardRefused, Revoked
from kiosk.exits import EXIT_FAILED, EXIT_INVALID_INPUT, EXIT_OK
from kiosk.services.staff.audit import AuditLog
from kiosk.services.staff.login import StaffLogin
from kiosk.services.staff.register import BY_STAFF, TOO_MANY_FAILURES, Register, Revocation
from kiosk.services.staff.revocation_sync import BY_OFFICE, apply_revocations
from kiosk.services.staff.store import StaffFiles
from tests.services.https_receiver import Receiver
from tests.test_staff import config
from tests.tlsutil import Pki

PIN = "4711"


def enrol(
    conf: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> str:  # noqa: E501
    out = tmp_path / "card.pdf"
    args = ["staff", "add", "--name", "Erika Muster", "--role", "office", "--out", str(out)]
    assert main([*args, "--config", str(conf)]) == EXIT_OK
    capsys.readouterr()
    assert main(["staff", "list", "--json", "--config", str(conf)]) == EXIT_OK
    (card,) = json.loads(capsys.readouterr().out)["cards"]
    monkeypatch.setattr("sys.stdin", io.StringIO(PIN + "\n"))
    assert main(["staff", "pin", card["card_id"], "--pin-stdin", "--config", str(conf)]) == 0
    capsys.readouterr()
    return str(card["card_id"])


def test_a_card_on_the_offices_list_is_revoked_here_for_good(
    tmp_path: Path,
    pki: Pki,
    receiver: Receiver,
    state_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = receiver.url.replace("/inbox/team-12", "/staff/revoked.json")
    conf = config(tmp_path, pki, f'[staff]\nsync_url = "{url}"\n')
    card_id = enrol(conf, tmp_path, capsys, monkeypatch)
    files = StaffFiles(state_dir / "staff")
    login = StaffLogin(files, AuditLog(state_dir / "staff", "staff-test"))
    assert not isinstance(login.check_pin(card_id, PIN), CardRefused)  # works before
    listed = {"version": 1, "revoked": [card_id, "pbtnhcqz"]}
    receiver.routing = (json.dumps(listed).encode(), '"v1"')
    assert main(["staff", "sync", "--config", str(conf)]) == EXIT_OK
    assert "2 listed, 2 newly revoked" in capsys.readouterr().out
    register = Register.load(files)
    assert {k: r.reason for k, r in register.revoked.items()} == {
        card_id: "office",
        "pbtnhcqz": "office",
    }
    assert isinstance(login.check_pin(card_id, PIN), Revoked)
    # Asked with a plain GET: nothing of the register, the card or its PIN went out.
    (asked,) = receiver.gets
    assert PIN not in json.dumps(asked) and card_id not in json.dumps(asked)
    assert receiver.stored == {}
    audit = [json.loads(line) for line in (state_dir / "staff" / "audit.jsonl").open()]
    revoked = [line for line in audit if line["event"] == "staff.revoked"]
    # One event per card, in the list's sorted order (card ids are random).
    assert [(line["card"], line["change"]["revoked"]) for line in revoked] == sorted(
        [(card_id, "office"), ("pbtnhcqz", "office")]
    )
    assert main(["staff", "audit", "--verify", "--config", str(conf)]) == EXIT_OK
    capsys.readouterr()

    assert main(["staff", "sync", "--config", str(conf)]) == EXIT_OK  # 304
    assert "unchanged" in capsys.readouterr().out
    assert receiver.gets[-1].get("If-None-Match") == '"v1"'
    receiver.routing = (json.dumps({"version": 1, "revoked": []}).encode(), '"v2"')
    assert main(["staff", "sync", "--config", str(conf)]) == EXIT_OK
    assert card_id in Register.load(files).revoked  # off the list, still revoked here
    monkeypatch.setattr("sys.stdin", io.StringIO("8080\n"))
    code = main(["staff", "pin", card_id, "--pin-stdin", "--config", str(conf)])
    assert code == EXIT_INVALID_INPUT  # a new PIN does not lift the office's revocation


def test_an_invalid_or_unreachable_list_changes_nothing(
    tmp_path: Path,
    pki: Pki,
    receiver: Receiver,
    state_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = receiver.url.replace("/inbox/team-12", "/staff/revoked.json")
    conf = config(tmp_path, pki, f'[staff]\nsync_url = "{url}"\n')
    receiver.routing = (b'{"version": 1, "revoked": ["kmqxrtvw", "not a card id!"]}', '"x"')
    assert main(["staff", "sync", "--config", str(conf)]) == EXIT_FAILED
    assert "1 entries are not staff card ids" in capsys.readouterr().err
    assert not (state_dir / "staff" / "register.json").exists()
    receiver.routing = None  # 404
    assert main(["staff", "sync", "--config", str(conf)]) == EXIT_FAILED
    assert "HTTP 404" in capsys.readouterr().err


def test_without_a_sync_url_there_is_nothing_to_do(
    tmp_path: Path, pki: Pki, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["staff", "sync", "--config", str(config(tmp_path, pki))]) == EXIT_OK
    assert "sync_url is not set" in capsys.readouterr().out
    plain = config(tmp_path, pki, '[staff]\nsync_url = "http://office.local/revoked.json"\n')
    assert main(["config", "check", str(plain)]) != EXIT_OK


def test_a_card_the_hard_cap_revoked_becomes_the_offices(tmp_path: Path) -> None:
    files = StaffFiles(tmp_path / "staff")
    audit = AuditLog(tmp_path / "staff", "k-01")
    register = Register()
    register.revoked["kmqxrtvw"] = Revocation("2026-01-01T00:00:00Z", TOO_MANY_FAILURES)
    register.revoked["pbtnhcqz"] = Revocation("2026-01-01T00:00:00Z", BY_STAFF)
    with files.locked():
        register.save(files)
    newly = apply_revocations(["kmqxrtvw", "pbtnhcqz"], files, audit, 1_780_000_000.0)
    assert newly == ["kmqxrtvw"]  # a new PIN no longer lifts it; staff's own stays as it was
    reasons = {k: r.reason for k, r in Register.load(files).revoked.items()}
    assert reasons == {"kmqxrtvw": BY_OFFICE, "pbtnhcqz": BY_STAFF}
    assert audit.verify().intact and len(list(audit.records())) == 1
