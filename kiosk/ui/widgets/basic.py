"""Building blocks of every screen: wrapped labels, big buttons with a pictogram and text."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSize, Qt
from PySide6.QtGui import QFocusEvent, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QScroller,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.services.assets.theme import Palette
from kiosk.ui.i18n.bidi import RLM
from kiosk.ui.widgets.pictograms import render
from kiosk.ui.widgets.sizing import OWN_SIZE
from kiosk.ui.widgets.theme import TOUCH_TARGET, Metrics

INK = 6  # px beside a label's text: the overhang of the widest glyph ink seen (5 px)


class Words(QLabel):
    """Plain text whose paragraph runs the way the layout does, not the way its first letter does.

    Qt lays out (and aligns) a plain-text label in the direction of its first strong letter:
    on an Arabic screen "6", "K7M-4QX-9TB" or a sentence starting with a German word would run
    and align left to right. A right-to-left mark in front makes the paragraph right to left;
    it follows the label's direction, also when that changes after the text.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.words = ""
        # Room for ink beyond the letters' advance (the hook of a J, an Arabic comma ending a
        # line): Qt lays text out in the contents, but clips it at the label's edge.
        self.setContentsMargins(INK, 0, INK, 0)

    def setText(self, text: str) -> None:
        self.words = text
        rtl = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        super().setText(RLM + text if rtl and text else text)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LayoutDirectionChange:
            self.setText(self.words)


def label(role: str = "", wrap: bool = True, parent: QWidget | None = None) -> QLabel:
    widget = Words(parent)
    widget.setWordWrap(wrap)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    if role:
        widget.setProperty("role", role)
    widget.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return widget


W = TypeVar("W", bound=QWidget)
LTR_ISLAND = "keeps_left_to_right"  # marks a widget that stays left to right on purpose


def ltr(widget: W) -> W:
    """Numbers and codes read left to right in every language (also in Arabic)."""
    widget.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    widget.setProperty(LTR_ISLAND, True)
    if isinstance(widget, QLabel):
        widget.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return widget


def pictogram_label(size: int) -> QLabel:
    """A square picture (``size`` > 0: drawn into whatever size the screen scales it to), or a
    box the screen sizes itself (0)."""
    widget = QLabel()
    widget.setFixedSize(size, size)
    widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
    widget.setScaledContents(size > 0)
    return widget


