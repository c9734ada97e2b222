"""Out of order with a notice, through the real presenter, session and station: staff pick
a notice, the kiosk is out of order once staff mode closes (the notice in all five
languages), a health check does not end it, a restart keeps it, and staff put the kiosk
back in service; each step is in the audit log."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.core.staff import Role
from kiosk.services import out_of_order
from kiosk.ui.i18n.texts import Texts
from kiosk.ui.screens.notices import OutOfOrderScreen
from tests.ui.driver import Ui
from tests.ui.test_cards import with_staff_key
from tests.ui.test_staff_mode import WAIT, audit, log_in

REPAIR = out_of_order.NOTICES["repair"]


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    path = tmp_path / "inbox"
    path.mkdir()
    return path


def test_staff_put_the_kiosk_out_of_order_with_a_notice_that_a_restart_keeps(
    qtbot: QtBot, sane_config: Path, inbox: Path, catalogs: dict[str, Texts]
) -> None:
    backend = with_staff_key(sane_config, inbox)
    ui, card = log_in(qtbot, backend, catalogs, Role.OFFICE)
    try:
        ui.press("Out of order")
        assert ui.shows("In service: clients can use the kiosk.")
        ui.press(REPAIR)
        ui.press("Put out of order")
        qtbot.waitUntil(lambda: ui.shows("Out of order since"), timeout=WAIT)
        assert ui.phase == "staff"  # staff see their own screen until they close it
        line = audit(backend, qtbot, "staff.out_of_order")[-1]
        assert (line["card"], line["role"], line["change"]) == (
            card, "office", {"notice": "repair", "before": "in service"})  # fmt: skip
        ui.press("Back")
        ui.press("Close staff mode")
        assert ui.phase == "out_of_order"
        screen = ui.window.current
        assert isinstance(screen, OutOfOrderScreen)
        shown = {language: line.text() for language, line in screen.lines.items()}
        for language, text in shown.items():
            assert catalogs[language].gettext(REPAIR) in text
        assert shown["de"] != REPAIR and shown["ar"] != REPAIR  # translated, not the msgid
        assert ui.shows("[staff]")
        ui.presenter.check_health()  # the scanner works: the notice stays all the same
        ui.idle()
        assert ui.phase == "out_of_order"
    finally:
        ui.close()
    again = Ui(qtbot, backend, catalogs)  # the kiosk program restarted
    try:
        assert again.phase == "out_of_order"
        again.idle()
        assert again.phase == "out_of_order" and again.presenter.view().notice == REPAIR
    finally:
        again.close()


def test_staff_put_the_kiosk_back_in_service(
    qtbot: QtBot, sane_config: Path, inbox: Path, catalogs: dict[str, Texts]
) -> None:
    backend = with_staff_key(sane_config, inbox)
    state = backend.station.kiosk.state
    out_of_order.put(out_of_order.path_in(state), "maintenance", "2025-03-14T08:58:00Z", "x")
    ui, card = log_in(qtbot, backend, catalogs, Role.OFFICE)  # shown on the out-of-order screen
    try:
        ui.press("Out of order")
        assert ui.shows("Out of order since 14.03.2025")
        ui.press("Back in service")
        qtbot.waitUntil(lambda: ui.shows("In service: clients can use the kiosk."), timeout=WAIT)
        assert not out_of_order.path_in(state).exists()
        line = audit(backend, qtbot, "staff.back_in_service")[-1]
        assert (line["card"], line["change"]) == (card, {"notice": "maintenance"})
        ui.press("Back")
        ui.press("Close staff mode")
        ui.idle()
        assert ui.phase == "idle"
    finally:
        ui.close()


def test_a_notice_file_that_does_not_read_keeps_the_kiosk_out_of_order(tmp_path: Path) -> None:
    path = out_of_order.path_in(tmp_path)
    assert out_of_order.load(path) is None
    path.write_text("{not json")
    kept = out_of_order.load(path)
    assert kept is not None and kept.notice == out_of_order.FIRST
    with pytest.raises(ValueError):
        out_of_order.put(path, "no-such-notice", "", "x")
    out_of_order.put(path, "letterbox", "2025-03-14T08:58:00Z", "card-1")
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    found = out_of_order.load(path)
    assert found is not None and found.text == out_of_order.NOTICES["letterbox"]
