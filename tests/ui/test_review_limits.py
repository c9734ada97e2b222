"""The page limit of one submission ([scanner] max_pages): the scan stops there before the
next sheet is drawn in, the review screen says so, nothing scanned is lost; both new
[scanner] keys are checked like every other."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractButton
from pytestqt.qtbot import QtBot

from kiosk.services.config import load_config
from kiosk.services.tomlfile import InvalidFile
from kiosk.ui.i18n.texts import Texts
from kiosk.ui.presenter import intents as do
from tests.ui.driver import Ui
from tests.ui.test_review_questions import (
    WAIT,
    flagged_backend,
    pdf_pages,
    press_on,
    tile,
    to_review,
)

EMPTY = "SANE_STATUS_NO_DOCS"
FULL = "You can send up to 3 pages at once. Send these first, then scan the rest."


def more_button(ui: Ui) -> QAbstractButton:
    return ui.button("Add more pages")


def test_the_scan_stops_at_the_limit_and_the_review_says_so(
    qtbot: QtBot, sane_config: Path, tmp_path: Path, catalogs: dict[str, Texts]
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    # A full feeder (the SANE test scanner has 10 sheets) and a limit of 3.
    ui = Ui(qtbot, flagged_backend(sane_config, inbox, [], max_pages=3), catalogs)
    try:
        to_review(ui, qtbot)
        assert len(ui.presenter.session.pages) == 3  # no fault: the batch ended there
        assert ui.presenter.session.scan_problem is None
        assert ui.shows(FULL)
        assert not more_button(ui).isEnabled()
        ui.presenter.handle(do.AddPages())  # and the core takes no more either
        assert ui.phase == "review"
        # One sheet scanned again takes its page's place: there is room for exactly it.
        old = ui.presenter.session.pages[1].page_id
        press_on(ui, tile(ui, 2), "Scan again")
        ui.press("Scan more")
        qtbot.waitUntil(lambda: ui.phase == "review", timeout=WAIT)
        ui.idle()
        pages = [p.page_id for p in ui.presenter.session.pages]
        assert len(pages) == 3 and old not in pages
        ui.press("Send 3 pages")
        qtbot.waitUntil(lambda: ui.phase == "receipt", timeout=WAIT)
        assert pdf_pages(inbox) == 3
    finally:
        ui.close()


def test_the_limit_counts_every_batch_and_a_deleted_page_makes_room(
    qtbot: QtBot, sane_config: Path, tmp_path: Path, catalogs: dict[str, Texts]
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    batches = [{2: {"read-return-value": EMPTY}}]  # 2 pages, then a full feeder
    ui = Ui(qtbot, flagged_backend(sane_config, inbox, batches, max_pages=3), catalogs)
    try:
        to_review(ui, qtbot)
        assert len(ui.presenter.session.pages) == 2 and not ui.shows(FULL)
        assert more_button(ui).isEnabled()
        ui.press("Add more pages")
        ui.press("Scan more")
        qtbot.waitUntil(lambda: ui.phase == "review", timeout=WAIT)
        ui.idle()
        assert len(ui.presenter.session.pages) == 3 and ui.shows(FULL)
        press_on(ui, tile(ui, 1), "Delete")
        assert not ui.shows(FULL) and more_button(ui).isEnabled()
    finally:
        ui.close()


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text('[kiosk]\nid = "k"\n[scanner]\n' + text)
    return path


def test_the_new_scanner_keys_have_defaults_and_are_checked(tmp_path: Path) -> None:
    scanner = load_config(write(tmp_path, "")).scanner
    assert (scanner.max_pages, scanner.drop_blank) == (100, False)
    scanner = load_config(write(tmp_path, "max_pages = 40\ndrop_blank = true\n")).scanner
    assert (scanner.max_pages, scanner.drop_blank) == (40, True)
    for text, words in (
        ("max_pages = 0\n", "between"),
        ("max_pages = 5000\n", "between"),
        ('max_pages = "100"\n', "whole number"),
        ('drop_blank = "yes"\n', "true or false"),
    ):
        with pytest.raises(InvalidFile) as caught:
            load_config(write(tmp_path, text))
        (problem,) = caught.value.problems
        key = text.split(" ")[0]
        assert (problem.key, problem.line, words in problem.message) == (f"scanner.{key}", 4, True)
