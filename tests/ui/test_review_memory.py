"""Memory bounded by design: per page only the encoded page and a small thumbnail; the large
picture of a page lives while it is shown; after the wipe nothing of the session is left
referenced (found through the garbage collector and weak references, not by trust)."""

from __future__ import annotations

import gc
import weakref
from dataclasses import fields
from pathlib import Path

from PySide6.QtCore import QEvent
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from kiosk.services.pages.imaging import EncodedPage
from kiosk.ui.i18n.texts import Texts
from kiosk.ui.presenter.pagestore import StoredPage
from kiosk.ui.screens.review_tile import PageTile
from tests.ui.driver import Ui
from tests.ui.test_review_questions import WAIT, flagged_backend, to_review

EMPTY = "SANE_STATUS_NO_DOCS"
THUMBNAIL_BYTES = 0.1 * 2**20  # at most 150 x 212 RGB: 0.09 MiB


def preview_label(ui: Ui) -> QLabel:
    found = ui.window.findChild(QLabel, "page-preview")
    assert found is not None
    return found


def shows_a_picture(label: QLabel) -> bool:
    pixmap = label.pixmap()
    return pixmap is not None and not pixmap.isNull()


def settle() -> None:
    """Widgets deleted later are deleted now; then a full collection."""
    for _ in range(3):
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QApplication.processEvents()
    gc.collect()


def live(kind: type) -> list[object]:
    return [o for o in gc.get_objects() if isinstance(o, kind)]


def test_a_page_keeps_its_encoded_form_and_a_thumbnail_and_is_large_only_while_shown(
    qtbot: QtBot, sane_config: Path, tmp_path: Path, catalogs: dict[str, Texts]
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    ui = Ui(
        qtbot, flagged_backend(sane_config, inbox, [{3: {"read-return-value": EMPTY}}]), catalogs
    )
    try:
        to_review(ui, qtbot)
        assert [f.name for f in fields(StoredPage)] == ["encoded", "thumbnail"]
        for ref in ui.presenter.session.pages:
            stored = ui.presenter.store.get(ref.page_id)
            assert stored is not None
            assert stored.thumbnail.sizeInBytes() <= THUMBNAIL_BYTES
        assert ui.presenter.large.image is None and not shows_a_picture(preview_label(ui))
        ui.press("Page 2")
        qtbot.waitUntil(lambda: ui.presenter.large.image is not None, timeout=WAIT)
        ui.idle()
        picture = ui.presenter.large.image
        assert picture is not None and picture.width() > 600  # the large one, not the thumbnail
        assert shows_a_picture(preview_label(ui))
        gone = weakref.ref(picture)
        del picture
        ui.press("Turn")  # turned: decoded again as turned, the upright one goes
        qtbot.waitUntil(lambda: ui.presenter.large.image is not None, timeout=WAIT)
        turned = ui.presenter.large.image
        assert turned is not None and turned.width() > turned.height()
        del turned
        settle()
        assert gone() is None
        gone = weakref.ref(ui.presenter.large.image)  # type: ignore[arg-type]
        ui.press("Back to all pages")
        settle()
        assert ui.presenter.large.image is None and gone() is None
        assert not shows_a_picture(preview_label(ui))
    finally:
        ui.close()


def test_nothing_of_the_session_stays_referenced_after_the_wipe(
    qtbot: QtBot, sane_config: Path, tmp_path: Path, catalogs: dict[str, Texts]
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    ui = Ui(
        qtbot, flagged_backend(sane_config, inbox, [{4: {"read-return-value": EMPTY}}]), catalogs
    )
    try:
        settle()
        assert live(EncodedPage) == [] and live(StoredPage) == []
        to_review(ui, qtbot)
        ui.press("Page 3")
        qtbot.waitUntil(lambda: ui.presenter.large.image is not None, timeout=WAIT)
        ui.idle()
        images: list[weakref.ref[QImage]] = [weakref.ref(ui.presenter.large.image)]  # type: ignore[arg-type]
        for ref in ui.presenter.session.pages:
            stored = ui.presenter.store.get(ref.page_id)
            assert stored is not None
            images.append(weakref.ref(stored.thumbnail))
        del stored
        assert len(live(EncodedPage)) == 4 and ui.window.findChildren(PageTile)
        ui.press("Back to all pages")
        ui.press("Start again")
        assert ui.phase == "idle"
        settle()
        assert live(EncodedPage) == [] and live(StoredPage) == []
        assert [ref() for ref in images] == [None] * 5
        assert ui.window.findChildren(PageTile) == []
        assert not shows_a_picture(preview_label(ui))
        assert len(ui.presenter.store) == 0 and ui.presenter.large.image is None
    finally:
        ui.close()
