"""Staff mode's diagnostics page, through the real presenter and station (SANE test
scanner, a folder inbox): the checks of `kiosk diag`, a test scan in memory, the readiness
report on disk; nothing of it stays for the next staff visit."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from kiosk.diag import Check, Status
from kiosk.ui.i18n.texts import Texts
from kiosk.ui.presenter.background import Background
from kiosk.ui.presenter.diagnostics import DiagnosticsPage
from kiosk.ui.screens.diagnostics import DiagnosticsScreen
from tests.ui.driver import Ui
from tests.ui.test_cards import staff_card, with_staff_key

WAIT = 30_000


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    path = tmp_path / "inbox"
    path.mkdir()
    return path


def test_staff_run_the_checks_a_test_scan_and_save_a_readiness_report(
    qtbot: QtBot, sane_config: Path, inbox: Path, catalogs: dict[str, Texts]
) -> None:
    backend = with_staff_key(sane_config, inbox)
    ui = Ui(qtbot, backend, catalogs)
    try:
        ui.presenter.code_read(staff_card())
        qtbot.waitUntil(lambda: ui.phase == "staff", timeout=WAIT)
        ui.press("English")
        ui.press("Diagnostics")
        page = ui.presenter.diagnostics
        assert ui.window.stack.currentWidget() is ui.window.screens["diagnostics"]
        assert ui.shows("Checking ...")
        qtbot.waitUntil(
            lambda: page.shown is not None and page.shown.checks is not None, timeout=WAIT
        )
        assert page.shown is not None and page.shown.checks is not None
        found = {check.id: check for check in page.shown.checks}
        assert found["storage"].status is Status.PASS
        assert found["scanner"].status is Status.PASS and "test:0" in found["scanner"].detail
        assert found["camera"].detail == "no camera configured (keypad only)"  # the UI's own
        assert "scan-test" not in found  # only when asked for
        screen = ui.window.screens["diagnostics"]
        assert isinstance(screen, DiagnosticsScreen)
        assert ui.shows("storage") and ui.shows(found["storage"].detail)
        ui.press("Test scan (one blank sheet)")
        qtbot.waitUntil(
            lambda: page.shown is not None and page.shown.test is not None, timeout=WAIT
        )
        assert page.shown is not None and page.shown.test is not None
        assert page.shown.test.id == "scan-test" and "1 page" in page.shown.test.detail
        assert ui.shows(page.shown.test.detail.split("\n")[0])
        ui.press("Save readiness report")
        qtbot.waitUntil(
            lambda: page.shown is not None and page.shown.saved is not None, timeout=WAIT
        )
        assert page.shown is not None and page.shown.saved is not None
        report = Path(page.shown.saved)
        assert report.parent == backend.station.kiosk.state / "reports"  # no USB stick here
        assert report.stat().st_mode & 0o777 == 0o644
        text = PdfReader(report).pages[0].extract_text()
        assert "Readiness report: kiosk demo-kiosk" in text
        assert "scan-test" in text and "storage" in text and "test scan at" in text
        assert ui.shows("Report saved:")
        assert not any(inbox.iterdir())  # a test scan is never delivered
        ui.press("Back to staff mode")
        assert ui.window.stack.currentWidget() is ui.window.screens["staff"]
        ui.press("Diagnostics")
        ui.idle()
        assert page.shown is not None and page.shown.test is None  # a new visit, a new page
        assert page.shown.saved is None
    finally:
        ui.close()


def test_a_check_that_comes_back_after_staff_left_is_dropped(
    qtbot: QtBot, sane_config: Path, inbox: Path, catalogs: dict[str, Texts]
) -> None:
    ui = Ui(qtbot, with_staff_key(sane_config, inbox), catalogs)
    try:
        ui.presenter.code_read(staff_card())
        qtbot.waitUntil(lambda: ui.phase == "staff", timeout=WAIT)
        ui.press("English")
        ui.press("Diagnostics")
        ui.press("Back to staff mode")  # before the checks are back
        ui.press("Close staff mode")
        ui.idle()
        assert ui.phase == "idle" and ui.presenter.diagnostics.shown is None
        assert ui.presenter.view().diagnostics is None
        ui.presenter.code_read(staff_card())
        qtbot.waitUntil(lambda: ui.phase == "staff", timeout=WAIT)
        assert ui.window.stack.currentWidget() is ui.window.screens["staff"]
    finally:
        ui.close()


class SlowChecks:
    """Checks that come back only when the test lets them (the page's logic alone)."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.saved: list[tuple[object, ...]] = []

    def diagnostics(self) -> list[Check]:
        self.release.wait(10)
        return [Check("storage", Status.PASS, "plenty")]

    def test_scan(self) -> Check:
        self.release.wait(10)
        raise OSError("scanner gone")

    def save_report(self, *args: object) -> Path:
        self.saved.append(args)
        raise OSError("read-only stick")


def test_a_late_result_is_dropped_and_failures_are_shown_as_checks(qtbot: QtBot) -> None:
    backend, background = SlowChecks(), Background()
    changes: list[int] = []
    page = DiagnosticsPage(backend, background, lambda: None, False, lambda: changes.append(1))  # type: ignore[arg-type]
    page.open()
    page.close()  # staff left before the checks were back
    backend.release.set()
    qtbot.waitUntil(lambda: background.running == 0, timeout=WAIT)
    assert page.shown is None and changes == []
    backend.release.clear()
    page.open()
    backend.release.set()
    qtbot.waitUntil(lambda: page.shown is not None and page.shown.checks is not None, timeout=WAIT)
    assert page.shown is not None and page.shown.checks is not None
    assert [c.id for c in page.shown.checks] == ["storage", "camera"]
    page.test_scan()
    qtbot.waitUntil(lambda: page.shown is not None and not page.shown.testing, timeout=WAIT)
    assert page.shown is not None and page.shown.test is not None
    assert page.shown.test.status is Status.FAIL and "OSError" in page.shown.test.detail
    page.save()
    qtbot.waitUntil(lambda: page.shown is not None and page.shown.save_failed, timeout=WAIT)
    (args,) = backend.saved
    assert args[2] is not None and args[2][0] is page.shown.test  # the test scan goes in
