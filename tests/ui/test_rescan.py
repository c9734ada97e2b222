"""Scanning one page again from the review screen: the new scan takes that page's place."""

from __future__ import annotations

from pathlib import Path

import pypdf
from PySide6.QtWidgets import QAbstractButton
from pytestqt.qtbot import QtBot

from kiosk.ui.i18n.texts import Texts
from tests.ui.driver import Ui, make_backend

EMPTY = "SANE_STATUS_NO_DOCS"


def scan_for_a_sick_note(ui: Ui) -> None:
    """A card read, the number confirmed, "I am sick", Scan (in German, the home language)."""
    ui.presenter.code_read("12345BG0012345")
    ui.idle()
    ui.press("Ja, das ist meine Nummer")
    ui.press("Ich bin krank")
    ui.press("Scannen")


def test_scan_again_replaces_the_page_in_its_place(
    qtbot: QtBot, sane_config: Path, tmp_path: Path, catalogs: dict[str, Texts]
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    batches = [{3: {"read-return-value": EMPTY}}, {1: {"read-return-value": EMPTY}}]
    ui = Ui(qtbot, make_backend(sane_config, inbox, batches), catalogs)  # 3 pages, then 1
    try:
        scan_for_a_sick_note(ui)
        qtbot.waitUntil(lambda: ui.phase == "review", timeout=60_000)
        ui.idle()
        first, second, third = (p.page_id for p in ui.presenter.session.pages)
        ui.press("Seite 2")
        ui.press("Neu scannen")
        assert ui.phase == "scan"
        assert ui.shows("Legen Sie nur die Seite ein, die neu gescannt wird. Sie wird Seite 2.")
        ui.press("Weiter scannen")
        qtbot.waitUntil(lambda: ui.phase == "review", timeout=60_000)
        ui.idle()
        pages = [p.page_id for p in ui.presenter.session.pages]
        assert len(pages) == 3 and second not in pages
        assert (pages[0], pages[2]) == (first, third) and pages[1] not in (first, third)
        assert ui.presenter.store.get(second) is None  # the old page's image is gone
        ui.press("3 Seiten senden")
        qtbot.waitUntil(lambda: ui.phase == "receipt", timeout=60_000)
        (pdf,) = inbox.glob("*.pdf")
        assert len(pypdf.PdfReader(pdf).pages) == 3
    finally:
        ui.close()


def test_after_a_jam_the_kept_pages_are_checked_then_sent(
    qtbot: QtBot, sane_config: Path, tmp_path: Path, catalogs: dict[str, Texts]
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    jam = [{2: {"read-return-value": "SANE_STATUS_JAMMED"}}]  # two pages, then a jam
    ui = Ui(qtbot, make_backend(sane_config, inbox, jam), catalogs)
    try:
        scan_for_a_sick_note(ui)
        qtbot.waitUntil(lambda: ui.presenter.session.scan_problem == "jammed", timeout=60_000)
        ui.idle()
        ui.press("Seiten ansehen und senden")
        assert ui.phase == "review" and ui.shows("Seite 2") and not ui.shows("Seite 3")
        ui.press("2 Seiten senden")
        qtbot.waitUntil(lambda: ui.phase == "receipt", timeout=60_000)
        (pdf,) = inbox.glob("*.pdf")
        assert len(pypdf.PdfReader(pdf).pages) == 2
    finally:
        ui.close()


def test_backing_out_of_a_rescan_and_undoing_a_delete_lose_no_page(
    qtbot: QtBot, sane_config: Path, tmp_path: Path, catalogs: dict[str, Texts]
) -> None:
    """Issue 11: "Neu scannen" on a page, then "Seiten ansehen und senden" without scanning
    lost that page; a deleted page could not come back."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    ui = Ui(qtbot, make_backend(sane_config, inbox, [{3: {"read-return-value": EMPTY}}]), catalogs)
    try:
        scan_for_a_sick_note(ui)
        qtbot.waitUntil(lambda: ui.phase == "review", timeout=60_000)
        ui.idle()
        scanned = [p.page_id for p in ui.presenter.session.pages]
        undo = ui.window.findChild(QAbstractButton, "undo-delete")
        assert undo is not None and not undo.isVisible()  # nothing to undo yet
        ui.press("Seite 2")
        ui.press("Neu scannen")
        ui.press("Seiten ansehen und senden")  # changed my mind: no new scan
        assert ui.phase == "review"
        assert [p.page_id for p in ui.presenter.session.pages] == scanned
        ui.press("Seite 1")
        ui.press("Löschen")
        assert undo.isVisible() and undo.accessibleName() == "Seite 1 zurückholen"
        assert ui.shows("2 Seiten senden")
        ui.press("Seite 1 zurückholen")
        assert [p.page_id for p in ui.presenter.session.pages] == scanned
        assert not undo.isVisible()
        ui.press("Seite 3")
        ui.press("Löschen")
        ui.press("2 Seiten senden")
        qtbot.waitUntil(lambda: ui.phase == "receipt", timeout=60_000)
        (pdf,) = inbox.glob("*.pdf")
        assert len(pypdf.PdfReader(pdf).pages) == 2
        assert ui.presenter.store.get(scanned[2]) is None  # sent: the deleted page is gone
    finally:
        ui.close()


def test_the_scan_screen_shows_the_concern_and_that_there_are_more_pages(
    qtbot: QtBot, sane_config: Path, tmp_path: Path, catalogs: dict[str, Texts]
) -> None:
    """Issue 11: the scan screen did not show the chosen concern; the strip showed 7 of 9
    pages with no sign of more."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    ui = Ui(qtbot, make_backend(sane_config, inbox, [{9: {"read-return-value": EMPTY}}]), catalogs)
    try:
        scan_for_a_sick_note(ui)
        assert ui.shows("Ich bin krank")  # what the pages are for, in the client's words
        qtbot.waitUntil(lambda: ui.phase == "review", timeout=60_000)
        ui.press("Weitere Seiten scannen")
        assert ui.shows("9 Seiten gescannt") and ui.shows("+2")  # 7 thumbnails and 2 more
    finally:
        ui.close()
