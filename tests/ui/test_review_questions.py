"""The review screen's questions about pages the page pipeline flagged: seems empty (Keep /
Remove, or taken out by itself where configured), hard to read (scan that sheet again),
turned upright (a mark; the client can still turn it). Real window, presenter and SANE test
scanner; the pipeline's findings are set by the test on the pages it scans."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pypdf
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget
from pytestqt.qtbot import QtBot

from drivers.scanner.protocol import ColorMode
from kiosk.app import build, embedded_config
from kiosk.core.records import replace
from kiosk.services.pages.imaging import EncodedPage, PageReport
from kiosk.station import PageOptions, Station
from kiosk.ui.i18n.texts import Texts
from kiosk.ui.presenter.backend import KioskBackend
from kiosk.ui.screens.review_tile import PageTile
from tests.ui.driver import Ui

WAIT = 60_000
EMPTY = "SANE_STATUS_NO_DOCS"
WHITE = {"test-picture": "Solid white"}  # the SANE test scanner's blank sheet


class FlaggedPages(KioskBackend):
    """The kiosk's backend on the SANE test scanner; each page scanned gets the report the
    test gives for its number (counted over the session), as the page pipeline will."""

    def __init__(
        self,
        station: Station,
        inbox: str,
        batches: list[PageOptions],
        reports: Mapping[int, PageReport],
    ) -> None:
        super().__init__(station, inbox=inbox, batch_options=batches)
        self.reports, self.scanned = reports, 0

    def scan(
        self, on_page: Callable[[EncodedPage], None], max_pages: int | None = None
    ) -> list[EncodedPage]:
        def flagged(page: EncodedPage) -> None:
            self.scanned += 1
            on_page(replace(page, report=self.reports.get(self.scanned, PageReport())))

        return super().scan(flagged, max_pages)


def flagged_backend(
    sane_config: Path, inbox: Path, batches: list[PageOptions],
    reports: Mapping[int, PageReport] | None = None, **scanner: object,
) -> FlaggedPages:  # fmt: skip
    """Gray at 150 dpi keeps the tests quick (as tests.ui.driver.make_backend); ``scanner``
    sets [scanner] keys such as max_pages or drop_blank."""
    config = embedded_config()
    settings = replace(
        config.scanner, sane_config_dir=sane_config, resolution=150, mode=ColorMode.GRAY,
        **scanner,  # type: ignore[arg-type]
    )  # fmt: skip
    kiosk = build(replace(config, scanner=settings), embedded=True)
    return FlaggedPages(Station(kiosk), inbox.as_uri() + "/", batches, reports or {})


def to_review(ui: Ui, qtbot: QtBot) -> None:
    """English, a card read, the number confirmed, "I am sick", Scan, until the review."""
    ui.press("English")
    ui.presenter.code_read("12345BG0012345")
    ui.idle()
    ui.press("Yes, this is my number")
    ui.press("I am sick")
    ui.press("Scan")
    qtbot.waitUntil(lambda: ui.phase == "review", timeout=WAIT)
    ui.idle()


def tile(ui: Ui, number: int) -> PageTile:
    QApplication.processEvents()
    page_id = ui.presenter.session.pages[number - 1].page_id
    found = [t for t in ui.window.findChildren(PageTile) if t.page_id == page_id and t.isVisible()]
    assert len(found) == 1
    return found[0]


def words_on(tile: PageTile) -> list[str]:
    """The tile's marks, its question, its buttons, as a client sees (and hears) them."""
    buttons = [b.accessibleName() for b in tile.findChildren(QAbstractButton) if b.isVisible()]
    marks = [m.accessibleName() for m in tile.marks if m.isVisible()]
    asked = [tile.question.text()] if tile.question is not None else []
    return [*marks, *asked, *buttons]


def press_on(ui: Ui, widget: QWidget, text: str) -> None:
    QApplication.processEvents()
    buttons = widget.findChildren(QAbstractButton)
    (button,) = [b for b in buttons if b.isVisible() and b.accessibleName() == text]
    ui.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def pdf_pages(inbox: Path) -> int:
    (pdf,) = inbox.glob("*.pdf")
    return len(pypdf.PdfReader(pdf).pages)


