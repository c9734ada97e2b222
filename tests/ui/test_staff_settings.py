"""The settings page through the real presenter, station and session: each setting applies
to the running kiosk (the next client's language, speech and timeouts; the scanner's
mode and source, down to the delivered PDF), is written to the override file and the
audit log; a setting the central configuration locks cannot be changed; a broken
override file is shown and ignored."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication
from pytestqt.qtbot import QtBot

from drivers.scanner.protocol import ColorMode, Source
from kiosk.core.records import replace
from kiosk.core.session import Phase
from kiosk.core.staff import Role
from kiosk.services import local_settings
from kiosk.ui.i18n.texts import Texts
from kiosk.ui.presenter import intents as do
from tests.ui.driver import Ui
from tests.ui.test_cards import with_staff_key
from tests.ui.test_staff_mode import WAIT, audit, log_in


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    path = tmp_path / "inbox"
    path.mkdir()
    return path


def choose(ui: Ui, qtbot: QtBot, words: str) -> None:
    """Press a choice on the page (not the header's language of the staff member's own
    screen) and wait until it is written and applied."""
    QApplication.processEvents()
    found = [
        b
        for b in ui.window.current.findChildren(QAbstractButton)
        if b.isVisible() and b.accessibleName() == words
    ]
    qtbot.mouseClick(found[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not ui.presenter.desk.settings.shown.busy, timeout=WAIT)  # type: ignore[union-attr]


def test_each_setting_applies_to_the_running_kiosk_and_is_audited(
    qtbot: QtBot, sane_config: Path, inbox: Path, catalogs: dict[str, Texts]
) -> None:
    backend = with_staff_key(sane_config, inbox)
    ui, card = log_in(qtbot, backend, catalogs, Role.OFFICE)
    state = backend.station.kiosk.state
    try:
        ui.press("Settings")
        qtbot.waitUntil(lambda: ui.shows("Start language"), timeout=WAIT)
        choose(ui, qtbot, "Українська")
        choose(ui, qtbot, "Black and white")
        choose(ui, qtbot, "On")  # duplex: the first "On" on the page
        ui.window.intent.emit(do.ChangeSetting("speech", "true"))
        qtbot.waitUntil(lambda: not ui.presenter.desk.settings.shown.busy, timeout=WAIT)  # type: ignore[union-attr]
        choose(ui, qtbot, "60\u00a0s")
        written = tomllib.loads(local_settings.path_in(state).read_text())
        assert written == {
            "language": "uk", "scan_mode": "bw", "duplex": True, "speech": True,
            "idle_timeout": 60}  # fmt: skip
        request = backend.station.scan_request()
        assert (request.mode, request.source) == (ColorMode.BW, Source.DUPLEX)
        assert ui.phase == "staff" and ui.presenter.session.language == "en"  # staff's own
        changes = [line for line in audit(backend) if line["event"] == "staff.setting_changed"]
        assert [c["change"] for c in changes] == [
            {"key": "language", "from": "de", "to": "uk"},
            {"key": "scan_mode", "from": "gray", "to": "bw"},
            {"key": "duplex", "from": "false", "to": "true"},
            {"key": "speech", "from": "false", "to": "true"},
            {"key": "idle_timeout", "from": "", "to": "60"},
        ]
        assert {(c["card"], c["role"]) for c in changes} == {(card, "office")}
        ui.press("Back")
        ui.press("Close staff mode")
        session = ui.presenter.session
        assert (session.phase, session.language, session.home_language) == ("idle", "uk", "uk")
        assert ui.presenter.settings.speech  # the next client hears the kiosk from the start
        assert session.limits.timeout(Phase.IDENTIFY) == 60.0
        assert session.limits.timeout(Phase.STAFF) == 300.0  # staff mode keeps its own
    finally:
        ui.close()


def test_a_scan_after_the_change_is_delivered_in_black_and_white(
    qtbot: QtBot, sane_config: Path, inbox: Path, catalogs: dict[str, Texts]
) -> None:
    backend = with_staff_key(sane_config, inbox)
    ui, _ = log_in(qtbot, backend, catalogs, Role.OFFICE)
    try:
        ui.press("Settings")
        qtbot.waitUntil(lambda: ui.shows("Start language"), timeout=WAIT)
        choose(ui, qtbot, "Black and white")
        ui.press("Back")
        ui.press("Close staff mode")
        ui.press("English")
        ui.press("Start")
        for key in ("1", "2", "3", "4", "5", "BG", "1", "2", "3", "4", "5"):
            ui.press(key)
        ui.press("Next")
        ui.press("Yes, this is my number")
        ui.press("I am sick")
        ui.press("Scan")
        qtbot.waitUntil(lambda: ui.phase == "review", timeout=60_000)
        ui.idle()
        ui.presenter.handle(do.Send())
        qtbot.waitUntil(lambda: ui.phase == "receipt", timeout=60_000)
        (pdf,) = inbox.glob("*.pdf")
        page = pypdf.PdfReader(pdf).pages[0]
        images = [x.get_object() for x in page["/Resources"]["/XObject"].values()]
        assert {(i["/BitsPerComponent"], i["/ColorSpace"]) for i in images} == {(1, "/DeviceGray")}
    finally:
        ui.close()


def test_a_locked_setting_reads_managed_by_it_and_cannot_be_changed(
    qtbot: QtBot, sane_config: Path, inbox: Path, catalogs: dict[str, Texts]
) -> None:
    backend = with_staff_key(sane_config, inbox)
    kiosk = backend.station.kiosk
    locked = replace(kiosk.config, staff_locked=("scan_mode",))
    backend.station.kiosk = replace(kiosk, config=locked)
    path = local_settings.path_in(kiosk.state)
    path.write_text('scan_mode = "bw"\n')  # set before IT locked it: ignored now
    ui, _ = log_in(qtbot, backend, catalogs, Role.SUPPORT)
    try:
        assert backend.station.scan_request().mode is ColorMode.GRAY  # the central mode
        ui.press("Settings")
        qtbot.waitUntil(lambda: ui.shows("Start language"), timeout=WAIT)
        assert ui.shows("Managed by IT: cannot be changed here.")
        assert not ui.button("Black and white").isEnabled()
        assert not ui.button("Gray").isEnabled()
        ui.window.intent.emit(do.ChangeSetting("scan_mode", "color"))  # sent anyway
        ui.idle()
        assert path.read_text() == 'scan_mode = "bw"\n'
        assert backend.station.scan_request().mode is ColorMode.GRAY
        assert not [line for line in audit(backend) if line["event"] == "staff.setting_changed"]
    finally:
        ui.close()


def test_a_broken_override_file_is_shown_and_ignored_never_fatal(
    qtbot: QtBot, sane_config: Path, inbox: Path, catalogs: dict[str, Texts]
) -> None:
    backend = with_staff_key(sane_config, inbox)
    path = local_settings.path_in(backend.station.kiosk.state)
    path.write_text('language = "uk"\nidle_timeout = 5\n')
    ui, _ = log_in(qtbot, backend, catalogs, Role.OFFICE)
    try:
        assert ui.presenter.session.home_language == "de"  # the whole file is ignored
        ui.press("Settings")
        qtbot.waitUntil(lambda: ui.shows("is broken and is ignored"), timeout=WAIT)
        assert ui.shows("idle_timeout") and ui.shows("line 2")
        choose(ui, qtbot, "Türkçe")  # a change writes a good file in its place
        assert tomllib.loads(path.read_text()) == {"language": "tr"}
        assert not ui.shows("is broken and is ignored")
    finally:
        ui.close()
