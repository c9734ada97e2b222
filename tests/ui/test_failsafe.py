"""The failsafe screens: out of order when the scanner is missing, a calm error that clears
itself when something unexpected breaks. Never a traceback on screen."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from kiosk.app import build, embedded_config
from kiosk.core import events as ev
from kiosk.core.concerns import concern_by_key
from kiosk.core.records import replace
from kiosk.station import Station
from kiosk.ui.i18n.texts import Texts
from kiosk.ui.presenter.backend import KioskBackend
from kiosk.ui.screens.notices import OUT_OF_ORDER
from tests.ui.driver import Ui, make_backend


def no_traceback(ui: Ui) -> bool:
    return not any("Traceback" in t or "Error:" in t or "Exception" in t for t in ui.texts())


def test_a_missing_scanner_puts_the_kiosk_out_of_order_until_it_is_back(
    qtbot: QtBot, sane_config: Path, tmp_path: Path, catalogs: dict[str, Texts]
) -> None:
    backend = make_backend(sane_config, tmp_path, [])
    backend.station.device = "nosuch:0"  # unplugged
    ui = Ui(qtbot, backend, catalogs)
    try:
        assert ui.phase == "out_of_order"
        kiosk_id = backend.station.kiosk.config.kiosk_id
        assert kiosk_id and ui.shows(f"[scanner] · {kiosk_id}")  # staff: why, and which kiosk
        for language, texts in catalogs.items():  # every client can read why
            assert ui.shows(texts.gettext(OUT_OF_ORDER)), language
        ui.presenter.touched()
        assert ui.phase == "out_of_order"  # a touch does not bring it back
        assert no_traceback(ui)
        backend.station.device = "test:0"  # plugged in again
        ui.tick(31)  # the recheck while out of order
        ui.idle()
        assert ui.phase == "idle"
    finally:
        ui.close()


def test_an_unexpected_failure_shows_a_calm_message_that_clears_itself(
    qtbot: QtBot, sane_config: Path, tmp_path: Path, catalogs: dict[str, Texts]
) -> None:
    backend = make_backend(sane_config, tmp_path, [])

    def broken(*args: object) -> object:
        raise RuntimeError("disk controller on fire at 0xdeadbeef")

    backend.submit = broken  # type: ignore[method-assign]
    ui = Ui(qtbot, backend, catalogs)
    try:
        ui.presenter.code_read("12345BG0012345")  # a card on the start screen
        ui.idle()
        assert ui.phase == "confirm"
        for event in (
            ev.CaseConfirmed(at=ui.clock()),
            ev.ConcernChosen(at=ui.clock(), concern=concern_by_key("sick")),
            ev.ScanRequested(at=ui.clock()),
        ):
            ui.presenter.dispatch(event)
        ui.idle()
        assert ui.phase == "review"
        ui.presenter.dispatch(ev.SendRequested(at=ui.clock()))
        ui.idle()
        assert ui.phase == "error"
        assert no_traceback(ui) and not ui.shows("0xdeadbeef") and not ui.shows("12345")
        assert list(tmp_path.glob("*.pdf")) == []
        ui.tick(16)  # the error screen clears itself
        assert ui.phase == "idle"
    finally:
        ui.close()


def test_a_routing_table_that_can_never_deliver_puts_the_kiosk_out_of_order_with_a_reason(
    qtbot: QtBot, sane_config: Path, tmp_path: Path, catalogs: dict[str, Texts]
) -> None:
    # Taking documents that can never reach a team would be a promise the receipt breaks.
    table = tmp_path / "routing.toml"
    table.write_text('version = 1\ntriage = "webdav://127.0.0.1:1/inbox/"\n')  # not allowed
    config = embedded_config()
    config = replace(
        config,
        routing_table=table,
        scanner=replace(config.scanner, sane_config_dir=sane_config),
    )
    kiosk = build(config)
    assert kiosk.delivery_problem is not None and "allow_plaintext_webdav" in kiosk.delivery_problem
    backend = KioskBackend(Station(kiosk))
    ui = Ui(qtbot, backend, catalogs)
    try:
        assert ui.phase == "out_of_order" and ui.presenter.session.error == "delivery"
        assert ui.shows("[delivery]")  # for staff: the same code in every language
        assert "allow_plaintext_webdav" in (backend.staff_status().last_error or "")
        ui.tick(31)
        ui.idle()
        assert ui.phase == "out_of_order"  # until the table is fixed and the kiosk restarted
    finally:
        ui.close()
