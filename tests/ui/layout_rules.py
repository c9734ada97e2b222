"""What the layout test checks on a rendered window: clipped text, small targets, overlaps."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

import numpy as np
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QLabel,
    QPushButton,
    QStyle,
    QStyleOptionButton,
    QWidget,
)

from kiosk.ui.widgets.basic import LTR_ISLAND, BigButton
from kiosk.ui.widgets.pictograms import mirrored_in_rtl
from kiosk.ui.widgets.theme import TOUCH_TARGET

SLACK = 1  # px: rounding between font metrics and layout


def shown(window: QWidget) -> Iterator[QWidget]:
    """Every widget the client can see: visible, and not hidden under the timeout overlay."""
    overlay = getattr(window, "overlay", None)
    covered = overlay is not None and overlay.isVisible()
    for widget in window.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if covered and not (widget is overlay or overlay.isAncestorOf(widget)):
            continue
        yield widget


def name(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, QLabel | QAbstractButton) else ""
    return repr(text or widget.accessibleName() or widget.objectName() or type(widget).__name__)


def scroller_of(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return parent
        parent = parent.parentWidget()
    return None


def window_rect(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())


def _label_room(label: QLabel) -> QRect:
    margin = label.margin()
    return label.contentsRect().adjusted(margin, margin, -margin, -margin)


def _starts_right_to_left(text: str) -> bool:
    """The direction Qt gives a plain-text label: its first strong letter outside isolates."""
    depth = 0
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("LRI", "RLI", "FSI"):
            depth += 1
        elif kind == "PDI":
            depth = max(0, depth - 1)
        elif depth == 0 and kind in ("L", "R", "AL"):
            return kind != "L"
    return False


def ink_overhang(label: QLabel) -> int:
    """How far (px) the label's letters reach past its edge, drawn as QLabel draws them.

    Layout goes by the letters' advance; ink can reach further (the hook of a J, an Arabic
    comma ending a line) and the label cuts it off at its edge.
    """
    room = _label_room(label)
    rtl = _starts_right_to_left(label.text())
    direction = Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
    flags = int(QStyle.visualAlignment(direction, label.alignment()))
    flags |= int(Qt.TextFlag.TextForceRightToLeft if rtl else Qt.TextFlag.TextForceLeftToRight)
    if label.wordWrap():
        flags |= int(Qt.TextFlag.TextWordWrap)
    margin = 40
    image = QImage(
        label.width() + 2 * margin, label.height() + 2 * margin, QImage.Format.Format_ARGB32
    )
    image.fill(0)
    painter = QPainter(image)
    painter.setFont(label.font())
    painter.setPen(QColor("black"))
    painter.drawText(room.translated(margin, margin), flags, label.text())
    painter.end()
    alpha = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), -1, 4)[:, :, 3]
    columns, rows = np.nonzero(alpha.any(axis=0))[0], np.nonzero(alpha.any(axis=1))[0]
    if not len(columns):
        return 0
    return int(
        max(
            margin - columns[0],
            columns[-1] + 1 - margin - label.width(),
            margin - rows[0],
            rows[-1] + 1 - margin - label.height(),
            0,
        )
    )


def clipped_text(widgets: list[QWidget]) -> list[str]:
    """Text that needs more room than its label or button gives it (also one over-long word),
    and letters whose ink the label cuts off."""
    problems = []
    for widget in widgets:
        if isinstance(widget, QLabel) and widget.text() and (over := ink_overhang(widget)):
            problems.append(f"{name(widget)} is cut off by {over} px")
        if isinstance(widget, QLabel) and widget.text():
            room = _label_room(widget)
            flags = int(widget.alignment())
            if widget.wordWrap():
                flags |= int(Qt.TextFlag.TextWordWrap)
            tall = QRect(0, 0, room.width(), 100_000)
            need = widget.fontMetrics().boundingRect(tall, flags, widget.text())
        elif isinstance(widget, QPushButton) and widget.text():
            option = QStyleOptionButton()
            widget.initStyleOption(option)
            style = widget.style()
            room = style.subElementRect(QStyle.SubElement.SE_PushButtonContents, option, widget)
            need = widget.fontMetrics().boundingRect(widget.text())
        else:
            continue
        if need.width() > room.width() + SLACK or need.height() > room.height() + SLACK:
            problems.append(
                f"{name(widget)} needs {need.width()}x{need.height()}, "
                f"has {room.width()}x{room.height()}"
            )
    return problems


def cut_off(widgets: list[QWidget], window: QWidget) -> list[str]:
    """Text or buttons reaching past the edge of a parent or the screen (a scroll area may)."""
    problems = []
    for widget in widgets:
        if not isinstance(widget, QLabel | QAbstractButton):
            continue
        child, parent = widget, widget.parentWidget()
        while parent is not None and not isinstance(parent.parentWidget(), QAbstractScrollArea):
            if not parent.rect().contains(child.geometry()):
                problems.append(f"{name(widget)} reaches past {name(parent)}")
                break
            child, parent = parent, parent.parentWidget()
        on_screen = window.rect().contains(window_rect(widget, window))
        if not on_screen and scroller_of(widget) is None:
            problems.append(f"{name(widget)} reaches past the screen")
    return problems


def small_targets(widgets: list[QWidget]) -> list[str]:
    return [
        f"{name(b)} {b.width()}x{b.height()}"
        for b in widgets
        if isinstance(b, QAbstractButton) and min(b.width(), b.height()) < TOUCH_TARGET
    ]


def oversized_icons(widgets: list[QWidget]) -> list[str]:
    """Buttons whose picture is larger than the button: it covers the button's own frame
    (page thumbnails once drew over their borders on a smaller screen)."""
    return [
        f"{name(b)} icon {b.iconSize().width()}x{b.iconSize().height()} in {b.width()}x{b.height()}"
        for b in widgets
        if isinstance(b, QAbstractButton)
        and not b.icon().isNull()
        and (b.iconSize().width() > b.width() or b.iconSize().height() > b.height())
    ]


def overlaps(widgets: list[QWidget], window: QWidget) -> list[str]:
    """Buttons and labels drawn over each other (a parent and its child do not count)."""
    drawn = [w for w in widgets if isinstance(w, QLabel | QAbstractButton)]
    rects = [window_rect(w, window) for w in drawn]
    problems = []
    for i, a in enumerate(drawn):
        for j in range(i + 1, len(drawn)):
            b = drawn[j]
            if a.isAncestorOf(b) or b.isAncestorOf(a):
                continue
            if rects[i].intersects(rects[j]) and scroller_of(a) is scroller_of(b):
                problems.append(f"{name(a)} overlaps {name(b)}")
    return problems


def scrolling(widgets: list[QWidget]) -> list[str]:
    """Scroll areas whose content does not fit (the client would have to scroll)."""
    return [
        f"{name(w)} scrolls"
        for w in widgets
        if isinstance(w, QAbstractScrollArea)
        and (w.verticalScrollBar().maximum() > 0 or w.horizontalScrollBar().maximum() > 0)
    ]


def key(widget: QWidget, window: QWidget) -> tuple[int, ...]:
    """Where a widget sits in the widget tree: the same across languages."""
    path: list[int] = []
    while widget is not window and widget.parentWidget() is not None:
        parent = widget.parentWidget()
        path.append(parent.children().index(widget))
        widget = parent
    return tuple(reversed(path))


def keeps_left_to_right(widget: QWidget | None) -> bool:
    while widget is not None:
        if widget.property(LTR_ISLAND):
            return True
        widget = widget.parentWidget()
    return False


def sides(widgets: list[QWidget], window: QWidget) -> dict[tuple[int, ...], int]:
    """Buttons and pictures off the middle: -1 left, +1 right (outside left-to-right islands)."""
    middle = window.width() / 2
    found = {}
    for widget in widgets:
        if not isinstance(widget, QAbstractButton | QLabel):
            continue
        if keeps_left_to_right(widget.parentWidget()):
            continue  # inside the keypad: its keys keep telephone order on purpose
        if isinstance(widget, QLabel) and widget.pixmap().isNull():
            continue
        centre = window_rect(widget, window).center().x()
        if abs(centre - middle) > window.width() / 10:
            found[key(widget, window)] = -1 if centre < middle else 1
    return found


def wrong_way(widgets: list[QWidget], rtl: bool) -> list[str]:
    """Arrows and the send plane point the way the text reads: mirrored exactly in RTL."""
    return [
        f"{name(b)} points the wrong way"
        for b in widgets
        if isinstance(b, BigButton) and b.icon_name in mirrored_in_rtl() and b.rtl != rtl
    ]


def not_mirrored(rtl: dict[tuple[int, ...], int], ltr: dict[tuple[int, ...], int]) -> list[str]:
    return [f"widget at {path} stays on side {side}" for path, side in rtl.items()
            if ltr.get(path) == side]  # fmt: skip
