"""An enrolled staff card opens staff mode only with its PIN, typed on the kiosk's keypad
(the real presenter, station, register and Argon2id): a wrong PIN says how many tries are
left, enough wrong ones lock it, a revoked card is refused; the digits are never shown."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.core.staff import Role
from kiosk.services.staff.enrolment import Enrolment
from kiosk.ui.i18n.texts import Texts
from tests.ui.driver import Ui
from tests.ui.test_cards import STAFF_KEY, with_staff_key

WAIT = 30_000
PIN = "2580"


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    path = tmp_path / "inbox"
    path.mkdir()
    return path


def enrolled(backend: object) -> tuple[Enrolment, str, str]:
    login = backend.station.kiosk.staff  # type: ignore[attr-defined]
    enrolment = Enrolment(login.files, login.audit)
    issued = enrolment.add(
        "Erika Muster", Role.OFFICE, date.today() + timedelta(days=30), STAFF_KEY
    )
    enrolment.set_pin(issued.card.card_id, PIN)
    return enrolment, issued.card.card_id, issued.payload


def type_pin(ui: Ui, pin: str) -> None:
    for digit in pin:
        ui.press(digit)


def test_an_enrolled_card_opens_staff_mode_only_with_its_pin(
    qtbot: QtBot, sane_config: Path, inbox: Path, catalogs: dict[str, Texts]
) -> None:
    backend = with_staff_key(sane_config, inbox)
    _, card_id, payload = enrolled(backend)
    ui = Ui(qtbot, backend, catalogs)
    try:
        ui.presenter.code_read(payload)  # at the start screen, in its language (German)
        qtbot.waitUntil(lambda: ui.presenter.staff_pin.shown is not None, timeout=WAIT)
        assert ui.window.stack.currentWidget() is ui.window.screens["staff-pin"]
        assert ui.phase != "staff"
        type_pin(ui, "1111")
        screen = ui.window.screens["staff-pin"]
        assert screen.dots.text() == "••••" and "1" not in " ".join(ui.texts())  # type: ignore[attr-defined]
        ui.press("Personal-Modus öffnen")
        qtbot.waitUntil(lambda: ui.shows("Versuche bis zu einer Pause"), timeout=WAIT)
        shown = ui.presenter.staff_pin.shown
        assert ui.phase != "staff" and shown is not None and shown.count == 4  # 5 free tries
        assert ui.shows("Falsche PIN. Versuche bis zu einer Pause: 4")
        type_pin(ui, PIN)
        ui.press("Personal-Modus öffnen")
        qtbot.waitUntil(lambda: ui.phase == "staff", timeout=WAIT)
        assert ui.presenter.staff_pin.shown is None
        assert ui.presenter.view().pin_entry is None
        audit = (backend.station.kiosk.state / "staff" / "audit.jsonl").read_text()
        events = [json.loads(line)["event"] for line in audit.splitlines()]
        assert events[-2:] == ["staff.pin_wrong", "staff.login"], events
        assert PIN not in audit and "Erika" not in audit
    finally:
        ui.close()


def test_wrong_pins_lock_the_card_and_a_revoked_card_is_refused(
    qtbot: QtBot, sane_config: Path, inbox: Path, catalogs: dict[str, Texts]
) -> None:
    backend = with_staff_key(sane_config, inbox)
    enrolment, card_id, payload = enrolled(backend)
    ui = Ui(qtbot, backend, catalogs)
    try:
        ui.presenter.code_read(payload)
        qtbot.waitUntil(lambda: ui.presenter.staff_pin.shown is not None, timeout=WAIT)
        for _ in range(5):
            type_pin(ui, "1111")
            ui.press("Personal-Modus öffnen")
            qtbot.waitUntil(lambda: not ui.presenter.staff_pin.shown.busy, timeout=WAIT)  # type: ignore[union-attr]
        assert ui.shows("Zu viele falsche PINs. Bitte versuchen Sie es um")
        type_pin(ui, PIN)  # the right PIN, but locked: not even checked
        ui.press("Personal-Modus öffnen")
        qtbot.waitUntil(lambda: not ui.presenter.staff_pin.shown.busy, timeout=WAIT)  # type: ignore[union-attr]
        assert ui.phase != "staff"
        ui.press("Zurück")
        assert ui.presenter.staff_pin.shown is None and ui.phase in ("idle", "language")
        enrolment.revoke(card_id)
        ui.presenter.code_read(payload)
        ui.idle()
        assert ui.presenter.staff_pin.shown is None and ui.phase != "staff"  # refused at once
    finally:
        ui.close()


def test_the_pin_page_closes_by_itself_and_forgets_the_digits(
    qtbot: QtBot, sane_config: Path, inbox: Path, catalogs: dict[str, Texts]
) -> None:
    backend = with_staff_key(sane_config, inbox)
    _, _, payload = enrolled(backend)
    ui = Ui(qtbot, backend, catalogs)
    try:
        ui.presenter.code_read(payload)
        qtbot.waitUntil(lambda: ui.presenter.staff_pin.shown is not None, timeout=WAIT)
        type_pin(ui, "25")
        ui.tick(61)
        assert ui.presenter.staff_pin.shown is None
        assert ui.presenter.staff_pin._digits == ""  # noqa: SLF001 - nothing of it kept
    finally:
        ui.close()
