"""Whole sessions through the UI on SANE's test scanner, into a file:// inbox."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from kiosk.ui.i18n.texts import Texts
from kiosk.ui.presenter.intents import DeletePage
from kiosk.ui.presenter.pagestore import PageStore, StoredPage
from tests.ui.driver import Ui, everything_shown, make_backend

pytestmark = pytest.mark.sane
CASE = "12345BG0012345"
JAM_AT_PAGE_4 = {3: {"read-return-value": "SANE_STATUS_JAMMED"}}


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    path = tmp_path / "inbox"
    path.mkdir()
    return path


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A temp dir of this test's own, so it can be searched for leftovers."""
    path = tmp_path / "tmp"
    path.mkdir()
    monkeypatch.setenv("TMPDIR", str(path))
    monkeypatch.setattr(tempfile, "tempdir", None)
    yield path


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> list[StoredPage]:
    """Every page the page store took, to search for its pixels and bytes afterwards."""
    pages: list[StoredPage] = []
    original = PageStore.add

    def add(store: PageStore, page: StoredPage) -> str:
        pages.append(page)
        return original(store, page)

    monkeypatch.setattr(PageStore, "add", add)
    return pages


def digest(image: QImage) -> str:
    import hashlib

    return hashlib.sha256(bytes(image.constBits())).hexdigest()


def test_a_whole_session_with_a_jam_and_a_language_switch(
    qtbot: QtBot,
    sane_config: Path,
    inbox: Path,
    state_dir: Path,
    private_tmp: Path,
    catalogs: dict[str, Texts],
    seen: list[StoredPage],
) -> None:
    ui = Ui(qtbot, make_backend(sane_config, inbox, [JAM_AT_PAGE_4]), catalogs)
    assert ui.phase == "idle" and ui.shows("Unterlagen für das Jobcenter scannen")
    ui.press("English")
    assert ui.phase == "identify" and ui.shows("How it works")
    ui.press("Start")
    for key in ("1", "2", "3", "4", "5", "BG", "1", "2", "3", "4", "5"):
        ui.press(key)
    assert ui.shows("12345 BG 12345")  # grouped while typing
    ui.press("Next")
    assert ui.phase == "confirm" and ui.shows("12345 BG 0012345")
    ui.press("Yes, this is my number")
    assert ui.phase == "concern" and ui.shows("Your number: 12345BG•••2345")
    ui.press("Deutsch")  # mid-session: the same step, now in German
    assert ui.phase == "concern" and ui.shows("Worum geht es in Ihren Unterlagen?")
    ui.press("Ich bin krank")
    assert ui.phase == "scan"
    ui.press("Scannen")
    qtbot.waitUntil(lambda: ui.presenter.session.scan_problem == "jammed", timeout=60_000)
    ui.idle()
    assert ui.shows("Das Papier steckt fest.") and ui.shows("3 Seiten gescannt")
    ui.press("Weiter scannen")  # the pages before the jam stay; a fresh feeder of 10
    qtbot.waitUntil(lambda: ui.phase == "review", timeout=60_000)
    ui.idle()
    assert len(ui.presenter.session.pages) == 13 and ui.shows("Seite 13")
    ui.press("Seite 1")
    assert ui.shows("Seite 1 von 13")
    ui.press("Drehen")
    ui.press("Zurück zu allen Seiten")
    second = ui.presenter.session.pages[1].page_id
    ui.presenter.handle(DeletePage(second))
    ui.press("12 Seiten senden")
    qtbot.waitUntil(lambda: ui.phase == "receipt", timeout=60_000)
    assert ui.shows("Fertig! Ihre Unterlagen sind im Jobcenter angekommen.")
    assert ui.shows("12") and ui.shows("12345BG•••2345") and ui.shows("Ich bin krank")
    (pdf,) = inbox.glob("*.pdf")
    assert len(pypdf.PdfReader(pdf).pages) == 12
    rotated = pypdf.PdfReader(pdf).pages[0].mediabox
    assert rotated.width > rotated.height  # the turned page is landscape now
    ui.press("Fertig")
    assert ui.phase == "idle"
    assert_nothing_left(ui, state_dir, private_tmp, seen)
    ui.close()


def assert_nothing_left(ui: Ui, state_dir: Path, tmp: Path, pages: list[StoredPage]) -> None:
    forms = (CASE, "12345 BG 0012345", "12345//0012345", "0012345")
    strings, pixmaps = everything_shown(ui.window)
    assert [s for s in strings if any(f in s for f in forms)] == []
    assert pages, "the test saw no pages"
    page_pixels = {digest(p.thumbnail) for p in pages}  # large pictures: see test_review_memory
    assert pixmaps & page_pixels == set()
    assert len(ui.presenter.store) == 0 and ui.presenter.session.case is None
    snippets = [p.encoded.data[200:264] for p in pages]
    for root in (state_dir, tmp):
        for dirpath, _dirs, files in os.walk(root):
            for name in files:
                path = Path(dirpath) / name
                if not path.is_file():  # the forkserver's socket
                    continue
                blob = path.read_bytes()
                assert not any(f.encode() in blob for f in forms), name
                assert not any(s in blob for s in snippets), name


def test_a_timeout_warns_with_countdown_and_sound_extends_on_touch_then_wipes(
    qtbot: QtBot, sane_config: Path, inbox: Path, state_dir: Path, private_tmp: Path,
    catalogs: dict[str, Texts], seen: list[StoredPage],
) -> None:  # fmt: skip
    ui = Ui(qtbot, make_backend(sane_config, inbox, []), catalogs)
    ui.press("English")
    ui.press("Start")
    ui.presenter.code_read("12345//0012345")  # a card at the camera, or a barcode reader
    ui.idle()
    ui.press("Yes, this is my number")
    ui.press("I am sick")
    ui.press("Scan")
    qtbot.waitUntil(lambda: ui.phase == "review", timeout=60_000)
    ui.idle()
    ui.tick(101)  # review allows 120 s; the warning comes 20 s before
    assert ui.window.overlay.isVisible() and ui.chime.played == 1
    assert ui.shows("In 19 seconds your data will be deleted and you will be back at the start.")
    ui.press("Yes, I need more time")
    assert not ui.window.overlay.isVisible() and ui.phase == "review"
    ui.tick(110)
    assert ui.window.overlay.isVisible() and ui.chime.played == 2
    ui.tick(11)
    assert ui.phase == "idle" and not ui.window.overlay.isVisible()
    assert list(inbox.iterdir()) == []
    assert_nothing_left(ui, state_dir, private_tmp, seen)
    ui.close()
