"""Checking the pages: thumbnails, one page large, turn, delete, scan again, add, send;
the pages' questions (seems empty, hard to read) and the page limit."""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPixmap, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QBoxLayout,
    QGridLayout,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.session import pages_left
from kiosk.ui.presenter import intents as do
from kiosk.ui.presenter.pagenote import PageNote
from kiosk.ui.presenter.view import PageView, View
from kiosk.ui.screens.base import MARGIN, Screen, button_row, stack_in_portrait, title_block
from kiosk.ui.screens.review_tile import (
    THUMBNAIL_BOX,
    PageTile,
    marks,
    page_actions,
    widest_tile,
)
from kiosk.ui.widgets.basic import BigButton, Notice, label, pictogram_label, touch_scroll_area
from kiosk.ui.widgets.sizing import OWN_SIZE, fit_tree
from kiosk.ui.widgets.theme import Metrics

COLUMNS = 3  # at most; a tile needs room for three buttons with words beside the page
PREVIEW = (640, 880)  # SCREEN px: a page shown large
TILE = 560  # SCREEN px: the least width of a tile (3 columns at 1920 px, 1 in portrait)
# A tile is built for a page this many screen heights above or below what the grid shows,
# and dropped beyond FAR (between the two it stays: a short scroll builds nothing again).
NEAR, FAR = 1.0, 2.0
FIRST_ROWS = 4  # built while the screen is hidden (the scan screen shows the pages coming)
TileKey = tuple[str, int, PageNote]


class TileSlot(QWidget):
    """A page's place in the grid: its tile while the page is near what the grid shows,
    else an empty box as high as its tile was (or as tiles are). Per page only this box
    stays: a tile is ~0.45 MiB of widgets, and a hundred pages kept a hundred (issue 15)."""

    def __init__(self, page: PageView, height: int) -> None:
        super().__init__()
        self.page = page
        self.tile: PageTile | None = None
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.setMinimumHeight(height)

    def hold(self, tile: PageTile) -> None:
        self.tile = tile
        self.setMinimumHeight(0)
        self.box.addWidget(tile)

    def release(self) -> None:
        """The tile goes (freed soon after); the box keeps its height, nothing moves."""
        tile, self.tile = self.tile, None
        if tile is not None:
            self.setMinimumHeight(tile.height())
            self.box.removeWidget(tile)
            tile.setParent(None)
            tile.deleteLater()


