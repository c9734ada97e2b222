"""`kiosk staff add|list|revoke|pin|audit` through the real CLI, and the card it prints
read back by the kiosk's own code path (Station.read_code, then the PIN)."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
from datetime import date
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.core import cards
from kiosk.core.card_signing import PREFIX_STAFF, sign
from kiosk.core.staff import CardAccepted, PinOk, Role
from kiosk.exits import EXIT_AUDIT_BROKEN, EXIT_INVALID_INPUT, EXIT_OK
from kiosk.station import open_station

KIOSK = Path(sys.executable).parent / "kiosk"
NAME = "Ottilie Kwiatkowska-Brandl"
PIN = "4711"


def run(capsys: pytest.CaptureFixture[str], *argv: str, stdin: str | None = None) -> str:
    """``kiosk staff ...`` in this process; its stdout (exit code asserted by the caller
    through ``run_rc``)."""
    rc = run_rc(capsys, *argv, stdin=stdin)
    assert rc == EXIT_OK, capsys.readouterr()
    return last_out


last_out = ""


def run_rc(capsys: pytest.CaptureFixture[str], *argv: str, stdin: str | None = None) -> int:
    global last_out
    old = sys.stdin
    try:
        if stdin is not None:
            sys.stdin = io.StringIO(stdin)
        rc = main(["staff", *argv])
    finally:
        sys.stdin = old
    last_out = capsys.readouterr().out
    return rc


def enrol(capsys: pytest.CaptureFixture[str], tmp_path: Path, role: str = "office") -> str:
    out = run(capsys, "add", "--name", NAME, "--role", role, "--out", str(tmp_path / "card.pdf"))
    return out.split()[2]  # "staff card <id> enrolled: ..."


def payload_of(state: Path, card_id: str) -> str:
    """The card's payload as the kiosk's key signs it (what its QR code holds)."""
    entry = json.loads((state / "staff" / "register.json").read_text())["cards"][card_id]
    key = (state / "keys" / "staff-card.key").read_bytes()
    return sign(PREFIX_STAFF, card_id, date.fromisoformat(entry["expires"]), key, entry["role"])


def test_a_card_from_staff_add_opens_staff_mode_only_with_its_pin(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, state_dir: Path
) -> None:
    card_id = enrol(capsys, tmp_path)
    key = state_dir / "keys" / "staff-card.key"
    assert key.stat().st_mode & 0o777 == 0o600 and len(key.read_bytes()) == 32
    payload = payload_of(state_dir, card_id)
    station = open_station(None)  # a restart: the new key is read
    assert station.read_code(payload).refused == cards.REASON_UNKNOWN_CARD  # no PIN yet
    run(capsys, "pin", card_id, "--pin-stdin", stdin=f"{PIN}\n")
    outcome = station.read_code(payload)
    assert outcome.staff and outcome.staff_card == CardAccepted(card_id, Role.OFFICE)
    login = station.staff_login
    assert login is not None and login.check_pin(card_id, PIN) == PinOk(card_id, Role.OFFICE)
    run(capsys, "revoke", card_id)
    assert station.read_code(payload).refused == cards.REASON_UNKNOWN_CARD
    assert not station.read_code(payload).staff


def test_the_printed_card_is_credit_card_sized_and_its_code_is_the_payload(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, state_dir: Path
) -> None:
    pypdf = pytest.importorskip("pypdf")
    card_id = enrol(capsys, tmp_path, "support")
    pdf = tmp_path / "card.pdf"
    assert pdf.stat().st_mode & 0o777 == 0o600
    box = pypdf.PdfReader(pdf).pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4, 1), round(float(box.height) / 72 * 25.4, 1)) == (
        85.6,
        54.0,
    )
    text = pypdf.PdfReader(pdf).pages[0].extract_text()
    assert NAME in text and card_id in text
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) renders the card to read its QR code")
    subprocess.run(["pdftoppm", "-r", "300", "-png", str(pdf), str(tmp_path / "card")], check=True)
    key = state_dir / "keys" / "staff-card.key"
    rc = main(["decode", "--json", "--staff-key", str(key), str(tmp_path / "card-1.png")])
    (found,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rc == EXIT_OK and payload_of(state_dir, card_id) in json.dumps(found)


def test_list_shows_names_here_only_and_pins_are_checked(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO")
    card_id = enrol(capsys, tmp_path)
    assert run_rc(capsys, "pin", card_id, "--pin-stdin", stdin="1234\n") == EXIT_INVALID_INPUT
    assert run_rc(capsys, "pin", "nosuchid", "--pin-stdin", stdin=f"{PIN}\n") == EXIT_INVALID_INPUT
    run(capsys, "pin", card_id, "--pin-stdin", stdin=f"{PIN}\n")
    listed = json.loads(run(capsys, "list", "--json"))
    (row,) = listed["cards"]
    assert (row["card_id"], row["name"], row["role"], row["state"]) == (
        card_id,
        NAME,
        "office",
        "active",
    )
    assert "pin" not in row and "$argon2" not in json.dumps(listed)
    assert card_id in caplog.text and NAME not in caplog.text and PIN not in caplog.text


def test_staff_pin_asks_twice_on_a_terminal(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, state_dir: Path
) -> None:
    card_id = enrol(capsys, tmp_path)
    assert on_a_terminal(state_dir, ["staff", "pin", card_id], [PIN, "2580"]) == EXIT_INVALID_INPUT
    assert on_a_terminal(state_dir, ["staff", "pin", card_id], [PIN, PIN]) == EXIT_OK
    register = json.loads((state_dir / "staff" / "register.json").read_text())
    assert register["cards"][card_id]["pin"].startswith("$argon2id$")


def on_a_terminal(state: Path, argv: list[str], typed: list[str]) -> int:
    """``kiosk ARGV`` with a pseudo-terminal as its controlling terminal (getpass reads
    /dev/tty); each of ``typed`` is written when the next prompt shows. The exit code."""
    import fcntl
    import select
    import termios

    main_fd, child_fd = os.openpty()

    def take_terminal() -> None:  # after setsid (start_new_session): the pty becomes /dev/tty
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    env = {**os.environ, "KIOSK_STATE_DIR": str(state)}
    output, answers = b"", list(typed)
    with subprocess.Popen(
        [str(KIOSK), *argv], stdin=child_fd, stdout=child_fd, stderr=child_fd, env=env,
        start_new_session=True, preexec_fn=take_terminal,
    ) as child:  # fmt: skip
        os.close(child_fd)
        while select.select([main_fd], [], [], 30)[0]:
            try:
                chunk = os.read(main_fd, 4096)
            except OSError:  # EIO: the child has closed the terminal
                break
            output += chunk
            if answers and output.endswith(b": "):  # a prompt waits (echo off now)
                os.write(main_fd, answers.pop(0).encode() + b"\n")
        child.kill()  # if it still waits: the assertions below say what was missing
        rc = child.wait(timeout=60)
    os.close(main_fd)
    assert output.count(b"PIN") >= 2 and PIN.encode() not in output, output  # asked, no echo
    return rc


def test_audit_verify_names_the_first_broken_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, state_dir: Path
) -> None:
    card_id = enrol(capsys, tmp_path)
    run(capsys, "pin", card_id, "--pin-stdin", stdin=f"{PIN}\n")
    run(capsys, "revoke", card_id)
    assert "intact: 3 line(s)" in run(capsys, "audit", "--verify")
    listing = run(capsys, "audit")
    assert "staff.enrolled" in listing and "staff.revoked" in listing and NAME not in listing
    audit = state_dir / "staff" / "audit.jsonl"
    lines = audit.read_text().splitlines()
    audit.write_text("\n".join([lines[0], lines[1].replace('"set"', '"changed"'), lines[2]]) + "\n")
    assert run_rc(capsys, "audit", "--verify") == EXIT_AUDIT_BROKEN
    assert "broken at line 2" in last_out
    audit.write_text("\n".join([lines[0], lines[2]]) + "\n")
    assert run_rc(capsys, "audit", "--verify", "--json") == EXIT_AUDIT_BROKEN
    assert json.loads(last_out)["broken"]["line"] == 2


def test_the_support_bundle_carries_the_audit_log_but_no_name(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, state_dir: Path
) -> None:
    enrol(capsys, tmp_path)
    out = tmp_path / "bundle.tar.gz"
    env = {**os.environ, "KIOSK_STATE_DIR": str(state_dir)}
    done = subprocess.run(
        [str(KIOSK), "support-bundle", "--out", str(out)], env=env, capture_output=True, timeout=120
    )
    assert done.returncode == EXIT_OK, done.stderr
    with tarfile.open(out) as bundle:
        members = {m.name.split("/", 1)[-1]: bundle.extractfile(m) for m in bundle.getmembers()}
        texts = {name: f.read().decode() for name, f in members.items() if f is not None}
    assert "staff.enrolled" in texts["staff-audit.jsonl"] and "staff-audit.head" in texts
    assert not any(NAME in text for text in texts.values())
