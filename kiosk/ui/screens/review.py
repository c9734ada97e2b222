"""Checking the pages: thumbnails, one page large, turn, delete, scan again, add, send."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.presenter import intents as do
from kiosk.ui.presenter.view import PageView, View
from kiosk.ui.screens.base import MARGIN, Screen, button_row, stack_in_portrait, title_block
from kiosk.ui.widgets.basic import BigButton, Card, label, pictogram_label, touch_scroll_area
from kiosk.ui.widgets.sizing import fit_tree
from kiosk.ui.widgets.theme import Metrics

COLUMNS = 3  # at most; a tile needs room for three buttons with words beside the page
TILE = 560  # SCREEN px: the least width of a tile (3 columns at 1920 px, 1 in portrait)
THUMBNAIL_BOX = 230  # px, square: a turned page keeps the tile's size


class PageTile(Card):
    """One page: its number, its thumbnail (tap: show large) and what can be done with it."""

    def __init__(self, page: PageView, view: View, ask: object) -> None:
        super().__init__()
        self.page_id = page.page_id
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 12, 12, 12)
        row.setSpacing(16)
        left = QVBoxLayout()
        left.setSpacing(4)
        self.caption = label("big")
        left.addWidget(self.caption)
        self.open = QPushButton()
        self.open.setProperty("role", "tile")
        self.open.setFixedSize(THUMBNAIL_BOX, THUMBNAIL_BOX)
        self.open.setIcon(QIcon(QPixmap.fromImage(page.thumbnail)))
        self.open.setIconSize(QSize(THUMBNAIL_BOX - 30, THUMBNAIL_BOX - 30))
        self.open.setObjectName("page-thumbnail")
        self.number = 0
        self.show_number(view, page.number)
        left.addWidget(self.open)
        left.addStretch(1)
        row.addLayout(left)
        actions = QVBoxLayout()
        actions.setSpacing(8)
        for button in page_actions(view, page.page_id, ask, icon_size=44, title_role="medium"):
            actions.addWidget(button)
        actions.addStretch(1)
        row.addLayout(actions, 1)
        assert callable(ask)
        self.open.clicked.connect(lambda: ask(do.OpenPage(page.page_id)))

    def show_number(self, view: View, number: int) -> None:
        """Deleting a page before this one renumbers it; the tile itself stays."""
        if number == self.number:
            return
        self.number = number
        t = view.texts
        name = t.fill(t.gettext("Page {number}"), number=t.number(number))
        self.caption.setText(name)
        self.open.setAccessibleName(name)


def page_actions(
    view: View, page_id: str, ask: object, icon_size: int = 64, title_role: str = ""
) -> list[BigButton]:
    t, palette = view.texts, view.palette
    assert callable(ask)
    buttons = []
    for icon, text, intent in (
        ("rotate", t.gettext("Turn"), do.RotatePage(page_id)),
        ("trash", t.gettext("Delete"), do.DeletePage(page_id)),
        ("feeder", t.gettext("Scan again"), do.RescanPage(page_id)),
    ):
        button = BigButton(icon, icon_size=icon_size, title_role=title_role)
        box = button.layout()
        if box is not None and icon_size < 64:
            box.setContentsMargins(12, 6, 12, 6)
            box.setSpacing(12)
        button.set_content(palette, text)
        button.clicked.connect(lambda _=False, i=intent: ask(i))
        buttons.append(button)
    return buttons


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
        # A tile per page as shown: (page id, rotation) -> tile, built once per look
        # (language, text size); grid order of the tiles; see _sync_tiles.
        self.tiles: dict[tuple[str, int], PageTile] = {}
        self.look: tuple[object, ...] = ()
        self.order: tuple[tuple[str, int], ...] = ()
        self.columns = COLUMNS

    def fit(self, metrics: Metrics) -> None:
        super().fit(metrics)
        columns = max(1, min(COLUMNS, int((metrics.units - 2 * MARGIN) // TILE)))
        if columns != self.columns:
            self.columns = columns
            for column in range(COLUMNS):
                self.grid.setColumnStretch(column, 1 if column < columns else 0)
            self.order = ()  # laid out again in the new columns
        for tile in self.tiles.values():
            fit_tree(tile, metrics)
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
        scroll = touch_scroll_area()
        inner = QWidget()
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
        self.preview.setFixedSize(640, 880)
        self.preview.setObjectName("page-preview")
        row.addWidget(self.preview, 0, Qt.AlignmentFlag.AlignHCenter)
        self.side = QVBoxLayout()
        self.side.setSpacing(20)
        self.large_title = label("title")
        self.side.addWidget(self.large_title)
        self.side.addStretch(1)
        self.back = BigButton("back")
        self.back.clicked.connect(lambda: self.ask(do.ClosePage()))
        self.side.addWidget(self.back)
        row.addLayout(self.side, 1)
        self.large_actions: list[BigButton] = []

    def show_view(self, view: View) -> None:
        t, count = view.texts, len(view.pages)
        self.title.setText(t.gettext("Check your pages"))
        self.subtitle.setText(t.gettext("Tap a page to see it large."))
        self.more.set_content(view.palette, t.gettext("Add more pages"))
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
            self.pages.setCurrentWidget(self.all)

    def prepare(self, view: View) -> None:
        """While the scan screen shows the pages coming in, their tiles are built here one
        at a time: the review screen then appears at once, not after building them all."""
        self._sync_tiles(view)

    def _sync_tiles(self, view: View) -> None:
        """A tile for each page of ``view``, in order; a tile is built only for a page new
        to this screen or turned since, and again for all when the words would change."""
        look = (view.texts.language, view.settings, self.metrics)
        if look != self.look:
            self._drop(self.tiles.values())
            self.tiles, self.look, self.order = {}, look, ()
        tiles = {}
        for page in view.pages:
            key = (page.page_id, page.rotation)
            tile = self.tiles.pop(key, None)
            if tile is None:
                tile = PageTile(page, view, self.ask)
                fit_tree(tile, self.metrics)
            tile.show_number(view, page.number)
            tiles[key] = tile
        self._drop(self.tiles.values())  # deleted, or turned (built again above)
        self.tiles = tiles
        order = tuple(tiles)
        if order != self.order:
            while self.grid.count():
                self.grid.takeAt(0)
            for i, tile in enumerate(tiles.values()):
                self.grid.addWidget(tile, *divmod(i, self.columns))
            self.order = order

    @staticmethod
    def _drop(tiles: Iterable[PageTile]) -> None:
        for tile in tiles:
            tile.setParent(None)  # out of the window at once, freed soon after
            tile.deleteLater()

    def _show_large(self, view: View, page: PageView) -> None:
        t = view.texts
        pixmap = QPixmap.fromImage(page.preview)
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
        for button in self.large_actions:
            button.setParent(None)
            button.deleteLater()
        self.large_actions = page_actions(view, page.page_id, self.ask)
        for button in self.large_actions:
            button.fit(self.metrics)
        for i, button in enumerate(self.large_actions):
            self.side.insertWidget(1 + i, button)
        self.back.set_content(view.palette, t.gettext("Back to all pages"), rtl=t.rtl)

    def wipe(self) -> None:
        self.preview.clear()
        self._drop(self.tiles.values())
        self.tiles, self.look, self.order = {}, (), ()
        for button in self.large_actions:
            button.setParent(None)
            button.deleteLater()
        self.large_actions = []

    def instructions(self, view: View) -> str:
        t = view.texts
        return t.gettext("Check your pages") + ". " + t.gettext("Tap a page to see it large.")