class ReviewScreen(Screen):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pages = QStackedLayout()
        self.column.addLayout(self.pages, 1)
        self.all = QWidget()
        self.large = QWidget()
        self.pages.addWidget(self.all)
        self.pages.addWidget(self.large)
        self._build_all()
        self._build_large()
        # A place per page as shown: (page id, rotation, note) -> slot, with its tile while
        # near what is shown, built once per look (language, text size); grid order of the
        # slots; see _sync_tiles and _fill.
        self.slots: dict[TileKey, TileSlot] = {}
        self.look: tuple[object, ...] = ()
        self.order: tuple[TileKey, ...] = ()
        self.shown: View | None = None  # the view the tiles are built for
        self.tall = 0  # px: the highest tile built in this look, for a slot never filled
        self.filling = False
        bar = self.pages_area.verticalScrollBar()
        bar.valueChanged.connect(self._fill)
        bar.rangeChanged.connect(self._fill)
        self.columns = self.room_for = COLUMNS
        self.measured: tuple[object, ...] = ()  # the text size and screen columns fit

    def fit(self, metrics: Metrics) -> None:
        super().fit(metrics)
        self.room_for = max(1, min(COLUMNS, int((metrics.units - 2 * MARGIN) // TILE)))
        self._set_columns(self.room_for)
        self.measured = ()  # measured again for the new sizes
        for tile in self.tiles.values():
            fit_tree(tile, metrics)
        self.tall = 0
        # Upright, Undo / Add pages / Send one above the other: side by side their words
        # are cut in large text.
        stack_in_portrait(self.action_row, metrics)
        # The page large above its buttons in portrait, beside them on a landscape screen.
        self.large_row.setDirection(
            QBoxLayout.Direction.TopToBottom
            if metrics.portrait
            else QBoxLayout.Direction.LeftToRight
        )

    def _build_all(self) -> None:
        box = QVBoxLayout(self.all)
        box.setContentsMargins(0, 0, 0, 0)
        self.title, self.subtitle = title_block(box)
        # The page limit reached, empty pages taken out: above the pages, with a pictogram.
        self.notice = Notice("info", 64)
        self.notice.setObjectName("review-notice")
        self.notice.hide()
        box.addWidget(self.notice)
        scroll = self.pages_area = touch_scroll_area()
        inner = self.inner = QWidget()
        stack = QVBoxLayout(inner)
        stack.setContentsMargins(0, 0, 0, 0)
        self.grid = QGridLayout()
        self.grid.setSpacing(18)
        for column in range(COLUMNS):
            self.grid.setColumnStretch(column, 1)
        stack.addLayout(self.grid)
        stack.addStretch(1)  # tiles keep their height; the room left stays below them
        scroll.setWidget(inner)
        box.addWidget(scroll, 1)
        row = self.action_row = button_row(box)
        # "Undo" keeps its place when there is nothing to undo: the buttons beside it never
        # move under a finger.
        self.undo = BigButton("undo")
        self.undo.setObjectName("undo-delete")
        policy = self.undo.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.undo.setSizePolicy(policy)
        self.undo.clicked.connect(lambda: self.ask(do.RestorePage()))
        row.addWidget(self.undo)
        self.more = BigButton("plus")
        self.more.clicked.connect(lambda: self.ask(do.AddPages()))
        self.send = BigButton("send", "primary")
        self.send.clicked.connect(lambda: self.ask(do.Send()))
        row.addWidget(self.more)
        row.addWidget(self.send)

    def _build_large(self) -> None:
        row = self.large_row = QBoxLayout(QBoxLayout.Direction.LeftToRight, self.large)
        row.setContentsMargins(0, 0, 0, 0)
        self.preview = pictogram_label(0)
        self.preview.setFixedSize(*PREVIEW)
        self.preview.setObjectName("page-preview")
        row.addWidget(self.preview, 0, Qt.AlignmentFlag.AlignHCenter)
        self.side = QVBoxLayout()
        self.side.setSpacing(20)
        self.large_title = label("title")
        self.side.addWidget(self.large_title)
        self.large_marks = label()  # "Seems empty", "Turned upright": as on the tile
        self.side.addWidget(self.large_marks)
        self.side.addStretch(1)
        self.back = BigButton("back")
        self.back.clicked.connect(lambda: self.ask(do.ClosePage()))
        self.side.addWidget(self.back)
        row.addLayout(self.side, 1)
        self.large_actions: list[BigButton] = []
        self.large_key: tuple[object, ...] = ()  # the page (and look) its buttons are for

    def show_view(self, view: View) -> None:
        t, count = view.texts, len(view.pages)
        self.title.setText(t.gettext("Check your pages"))
        self.subtitle.setText(t.gettext("Tap a page to see it large."))
        self.more.set_content(view.palette, t.gettext("Add more pages"))
        full = pages_left(view.session) == 0
        self.more.setEnabled(not full)  # the core takes no more pages either
        self._show_notice(view, full)
        deleted = view.session.deleted
        # Filled even while hidden: its size is kept, so nothing in the row moves.
        number = t.number(deleted[-1].index + 1 if deleted else max(count, 1))
        self.undo.set_content(
            view.palette,
            t.fill(t.gettext("Bring back page {number}"), number=number),
            rtl=t.rtl,
        )
        self.undo.setVisible(bool(deleted))
        self.send.setEnabled(count > 0)
        if count == 0:
            self.subtitle.setText(t.gettext("No pages left. Bring one back, or add pages."))
        self.send.set_content(
            view.palette,
            t.fill(
                t.ngettext("Send {count} page", "Send {count} pages", count), count=t.number(count)
            ),
            rtl=t.rtl,
        )
        self._sync_tiles(view)
        opened = next((p for p in view.pages if p.page_id == view.opened_page), None)
        if opened is not None:
            self._show_large(view, opened)
            self.pages.setCurrentWidget(self.large)
        else:
            self.preview.clear()
            self.large_key = ()
            self.pages.setCurrentWidget(self.all)

    def _show_notice(self, view: View, full: bool) -> None:
        t, lines = view.texts, []
        if full and view.session.limits.max_pages is not None:
            limit = view.session.limits.max_pages
            text = t.ngettext(
                "You can send up to {count} page at once. Send these first, then scan the rest.",
                "You can send up to {count} pages at once. Send these first, then scan the rest.",
                limit,
            )
            lines.append(t.fill(text, count=t.number(limit)))
        if dropped := len(view.dropped_blank):
            text = t.ngettext(
                "{count} empty page was taken out. You can bring it back.",
                "{count} empty pages were taken out. You can bring them back.",
                dropped,
            )
            lines.append(t.fill(text, count=t.number(dropped)))
        if lines:
            self.notice.show_message(view.palette, "\n".join(lines))
        self.notice.setVisible(bool(lines))

    def prepare(self, view: View) -> None:
        """While the scan screen shows the pages coming in, their tiles are built here one
        at a time: the review screen then appears at once, not after building them all."""
        self._sync_tiles(view)
        if view.opened_page is None:
            self.preview.clear()  # a page's large picture never waits on a hidden screen

    @property
    def tiles(self) -> dict[TileKey, PageTile]:
        """The tiles built now (those of the pages near what the grid shows)."""
        return {key: slot.tile for key, slot in self.slots.items() if slot.tile is not None}

    def _sync_tiles(self, view: View) -> None:
        """A place for each page of ``view``, in order, and a tile in those near what is
        shown; a tile is built only for a page new to this screen or turned since, and again
        for all when the words would change."""
        look = (view.texts.language, view.settings, self.metrics)
        if look != self.look:
            self._drop(self.slots.values())
            self.slots, self.look, self.order, self.tall = {}, look, (), 0
        self.shown = view
        slots = {}
        for page in view.pages:
            key = (page.page_id, page.rotation, page.note)
            slot = self.slots.pop(key, None)
            if slot is None:
                slot = TileSlot(page, self.tall or self.metrics.px(THUMBNAIL_BOX + 90))
            slot.page = page
            if slot.tile is not None:
                slot.tile.show_number(view, page.number)
            slots[key] = slot
        self._drop(self.slots.values())  # deleted, turned or answered (built again above)
        self.slots = slots
        self._fit_columns(view)
        self._lay_out()
        self._fill()

    def _fill(self) -> None:
        """Tiles for the pages near what the grid shows (while the screen is hidden: its
        first rows), none for those far from it."""
        view = self.shown
        if view is None or self.filling or not self.slots:
            return
        self.filling = True
        try:
            built = self._build_near(view)
        finally:
            self.filling = False
        if built:  # the grid grew or shrank by the new tiles: what is near may differ now
            self._order_focus()
            QTimer.singleShot(0, self._fill)

    def _order_focus(self) -> None:
        """The arrow keys go through the pages in their order, then Undo, Add pages, Send:
        Qt's focus chain is the order widgets were made in, and a tile made when its page
        was scrolled to (or turned, or answered) came after every other."""
        chain: list[QWidget] = [
            button
            for slot in self.slots.values()
            if slot.tile is not None
            for button in slot.tile.findChildren(QAbstractButton)
        ]
        chain += [self.undo, self.more, self.send]
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)

    def _build_near(self, view: View) -> bool:
        built = False
        visible = self.pages_area.isVisible()
        layout = self.inner.layout()
        if visible and layout is not None:
            layout.activate()  # the slots where they are now, not where they were
        height = max(self.pages_area.viewport().height(), 1)
        top = self.pages_area.verticalScrollBar().value()
        first = self.columns * FIRST_ROWS
        for index, slot in enumerate(self.slots.values()):
            if visible:
                near = self._within(slot, top - NEAR * height, top + (1 + NEAR) * height)
                far = not self._within(slot, top - FAR * height, top + (1 + FAR) * height)
            else:
                near, far = index < first, False  # nothing is dropped while hidden
            if slot.tile is None and near:
                tile = PageTile(slot.page, view, self.ask)
                fit_tree(tile, self.metrics)
                slot.hold(tile)
                self.tall = max(self.tall, tile.sizeHint().height())
                built = True
            elif slot.tile is not None and far:
                slot.release()
        return built

    @staticmethod
    def _within(slot: TileSlot, low: float, high: float) -> bool:
        return slot.y() + slot.height() >= low and slot.y() <= high

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self._fill)  # laid out for the screen now: what is near it

    def _lay_out(self) -> None:
        order = tuple(self.slots)
        if order != self.order:
            while self.grid.count():
                self.grid.takeAt(0)
            for i, slot in enumerate(self.slots.values()):
                self.grid.addWidget(slot, *divmod(i, self.columns))
            self.order = order

    def _fit_columns(self, view: View) -> None:
        """Fewer columns where the tiles' words need more room than TILE (large text in a
        long language): a tile is never cut at the screen's edge. Measured once per text
        size and screen, for every language at once (language switches stay quick)."""
        measured = (view.settings, self.metrics)
        if measured == self.measured or not view.pages:
            return
        self.measured = measured
        need = widest_tile(view, self.all, self.metrics)
        m = self.metrics
        gap = max(0, self.grid.horizontalSpacing())
        bar = self.pages_area.verticalScrollBar().sizeHint().width()
        room = m.width - m.px(2 * MARGIN) - bar
        fits = max(1, (room + gap) // (max(need, 1) + gap))
        self._set_columns(min(fits, self.room_for))

    def _set_columns(self, columns: int) -> None:
        if columns != self.columns:
            self.columns = columns
            for column in range(COLUMNS):
                self.grid.setColumnStretch(column, 1 if column < columns else 0)
            self.order = ()  # laid out again in the new columns

    @staticmethod
    def _drop(tiles: Iterable[QWidget]) -> None:
        for tile in tiles:
            tile.setParent(None)  # out of the window at once, freed soon after
            tile.deleteLater()

    def _show_large(self, view: View, page: PageView) -> None:
        t = view.texts
        # The thumbnail, enlarged, for the moment the large picture takes to decode.
        pixmap = QPixmap.fromImage(page.preview if page.preview is not None else page.thumbnail)
        # Large text: the page a fifth smaller, the taller header and words need the height.
        share = 0.8 if view.settings.large_text else 1.0
        self.preview.setProperty(OWN_SIZE, True)
        self.preview.setFixedSize(*(self.metrics.px(round(side * share)) for side in PREVIEW))
        self.preview.setPixmap(
            pixmap.scaled(self.preview.size(), Qt.AspectRatioMode.KeepAspectRatio)
        )
        self.large_title.setText(
            t.fill(
                t.gettext("Page {number} of {count}"),
                number=t.number(page.number),
                count=t.number(len(view.pages)),
            )
        )
        self.large_marks.setText("\n".join(words for _icon, words in marks(t, page.note)))
        self.large_marks.setVisible(bool(self.large_marks.text()))
        self.back.set_content(view.palette, t.gettext("Back to all pages"), rtl=t.rtl)
        key = (page.page_id, self.look)
        if key == self.large_key:
            return  # the same page's large picture arrived: its buttons stay under the finger
        self.large_key = key
        for button in self.large_actions:
            button.setParent(None)
            button.deleteLater()
        self.large_actions = page_actions(view, page.page_id, self.ask)
        for button in self.large_actions:
            button.fit(self.metrics)
        for i, button in enumerate(self.large_actions):
            self.side.insertWidget(2 + i, button)  # below the title and the marks

    def wipe(self) -> None:
        self.preview.clear()
        self._drop(self.slots.values())
        self.slots, self.look, self.order, self.shown = {}, (), (), None
        for button in self.large_actions:
            button.setParent(None)
            button.deleteLater()
        self.large_actions, self.large_key = [], ()

    def instructions(self, view: View) -> str:
        t = view.texts
        return t.gettext("Check your pages") + ". " + t.gettext("Tap a page to see it large.")
