"""One page on the review screen: its number, its thumbnail, what the page pipeline found
(seems empty, hard to read, turned upright) and its question or its actions."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.core.records import replace
from kiosk.core.text import N_
from kiosk.ui.i18n.texts import Texts
from kiosk.ui.presenter import intents as do
from kiosk.ui.presenter.pagenote import Ask, PageNote
from kiosk.ui.presenter.view import PageView, View
from kiosk.ui.widgets.basic import BigButton, Card, label, pictogram_label
from kiosk.ui.widgets.pictograms import render
from kiosk.ui.widgets.sizing import fit_tree
from kiosk.ui.widgets.theme import Metrics

THUMBNAIL_BOX = 230  # px, square: a turned page keeps the tile's size
MARK = 36  # px: the pictogram beside a mark's words

Ask_ = Callable[[do.Intent], None]

# The question a page with a readability problem asks, by its problem (whole sentences:
# translated as one, never pieced together).
RESCAN_QUESTION = {
    "dark": N_("Page {number} is hard to read (too dark). Scan this sheet again?"),
    "blurred": N_("Page {number} is hard to read (blurred). Scan this sheet again?"),
    "cut_edge": N_("Page {number} is cut off at the edge. Scan this sheet again?"),
}


def marks(t: Texts, note: PageNote) -> list[tuple[str, str]]:
    """(pictogram, words) for what the tile shows about the page, never colour alone."""
    found = []
    if note.blank:
        found.append(("warning", t.gettext("Seems empty")))
    elif note.problem is not None:
        found.append(("warning", t.gettext("Hard to read")))
    if note.turned:
        found.append(("rotate", t.gettext("Turned upright")))
    return found


def question(t: Texts, note: PageNote, number: int) -> str:
    if note.ask is Ask.KEEP_BLANK:
        text = t.gettext("Page {number} seems empty. Keep it?")
    else:
        text = t.gettext(RESCAN_QUESTION[note.problem or "dark"])
    return t.fill(text, number=t.number(number))


def page_actions(
    view: View, page_id: str, ask: Ask_, icon_size: int = 64, title_role: str = ""
) -> list[BigButton]:
    t = view.texts
    return action_buttons(
        view,
        (
            ("rotate", t.gettext("Turn"), do.RotatePage(page_id)),
            ("trash", t.gettext("Delete"), do.DeletePage(page_id)),
            ("feeder", t.gettext("Scan again"), do.RescanPage(page_id)),
        ),
        ask,
        icon_size,
        title_role,
    )


def answers(view: View, page: PageView, ask: Ask_) -> list[BigButton]:
    """Keep, and what else the question offers: Remove (undoable) or Scan again."""
    t, page_id = view.texts, page.page_id
    other = (
        ("trash", t.gettext("Remove"), do.DeletePage(page_id))
        if page.note.ask is Ask.KEEP_BLANK
        else ("feeder", t.gettext("Scan again"), do.RescanPage(page_id))
    )
    keep = ("check", t.gettext("Keep"), do.KeepPage(page_id))
    return action_buttons(view, (keep, other), ask, 44, "medium")


def action_buttons(
    view: View,
    actions: tuple[tuple[str, str, do.Intent], ...],
    ask: Ask_,
    icon_size: int,
    title_role: str,
) -> list[BigButton]:
    buttons = []
    for icon, text, intent in actions:
        button = BigButton(icon, icon_size=icon_size, title_role=title_role)
        box = button.layout()
        if box is not None and icon_size < 64:
            box.setContentsMargins(12, 6, 12, 6)
            box.setSpacing(12)
        button.set_content(view.palette, text, rtl=view.texts.rtl)
        button.clicked.connect(lambda _=False, i=intent: ask(i))
        buttons.append(button)
    return buttons


def mark_row(view: View, icon: str, words: str) -> QWidget:
    row = QWidget()
    row.setObjectName("page-mark")
    box = QHBoxLayout(row)
    box.setContentsMargins(0, 0, 0, 0)
    box.setSpacing(8)
    picture = pictogram_label(MARK)
    picture.setPixmap(render(icon, MARK, view.palette.text, view.texts.rtl))
    text = label()
    text.setText(words)
    box.addWidget(picture, 0, Qt.AlignmentFlag.AlignTop)
    box.addWidget(text, 1)
    row.setAccessibleName(words)
    return row


class Thumbnail(QPushButton):
    """The page's picture on its tile (tap: show large), drawn from the page's thumbnail
    itself at the button's icon size: no pixmap of it per tile (issue 15: a tile's copy and
    its icon's cache were another 0.1-0.2 MiB per page)."""

    def __init__(self, image: QImage) -> None:
        super().__init__()
        self.image = image  # shared with the page store's (Qt's implicit sharing: no copy)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        size = self.image.size().scaled(self.iconSize(), Qt.AspectRatioMode.KeepAspectRatio)
        target = QRect(0, 0, size.width(), size.height())
        target.moveCenter(self.rect().center())
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(target, self.image)
        painter.end()


