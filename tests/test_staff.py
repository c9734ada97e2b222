"""Staff commands: kiosk outbox list/show/flush/retry and kiosk routing sync."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.cli import main
from tests.services.https_receiver import Receiver
from tests.tlsutil import Pki

CASE = "12345BG0012345"
ROOT = Path(__file__).resolve().parent.parent


def config(tmp_path: Path, pki: Pki, routing: str = "") -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(
        f'[kiosk]\nid = "staff-test"\n[scanner]\ndevice = "test:0"\n'
        f'sane_config_dir = "{ROOT / "drivers" / "scanner" / "sane_config"}"\n'
        f'[delivery]\nca_bundle = "{pki.ca_cert}"\nretry_base = 0.1\nretry_cap = 1\n{routing}'
    )
    return path


def submit(conf: Path, url: str) -> int:
    return main(
        [
            "submit",
            "--case",
            CASE,
            "--concern",
            "sick",
            "--config",
            str(conf),
            "--inbox",
            url,
            "--source",
            "flatbed",
        ]
    )


def test_a_queued_document_is_listed_without_the_case_and_flushed_later(
    tmp_path: Path, pki: Pki, receiver: Receiver, capsys: pytest.CaptureFixture[str]
) -> None:
    conf = config(tmp_path, pki)
    receiver.mode = "503"
    assert submit(conf, receiver.url) == 20  # stored, not yet delivered
    capsys.readouterr()
    assert main(["outbox", "list", "--json", "--config", str(conf)]) == 0
    out = capsys.readouterr().out
    (item,) = json.loads(out)
    assert item["state"] == "pending" and item["attempts"] == 1 and item["concern"] == "sick"
    assert item["masked_case"] == "12345BG•••2345" and CASE not in out
    assert main(["outbox", "show", item["item_id"], "--config", str(conf)]) == 0
    assert "HTTP 503" in capsys.readouterr().out
    assert main(["outbox", "flush", "--config", str(conf)]) == 20  # still failing
    receiver.mode = "ok"
    assert main(["outbox", "flush", "--config", str(conf)]) == 0
    assert "1 delivered, 0 still pending" in capsys.readouterr().out
    assert item["item_id"] in receiver.stored


def test_a_rejected_document_is_held_until_staff_retry_it(
    tmp_path: Path, pki: Pki, receiver: Receiver, capsys: pytest.CaptureFixture[str]
) -> None:
    conf = config(tmp_path, pki)
    receiver.mode = "400"
    assert submit(conf, receiver.url) == 21  # held: staff must look
    out = capsys.readouterr().out
    assert "staff will send it on" in out and "automatically" not in out  # only the truth
    assert main(["outbox", "flush", "--config", str(conf)]) == 21  # held: staff must look
    capsys.readouterr()
    main(["outbox", "list", "--json", "--config", str(conf)])
    (item,) = json.loads(capsys.readouterr().out)
    assert item["state"] == "held"
    receiver.mode = "ok"
    assert main(["outbox", "retry", item["item_id"], "--config", str(conf)]) == 0
    assert main(["outbox", "retry", "nosuchitem", "--config", str(conf)]) == 1


def test_routing_sync_swaps_in_a_valid_table_and_keeps_the_last_good_one(
    tmp_path: Path, pki: Pki, receiver: Receiver, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "routing.toml"
    table.write_text('triage = "file:///old/"\n')
    url = receiver.url.replace("/inbox/team-12", "/routing.toml")
    conf = config(tmp_path, pki, f'[routing]\ntable = "routing.toml"\nsync_url = "{url}"\n')
    receiver.routing = (b'triage = "file:///new/"\n[teams]\na = "file:///a/"\n', '"v1"')
    assert main(["routing", "sync", "--config", str(conf)]) == 0
    assert "file:///new/" in table.read_text()
    assert main(["routing", "sync", "--config", str(conf)]) == 0  # unchanged: 304
    assert (
        receiver.gets[-1].get("If-None-Match") == '"v1"' and "unchanged" in capsys.readouterr().out
    )
    receiver.routing = (b'triage = "http://plain/"\n', '"v2"')  # invalid: plain http
    assert main(["routing", "sync", "--config", str(conf)]) == 1
    assert "last good one stays" in capsys.readouterr().err
    assert "file:///new/" in table.read_text()
    assert [p.name for p in tmp_path.glob(".routing.toml.*")] == []  # no half files left


def test_outbox_finds_the_configuration_as_run_does_and_says_which(
    tmp_path: Path,
    pki: Pki,
    receiver: Receiver,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Spooled under a configuration with a private CA: a flush on the embedded defaults
    # would fail TLS on every try. Without --config, $KIOSK_CONFIG is the one used.
    conf = config(tmp_path, pki)
    receiver.mode = "503"
    assert submit(conf, receiver.url) == 20
    receiver.mode = "ok"
    capsys.readouterr()
    monkeypatch.setenv("KIOSK_CONFIG", str(conf))
    assert main(["outbox", "flush"]) == 0
    err = capsys.readouterr().err
    assert f"configuration: {conf} ($KIOSK_CONFIG)" in err
    monkeypatch.delenv("KIOSK_CONFIG")
    assert main(["outbox", "list"]) == 0
    assert "configuration: embedded defaults" in capsys.readouterr().err
