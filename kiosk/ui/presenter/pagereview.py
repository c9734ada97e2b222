"""What the review screen says about each page (seems empty, hard to read, turned upright)
and what the client answered; the one large picture of the page shown large."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtGui import QImage

from kiosk.core.session import Session
from kiosk.services.pages.imaging import EncodedPage, PageReport
from kiosk.ui.presenter.background import Background
from kiosk.ui.presenter.pagenote import PageNote, note_for
from kiosk.ui.presenter.pagestore import PageStore, StoredPage, large_picture, turned
from kiosk.ui.presenter.view import PageView

log = logging.getLogger(__name__)


class ReviewNotes:
    """The client's answers to the pages' questions, for this session only (``forget`` is
    part of every wipe). Page ids only: nothing of a page's content."""

    def __init__(self, drop_blank: bool = False) -> None:
        self.drop_blank = drop_blank  # [scanner] drop_blank: empty pages go out by themselves
        self._kept: set[str] = set()  # answered: kept, or taken out by the client
        self._dropped: set[str] = set()  # taken out by themselves (the client may undo it)

    def note(self, page_id: str, report: PageReport | None) -> PageNote:
        return note_for(report, page_id in self._kept or page_id in self._dropped)

    def answer(self, page_id: str) -> None:
        """The client kept the page, or took it out (brought back, it is not asked again)."""
        self._kept.add(page_id)

    def to_drop(self, session: Session, store: PageStore) -> list[str]:
        """The pages flagged empty to take out now the scan has ended (drop_blank only);
        each is taken out once: one the client brings back stays."""
        if not self.drop_blank:
            return []
        found = []
        for ref in session.pages:
            stored = store.get(ref.page_id)
            report = stored.report if stored is not None else None
            if report is not None and report.blank and ref.page_id not in self._handled:
                found.append(ref.page_id)
        self._dropped.update(found)
        return found

    @property
    def _handled(self) -> set[str]:
        return self._kept | self._dropped

    def dropped(self, session: Session) -> list[int]:
        """Where the pages taken out by themselves were (0-based), as "Undo" brings them back."""
        return [
            d.index
            for d in session.deleted
            if d.page.page_id in self._dropped and d.page.page_id not in self._kept
        ]

    def forget(self) -> None:
        self._kept.clear()
        self._dropped.clear()


class LargePage:
    """The one page shown large: decoded off the GUI thread when it is opened, dropped when
    it is closed. Per page only the thumbnail stays; this is never more than one picture."""

    def __init__(self, background: Background, on_ready: Callable[[], None]) -> None:
        self.background, self.on_ready = background, on_ready
        self._key: tuple[str, int] | None = None
        self._image: QImage | None = None
        self._job = 0  # a picture decoded for a page closed since is dropped

    def picture(self, page_id: str, page: EncodedPage, rotation: int) -> QImage | None:
        """The picture of this page as turned, or None while it is being decoded."""
        key = (page_id, rotation)
        if key != self._key:
            self.close()
            self._key = key
            job = self._job
            self.background.run(
                lambda: large_picture(page, rotation),
                lambda image: self._arrived(job, image),
                lambda err: log.error("page picture failed: %s", type(err).__name__),
            )
        return self._image

    @property
    def image(self) -> QImage | None:
        """The picture decoded for the page shown large (None: none shown, or not yet)."""
        return self._image

    def _arrived(self, job: int, image: QImage) -> None:
        if job == self._job:
            self._image = image
            self.on_ready()

    def close(self) -> None:
        self._key, self._image = None, None
        self._job += 1


def page_views(
    session: Session,
    store: PageStore,
    notes: ReviewNotes,
    large: LargePage,
    opened: str | None,
) -> tuple[PageView, ...]:
    """The session's pages as the screens show them: the thumbnail turned as the client
    turned it, the large picture of the opened page only, and what to say about each."""
    pages = []
    shown = False
    for number, ref in enumerate(session.pages, 1):
        stored: StoredPage | None = store.get(ref.page_id)
        if stored is None:
            continue
        picture = None
        if ref.page_id == opened:
            picture, shown = large.picture(ref.page_id, stored.encoded, ref.rotation), True
        note = notes.note(ref.page_id, stored.report)
        thumb = turned(stored.thumbnail, ref.rotation)
        pages.append(PageView(ref.page_id, number, ref.rotation, thumb, picture, note))
    if not shown:
        large.close()  # closed, deleted, scanned again or wiped: its picture goes at once
    return tuple(pages)
