"""Staff login on real files and real Argon2id, on a fake clock: card, then PIN, throttled."""

from __future__ import annotations

import json
import logging
from datetime import date, timedelta
from pathlib import Path

import pytest

from kiosk.core import cards
from kiosk.core.card_signing import PREFIX_STAFF, sign
from kiosk.core.staff import (
    HARD_CAP,
    CardAccepted,
    CardRefused,
    LockedOut,
    PinOk,
    PinWrong,
    Revoked,
    Role,
)
from kiosk.services.staff.audit import AuditLog
from kiosk.services.staff.enrolment import Enrolment, EnrolmentError
from kiosk.services.staff.login import StaffLogin
from kiosk.services.staff.store import StaffFiles

KEY = b"k" * 32
PIN = "4711"
NAME = "Wilhelmine Brandtner"


class Clock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class Kiosk:
    """One kiosk's staff files; ``restart`` makes new objects over the same files."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.clock = Clock()
        self.restart()

    def restart(self) -> None:
        files, audit = StaffFiles(self.directory), AuditLog(self.directory, "k-01")
        self.login = StaffLogin(files, audit, self.clock)
        self.enrolment = Enrolment(files, audit, self.clock)

    def enrol(self, role: Role = Role.OFFICE, pin: str | None = PIN) -> tuple[str, str]:
        expires = date.fromtimestamp(self.clock.now) + timedelta(days=30)
        issued = self.enrolment.add(NAME, role, expires, KEY)
        if pin is not None:
            self.enrolment.set_pin(issued.card.card_id, pin)
        return issued.card.card_id, issued.payload

    def read(self, payload: str) -> CardAccepted | CardRefused:
        today = date.fromtimestamp(self.clock.now)
        return self.login.card_read(cards.read_card(payload, cards.CardRules(staff_key=KEY), today))

    def audit_events(self) -> list[str]:
        return [r["event"] for r in self.login.audit.records()]


@pytest.fixture
def kiosk(tmp_path: Path) -> Kiosk:
    return Kiosk(tmp_path / "staff")


def test_an_enrolled_card_opens_with_its_pin_only(kiosk: Kiosk) -> None:
    card_id, payload = kiosk.enrol(Role.SUPPORT)
    assert kiosk.read(payload) == CardAccepted(card_id, Role.SUPPORT, pin_required=True)
    assert kiosk.login.check_pin(card_id, "0815") == PinWrong(attempts_left=4)
    assert kiosk.login.check_pin(card_id, PIN) == PinOk(card_id, Role.SUPPORT)
    assert kiosk.login.check_pin(card_id, "0815") == PinWrong(attempts_left=4)  # counted anew


def test_wrong_pins_lock_out_doubling_from_15_s_and_survive_a_restart(kiosk: Kiosk) -> None:
    card_id, _ = kiosk.enrol()
    clock = kiosk.clock
    left = [kiosk.login.check_pin(card_id, "0815") for _ in range(4)]
    assert left == [PinWrong(4), PinWrong(3), PinWrong(2), PinWrong(1)]
    assert kiosk.login.check_pin(card_id, "0815") == LockedOut(clock.now + 15)
    kiosk.restart()  # the kiosk program restarts: the lockout stays
    assert kiosk.login.check_pin(card_id, PIN) == LockedOut(clock.now + 15)  # not even checked
    clock.now += 15
    assert kiosk.login.check_pin(card_id, "0815") == LockedOut(clock.now + 30)
    clock.now += 29
    kiosk.restart()
    assert kiosk.login.check_pin(card_id, PIN) == LockedOut(clock.now + 1)
    clock.now += 1
    assert kiosk.login.check_pin(card_id, "0815") == LockedOut(clock.now + 60)
    clock.now += 60
    assert kiosk.login.check_pin(card_id, PIN) == PinOk(card_id, Role.OFFICE)
    events = kiosk.audit_events()
    assert events.count("staff.pin_wrong") == 4 and events.count("staff.locked_out") == 3
    assert events.count("staff.login_locked") == 2 and events[-1] == "staff.login"


def test_the_lockout_is_per_kiosk_too_so_another_card_does_not_help(kiosk: Kiosk) -> None:
    first, _ = kiosk.enrol()
    second, payload = kiosk.enrol()
    for _ in range(4):
        kiosk.login.check_pin(first, "0815")
    assert kiosk.login.check_pin(second, "0815") == LockedOut(kiosk.clock.now + 15)
    accepted = kiosk.read(payload)
    assert isinstance(accepted, CardAccepted) and accepted.locked_until == kiosk.clock.now + 15
    kiosk.clock.now += 15
    assert kiosk.login.check_pin(first, PIN) == PinOk(first, Role.OFFICE)  # clears the kiosk


def test_the_hard_cap_revokes_the_card_until_it_gets_a_new_pin(kiosk: Kiosk) -> None:
    card_id, payload = kiosk.enrol()
    throttle = kiosk.directory / "throttle.json"
    state = json.loads(throttle.read_text())  # 49 wrong PINs so far (as persisted), unlocked
    state["cards"] = {card_id: {"failures": HARD_CAP - 1, "locked_until": 0.0}}
    throttle.write_text(json.dumps(state))
    assert kiosk.login.check_pin(card_id, "0815") == Revoked()
    assert kiosk.login.check_pin(card_id, PIN) == Revoked()  # the right PIN no longer helps
    assert kiosk.read(payload) == CardRefused("revoked")
    assert kiosk.enrolment.set_pin(card_id, "2580") is True  # enrolled again
    assert kiosk.read(payload) == CardAccepted(card_id, Role.OFFICE)
    assert kiosk.login.check_pin(card_id, "2580") == PinOk(card_id, Role.OFFICE)
    assert "staff.revoked_hard_cap" in kiosk.audit_events()


def test_a_revoked_card_is_refused_for_good(kiosk: Kiosk) -> None:
    card_id, payload = kiosk.enrol()
    kiosk.enrolment.revoke(card_id)
    assert kiosk.read(payload) == CardRefused("revoked")
    assert kiosk.login.check_pin(card_id, PIN) == Revoked()
    with pytest.raises(EnrolmentError, match="revoked"):
        kiosk.enrolment.set_pin(card_id, "2580")


def test_unknown_no_pin_and_role_mismatch_are_refused_once_anyone_is_enrolled(
    kiosk: Kiosk,
) -> None:
    today = date.fromtimestamp(kiosk.clock.now)
    legacy = sign(PREFIX_STAFF, "field-support-7", today, KEY)
    assert kiosk.read(legacy) == CardAccepted("field-support-7", None, pin_required=False)
    card_id, payload = kiosk.enrol(pin=None)
    assert kiosk.read(legacy) == CardRefused("unknown")
    assert kiosk.read(payload) == CardRefused("no-pin")
    kiosk.enrolment.set_pin(card_id, PIN)
    forged_role = sign(PREFIX_STAFF, card_id, today + timedelta(days=30), KEY, role="support")
    assert kiosk.read(forged_role) == CardRefused("role-mismatch")  # signed, but not as enrolled


def test_without_enrolment_a_card_alone_opens_but_a_revoked_one_does_not(kiosk: Kiosk) -> None:
    today = date.fromtimestamp(kiosk.clock.now)
    legacy = sign(PREFIX_STAFF, "field-support-7", today, KEY)
    assert not kiosk.login.pin_required()
    kiosk.enrolment.revoke("field-support-7")  # a lost card of the first form
    assert kiosk.read(legacy) == CardRefused("revoked")
    assert not kiosk.login.pin_required()  # revoking enrols nobody


def test_a_damaged_register_refuses_every_card_and_is_not_overwritten(kiosk: Kiosk) -> None:
    card_id, payload = kiosk.enrol()
    register = kiosk.directory / "register.json"
    register.write_text("{ torn")
    assert kiosk.read(payload) == CardRefused("unreadable")
    assert kiosk.login.check_pin(card_id, PIN) == CardRefused("unreadable")
    assert register.read_text() == "{ torn"


def test_logs_audit_and_files_hold_no_pin_and_the_name_only_in_the_register(
    kiosk: Kiosk, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    card_id, payload = kiosk.enrol()
    kiosk.read(payload)
    kiosk.login.check_pin(card_id, "0815")
    kiosk.login.check_pin(card_id, PIN)
    assert card_id in caplog.text and NAME not in caplog.text and PIN not in caplog.text
    for path in kiosk.directory.iterdir():
        text = path.read_text()
        assert PIN not in text and "0815" not in text and payload not in text, path
        assert (NAME in text) is (path.name == "register.json"), path
        assert path.stat().st_mode & 0o077 == 0, path
    pin_hash = json.loads((kiosk.directory / "register.json").read_text())["cards"][card_id]
    assert pin_hash["pin"].startswith("$argon2id$v=19$m=65536,t=3,p=4$")  # parameters recorded