def test_an_empty_page_asks_keep_or_remove_and_remove_can_be_undone(
    qtbot: QtBot, sane_config: Path, tmp_path: Path, catalogs: dict[str, Texts]
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    batches = [{1: WHITE, 2: {"test-picture": "Grid"}, 3: {"read-return-value": EMPTY}}]
    backend = flagged_backend(sane_config, inbox, batches, {2: PageReport(blank=True)})
    ui = Ui(qtbot, backend, catalogs)
    try:
        to_review(ui, qtbot)
        assert len(ui.presenter.session.pages) == 3
        assert words_on(tile(ui, 2)) == [
            "Seems empty", "Page 2 seems empty. Keep it?", "Page 2", "Keep", "Remove",
        ]  # fmt: skip
        assert words_on(tile(ui, 1)) == ["Page 1", "Turn", "Delete", "Scan again"]
        blank = ui.presenter.session.pages[1].page_id
        press_on(ui, tile(ui, 2), "Remove")
        assert [p.page_id for p in ui.presenter.session.pages].count(blank) == 0
        assert ui.shows("Send 2 pages")
        ui.press("Bring back page 2")  # nothing is lost by a tap
        assert ui.presenter.session.pages[1].page_id == blank
        # Brought back, it is not asked about again; the mark stays.
        assert words_on(tile(ui, 2)) == ["Seems empty", "Page 2", "Turn", "Delete", "Scan again"]
        ui.press("Send 3 pages")
        qtbot.waitUntil(lambda: ui.phase == "receipt", timeout=WAIT)
        assert pdf_pages(inbox) == 3
    finally:
        ui.close()


def test_keep_answers_the_question_and_the_page_is_sent(
    qtbot: QtBot, sane_config: Path, tmp_path: Path, catalogs: dict[str, Texts]
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    batches = [{0: WHITE, 2: {"read-return-value": EMPTY}}]
    backend = flagged_backend(sane_config, inbox, batches, {1: PageReport(blank=True)})
    ui = Ui(qtbot, backend, catalogs)
    try:
        to_review(ui, qtbot)
        press_on(ui, tile(ui, 1), "Keep")
        assert words_on(tile(ui, 1)) == ["Seems empty", "Page 1", "Turn", "Delete", "Scan again"]
        ui.press("Page 1")  # large: the mark is there too
        assert ui.shows("Page 1 of 2") and ui.shows("Seems empty")
        ui.press("Back to all pages")
        ui.press("Send 2 pages")
        qtbot.waitUntil(lambda: ui.phase == "receipt", timeout=WAIT)
        assert pdf_pages(inbox) == 2
    finally:
        ui.close()


def test_a_hard_to_read_page_suggests_scanning_that_sheet_again(
    qtbot: QtBot, sane_config: Path, tmp_path: Path, catalogs: dict[str, Texts]
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    batches = [{3: {"read-return-value": EMPTY}}, {1: {"read-return-value": EMPTY}}]
    reports = {2: PageReport(problems=("dark",)), 3: PageReport(problems=("cut_edge", "blurred"))}
    ui = Ui(qtbot, flagged_backend(sane_config, inbox, batches, reports), catalogs)
    try:
        to_review(ui, qtbot)
        first, second, third = (p.page_id for p in ui.presenter.session.pages)
        assert words_on(tile(ui, 2)) == [
            "Hard to read", "Page 2 is hard to read (too dark). Scan this sheet again?",
            "Page 2", "Keep", "Scan again",
        ]  # fmt: skip
        # The first problem in the order the client is told of them.
        assert "Page 3 is hard to read (blurred). Scan this sheet again?" in words_on(tile(ui, 3))
        press_on(ui, tile(ui, 2), "Scan again")  # the existing rescan flow
        assert ui.phase == "scan"
        assert ui.shows("Put in only the page to scan again. It becomes page 2.")
        ui.press("Scan more")
        qtbot.waitUntil(lambda: ui.phase == "review", timeout=WAIT)
        ui.idle()
        pages = [p.page_id for p in ui.presenter.session.pages]
        assert pages[0] == first and pages[2] == third and pages[1] not in (first, second)
        assert words_on(tile(ui, 2)) == ["Page 2", "Turn", "Delete", "Scan again"]  # readable now
        press_on(ui, tile(ui, 3), "Keep")
        assert "Scan this sheet again?" not in " ".join(words_on(tile(ui, 3)))
    finally:
        ui.close()


def test_a_page_the_pipeline_turned_says_so_and_can_still_be_turned(
    qtbot: QtBot, sane_config: Path, tmp_path: Path, catalogs: dict[str, Texts]
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    batches = [{2: {"read-return-value": EMPTY}}]
    backend = flagged_backend(sane_config, inbox, batches, {1: PageReport(rotation=180)})
    ui = Ui(qtbot, backend, catalogs)
    try:
        to_review(ui, qtbot)
        assert words_on(tile(ui, 1)) == ["Turned upright", "Page 1", "Turn", "Delete", "Scan again"]
        assert words_on(tile(ui, 2)) == ["Page 2", "Turn", "Delete", "Scan again"]
        press_on(ui, tile(ui, 1), "Turn")
        assert ui.presenter.session.pages[0].rotation == 90
        assert words_on(tile(ui, 1))[0] == "Turned upright"
        ui.press("Send 2 pages")
        qtbot.waitUntil(lambda: ui.phase == "receipt", timeout=WAIT)
        (pdf,) = inbox.glob("*.pdf")
        box = pypdf.PdfReader(pdf).pages[0].mediabox
        assert box.width > box.height  # the client's turn reached the document
    finally:
        ui.close()


def test_where_configured_empty_pages_are_taken_out_by_themselves_and_can_come_back(
    qtbot: QtBot, sane_config: Path, tmp_path: Path, catalogs: dict[str, Texts]
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    batches = [{1: WHITE, 2: {"test-picture": "Grid"}, 3: {"read-return-value": EMPTY}}]
    reports = {2: PageReport(blank=True, blank_score=0.0)}
    backend = flagged_backend(sane_config, inbox, batches, reports, drop_blank=True)
    ui = Ui(qtbot, backend, catalogs)
    try:
        to_review(ui, qtbot)
        assert len(ui.presenter.session.pages) == 2
        assert ui.shows("1 empty page was taken out. You can bring it back.")
        ui.press("Bring back page 2")
        assert len(ui.presenter.session.pages) == 3
        assert not ui.shows("empty page was taken out")
        assert words_on(tile(ui, 2)) == ["Seems empty", "Page 2", "Turn", "Delete", "Scan again"]
        ui.press("Send 3 pages")
        qtbot.waitUntil(lambda: ui.phase == "receipt", timeout=WAIT)
        assert pdf_pages(inbox) == 3
    finally:
        ui.close()