class PageTile(Card):
    """One page: its number, its thumbnail (tap: show large), what the pipeline found, and
    its open question (Keep / Remove, Keep / Scan again) or what can be done with it."""

    def __init__(self, page: PageView, view: View, ask: Ask_) -> None:
        super().__init__()
        self.page_id = page.page_id
        self.note = page.note
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 12, 12, 12)
        row.setSpacing(16)
        left = QVBoxLayout()
        left.setSpacing(4)
        self.caption = label("big")
        left.addWidget(self.caption)
        self.marks = [mark_row(view, icon, words) for icon, words in marks(view.texts, page.note)]
        for mark in self.marks:
            left.addWidget(mark)
        self.open = Thumbnail(page.thumbnail)
        self.open.setProperty("role", "tile")
        self.open.setFixedSize(THUMBNAIL_BOX, THUMBNAIL_BOX)
        self.open.setIconSize(QSize(THUMBNAIL_BOX - 30, THUMBNAIL_BOX - 30))  # the picture's
        self.open.setObjectName("page-thumbnail")
        self.question: QLabel | None = None
        self.number = 0
        left.addWidget(self.open)
        left.addStretch(1)
        row.addLayout(left)
        if page.note.ask is not None:
            row.addWidget(self._question_box(page, view, ask), 1)
        else:
            actions = QVBoxLayout()
            actions.setSpacing(8)
            for button in page_actions(view, page.page_id, ask, 44, "medium"):
                actions.addWidget(button)
            actions.addStretch(1)
            row.addLayout(actions, 1)
        self.show_number(view, page.number)
        self.open.clicked.connect(lambda: ask(do.OpenPage(page.page_id)))

    def _question_box(self, page: PageView, view: View, ask: Ask_) -> QWidget:
        box = Card("notice")
        box.setObjectName("page-question")
        column = QVBoxLayout(box)
        column.setContentsMargins(12, 10, 12, 10)
        column.setSpacing(8)
        self.question = label()
        column.addWidget(self.question)
        for button in answers(view, page, ask):
            column.addWidget(button)
        column.addStretch(1)
        return box

    def show_number(self, view: View, number: int) -> None:
        """Deleting a page before this one renumbers it; the tile itself stays."""
        if number == self.number:
            return
        self.number = number
        t = view.texts
        name = t.fill(t.gettext("Page {number}"), number=t.number(number))
        self.caption.setText(name)
        self.open.setAccessibleName(name)
        if self.question is not None:
            self.question.setText(question(t, self.note, number))


def widest_tile(view: View, parent: QWidget, metrics: Metrics) -> int:
    """The least width a tile needs in any language (its words in the largest text), with
    or without a question: the review screen's columns, the same in every language (so a
    right-to-left screen mirrors a left-to-right one), never a tile cut at the edge."""
    if not view.pages:
        return 0
    notes: tuple[PageNote, ...] = (PageNote(), PageNote(blank=True, ask=Ask.KEEP_BLANK))
    notes += tuple(PageNote(problem=problem, ask=Ask.RESCAN) for problem in RESCAN_QUESTION)
    need = 0
    for texts in view.catalogs.values() or (view.texts,):
        shown = replace(view, texts=texts)
        for note in notes:
            probe = PageTile(replace(view.pages[0], note=note, number=100), shown, lambda _: None)
            probe.setParent(parent)  # styled as the tiles are, never shown
            fit_tree(probe, metrics)
            probe.ensurePolished()
            need = max(need, probe.minimumSizeHint().width())
            probe.setParent(None)
            probe.deleteLater()
    return need