class ScrollArea(QScrollArea):
    """A QScrollArea whose content is laid out at the size it is given, also when shown.

    QScrollArea resizes its content while that content handles a resize event. A hidden
    content gets its last resize as a pending event when it is shown; a resize made while
    that is delivered is swallowed (Qt clears the pending flag after sending it), so the
    content keeps the new size with its layout still at the old one. The diagnostics rows
    stayed one line high that way after a screen in another text size had restyled them:
    the content grew to the layout's minimum, the rows never did. That resize is delivered
    here again."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        filtered = super().eventFilter(watched, event)
        content = self.widget()
        if (
            watched is content
            and event.type() == QEvent.Type.Resize
            and not content.isVisible()  # a visible one got its resize when it was made
            and isinstance(event, QResizeEvent)
            and content.size() != event.size()
        ):
            QCoreApplication.sendEvent(content, QResizeEvent(content.size(), event.size()))
        return filtered


def touch_scroll_area() -> QScrollArea:
    """A vertical area scrolled by finger. It never takes keyboard focus itself: a focused
    QScrollArea eats the arrow keys to scroll, and a keypad user was stuck on it."""
    area = ScrollArea()
    area.setWidgetResizable(True)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    # A finger drags the content: as touch events, and as the mouse events a touch panel
    # in pointer mode (or a mouse) sends; a tap without a drag still presses a button.
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.TouchGesture)
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    return area


class BigButton(QPushButton):
    """A touch target with a pictogram and a (wrapping) text, optionally a subtitle.

    Never colour alone: every button has an icon and words. The words are also its
    accessible name, so a screen reader and the speech output say the same.
    """

    def __init__(
        self,
        icon: str | None = None,
        role: str = "",
        icon_size: int = 64,
        vertical: bool = False,
        title_role: str = "",
        floor: int = TOUCH_TARGET,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        # A layout asks the button's own layout for its height-for-width (QWidgetItem), never
        # heightForWidth() below: only an explicit minimum height keeps the floor there.
        self.floor = max(TOUCH_TARGET, floor)
        self.built_floor = self.floor
        self.touch = TOUCH_TARGET
        self.setMinimumHeight(self.floor)
        self.icon_name = icon
        self.icon_size = icon_size
        self.built_icon = icon_size
        self.built_width: int | None = None  # a minimum width a screen gave it
        self.rtl = False  # drawn for a right-to-left language: arrows point that way
        if role:
            self.setProperty("role", role)
        direction = (
            QBoxLayout.Direction.TopToBottom if vertical else QBoxLayout.Direction.LeftToRight
        )
        box = QBoxLayout(direction, self)
        box.setContentsMargins(16, 10, 16, 10)
        box.setSpacing(16)
        self.picture = pictogram_label(icon_size)
        self.picture.setProperty(OWN_SIZE, True)  # fit() sizes it with the icon
        self.picture.setVisible(icon is not None)
        self.picture.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        words = QVBoxLayout()
        words.setSpacing(2)
        self.title = label(title_role)
        self.title.setObjectName("button-title")
        self.subtitle = label("muted")
        self.subtitle.hide()
        for part in (self.title, self.subtitle):
            part.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            words.addWidget(part)
        if vertical:  # a tile: the words in its middle, not at its top
            self.title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            self.subtitle.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            words.insertStretch(0, 1)
            words.addStretch(1)
        box.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignCenter)
        box.addLayout(words, 1)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

    def set_content(
        self, palette: Palette, text: str, subtitle: str | None = None, rtl: bool = False
    ) -> None:
        self.rtl = rtl
        self.title.setText(text)
        self.subtitle.setText(subtitle or "")
        self.subtitle.setVisible(bool(subtitle))
        self.setAccessibleName(text)
        self.setAccessibleDescription(subtitle or "")
        if self.icon_name is not None:
            role = self.property("role")
            colour = {"primary": palette.on_primary, "selected": palette.on_selected}.get(
                str(role), palette.on_secondary
            )
            self.picture.setPixmap(render(self.icon_name, self.icon_size, colour, rtl))

    def fit(self, m: Metrics) -> None:
        """Sizes for the screen: a smaller floor and icon on a small screen, never a target
        under m.touch (the icon is drawn at its new size by the next set_content)."""
        if self.built_width is None:
            self.built_width = self.minimumWidth()
        self.touch = m.touch
        self.floor = max(m.touch, m.px(self.built_floor))
        self.setMinimumHeight(self.floor)
        self.setMinimumWidth(m.px(self.built_width))
        self.icon_size = m.px(self.built_icon)
        self.picture.setFixedSize(self.icon_size, self.icon_size)
        self.updateGeometry()

    def set_icon(self, name: str) -> None:
        self.icon_name = name
        self.picture.setVisible(True)

    def sizeHint(self) -> QSize:
        layout = self.layout()
        hint = layout.sizeHint() if layout else super().sizeHint()
        return hint.expandedTo(QSize(self.touch, self.floor))

    def minimumSizeHint(self) -> QSize:
        layout = self.layout()
        hint = layout.minimumSize() if layout else super().minimumSizeHint()
        return hint.expandedTo(QSize(self.touch, self.floor))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        layout = self.layout()
        lowest = self.floor
        return max(lowest, layout.totalHeightForWidth(width)) if layout else lowest

    def focusInEvent(self, event: QFocusEvent) -> None:
        """Reached by the arrow keys: scroll it into view if it sits in a scroll area."""
        super().focusInEvent(event)
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if parent is not None:
            parent.ensureWidgetVisible(self)


class Card(QFrame):
    def __init__(self, role: str = "card", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", role)


class Notice(Card):
    """A hint or a problem: a pictogram and words on a framed box (never colour alone)."""

    def __init__(self, icon: str, icon_size: int = 96, parent: QWidget | None = None) -> None:
        super().__init__("notice", parent)
        self.icon_name = icon
        self.icon_size = icon_size
        row = QHBoxLayout(self)
        row.setContentsMargins(24, 16, 24, 16)
        row.setSpacing(24)
        self.picture = pictogram_label(icon_size)
        self.text = label("big")
        # More room for ink: a long Arabic line of a notice reached 7 px past its advance.
        self.text.setContentsMargins(2 * INK, INK // 2, 2 * INK, INK // 2)
        row.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.text, 1)

    def set_icon_size(self, size: int) -> None:
        """The pictogram's side (px, already scaled): smaller in large text, where the words
        need the room (drawn at that size by the next show_message)."""
        self.icon_size = size
        self.picture.setProperty(OWN_SIZE, True)
        self.picture.setFixedSize(size, size)

    def show_message(self, palette: Palette, text: str, icon: str | None = None) -> None:
        self.icon_name = icon or self.icon_name
        self.picture.setPixmap(render(self.icon_name, self.icon_size, palette.on_notice))
        self.text.setText(text)
        self.setAccessibleName(text)
        self.show()
