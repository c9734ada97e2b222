"""The review screen's page tiles: built while the pages come in, kept while they stay."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.core.concerns import concern_by_key
from kiosk.core.events import PageRef
from kiosk.core.records import replace
from kiosk.core.session import Phase, Session
from kiosk.devtools.samples import CASE, sample_pages
from kiosk.ui.i18n.texts import Texts
from kiosk.ui.presenter.view import PageView, View
from kiosk.ui.screens.review import PageTile
from kiosk.ui.window import Window


def view_of(
    catalogs: dict[str, Texts], phase: Phase, pages: tuple[PageView, ...], language: str = "en"
) -> View:
    numbered = tuple(replace(page, number=n) for n, page in enumerate(pages, 1))
    refs = tuple(PageRef(page.page_id, page.rotation) for page in numbered)
    session = Session(
        phase=phase, language=language, case=CASE, concern=concern_by_key("renewal"), pages=refs,
        scanning=phase is Phase.SCAN,
    )  # fmt: skip
    return View(session, catalogs[language], pages=numbered, catalogs=catalogs)


def tiles(window: Window) -> dict[str, PageTile]:
    QApplication.processEvents()
    found = window.screens["review"].findChildren(PageTile)
    return {tile.page_id: tile for tile in found}


def caption(tile: PageTile) -> str:
    return tile.caption.text().lstrip("\u200f")


def test_tiles_are_built_as_pages_arrive_and_the_review_screen_shows_them_as_built(
    qtbot: QtBot, catalogs: dict[str, Texts]
) -> None:
    window = Window(kiosk_mode=False)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    pages = sample_pages(4)
    for count in range(1, 5):  # the scan screen shows; the review screen gets ready
        window.show_view(view_of(catalogs, Phase.SCAN, pages[:count]))
        assert window.current is window.screens["scan"]
        assert set(tiles(window)) == {page.page_id for page in pages[:count]}
    built = tiles(window)
    window.show_view(view_of(catalogs, Phase.REVIEW, pages))
    assert window.current is window.screens["review"]
    shown = tiles(window)
    assert all(shown[key] is built[key] for key in built)  # nothing built again
    assert all(tile.isVisible() for tile in shown.values())
    assert [caption(shown[p.page_id]) for p in pages] == ["Page 1", "Page 2", "Page 3", "Page 4"]


def test_a_deleted_page_renumbers_the_kept_tiles_and_a_turned_or_translated_one_is_rebuilt(
    qtbot: QtBot, catalogs: dict[str, Texts]
) -> None:
    window = Window(kiosk_mode=False)
    qtbot.addWidget(window)
    window.show()
    first, second, third = sample_pages(3)
    window.show_view(view_of(catalogs, Phase.REVIEW, (first, second, third)))
    before = tiles(window)
    window.show_view(view_of(catalogs, Phase.REVIEW, (first, third)))  # page 2 deleted
    after = tiles(window)
    assert set(after) == {first.page_id, third.page_id}
    assert after[third.page_id] is before[third.page_id]
    assert caption(after[third.page_id]) == "Page 2"
    assert after[third.page_id].open.accessibleName() == "Page 2"
    turned = replace(first, rotation=90)
    window.show_view(view_of(catalogs, Phase.REVIEW, (turned, third)))
    again = tiles(window)
    assert again[first.page_id] is not after[first.page_id]  # its thumbnail is turned
    assert again[third.page_id] is after[third.page_id]
    window.show_view(view_of(catalogs, Phase.REVIEW, (turned, third), language="de"))
    german = tiles(window)
    assert [caption(german[p.page_id]) for p in (turned, third)] == ["Seite 1", "Seite 2"]
    assert german[third.page_id] is not again[third.page_id]
    window.wipe()
    assert tiles(window) == {}
