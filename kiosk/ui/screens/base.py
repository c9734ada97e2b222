"""What every screen has: an intent signal, render(view), prepare(view), wipe() and speech."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.session import LANGUAGES
from kiosk.ui.i18n.texts import Texts
from kiosk.ui.presenter.view import View
from kiosk.ui.widgets.basic import INK, Card, label, pictogram_label
from kiosk.ui.widgets.theme import FULL, Metrics

if TYPE_CHECKING:  # the intents load with the presenter, after the first paint
    from kiosk.ui.presenter.intents import Intent

MARGIN = 48


class Screen(QWidget):
    intent = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("screen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(MARGIN, 24, MARGIN, 32)
        self.column.setSpacing(16)
        self.metrics = FULL

    def fit(self, metrics: Metrics) -> None:
        """The window's size changed: reflow what scaling alone does not fit (the window
        already scaled spacing and fixed sizes, kiosk.ui.widgets.sizing)."""
        self.metrics = metrics

    def ask(self, intent: Intent) -> None:
        self.intent.emit(intent)

    def show_view(self, view: View) -> None:
        raise NotImplementedError

    def prepare(self, view: View) -> None:
        """Another screen shows ``view``: build ahead what showing a later view will need,
        so that switching to this screen stays quick (most screens need nothing)."""

    def wipe(self) -> None:
        """Forget anything of a client's the screen shows (case number, pages)."""

    def instructions(self, view: View) -> str:
        """What speech output says when this screen appears."""
        return ""


def title_block(layout: QVBoxLayout) -> tuple[QLabel, QLabel]:
    """A screen title and a line under it."""
    title = label("title")
    subtitle = label()
    layout.addWidget(title)
    layout.addWidget(subtitle)
    return title, subtitle


def centred(layout: QVBoxLayout, widget: QWidget, share: int = 3) -> None:
    """A widget in the middle of a row, ``share`` of five parts wide, stretches either side.

    Not addWidget(widget, 0, AlignHCenter): the column would then size the widget's height
    for the full screen width while it gets only its size hint, and wrapped text is cut off.
    """
    row = QHBoxLayout()
    row.setSpacing(0)
    row.addStretch((5 - share) * 10)
    row.addWidget(widget, share * 20)
    row.addStretch((5 - share) * 10)
    layout.addLayout(row)


def button_row(layout: QVBoxLayout) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setSpacing(32)
    layout.addLayout(row)
    return row


def icon_head(layout: QVBoxLayout, size: int = 120) -> tuple[QLabel, QLabel, QLabel]:
    """A pictogram beside the title and the line under it: (icon, title, subtitle)."""
    head = QHBoxLayout()
    icon = pictogram_label(size)
    head.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
    words = QVBoxLayout()
    title, subtitle = title_block(words)
    head.addLayout(words, 1)
    layout.addLayout(head)
    return icon, title, subtitle


def field_card(rows: int, spacing: int) -> tuple[Card, list[QLabel], list[QLabel]]:
    """A card of ``rows`` name / value lines (receipt, staff mode): (card, names, values)."""
    card = Card()
    grid = QGridLayout(card)
    grid.setContentsMargins(32, 16, 32, 16)
    grid.setHorizontalSpacing(40)
    grid.setVerticalSpacing(spacing)
    names = [label("muted") for _ in range(rows)]
    values = [label("big") for _ in range(rows)]
    for i, (name, value) in enumerate(zip(names, values, strict=True)):
        grid.addWidget(name, i, 0)
        grid.addWidget(value, i, 1)
    grid.setColumnStretch(1, 1)
    return card, names, values


def fill_fields(rows: list[tuple[str, str]], names: list[QLabel], values: list[QLabel]) -> None:
    for (name, value), name_label, value_label in zip(rows, names, values, strict=True):
        name_label.setText(name)
        value_label.setText(value)


def stack_in_portrait(row: QBoxLayout, metrics: Metrics) -> None:
    """Two columns side by side on a landscape screen, one above the other in portrait."""
    row.setDirection(
        QBoxLayout.Direction.TopToBottom if metrics.portrait else QBoxLayout.Direction.LeftToRight
    )


def direction_of(texts: Texts) -> Qt.LayoutDirection:
    return Qt.LayoutDirection.RightToLeft if texts.rtl else Qt.LayoutDirection.LeftToRight


def language_card(margins: tuple[int, int], spacing: int) -> tuple[Card, dict[str, QLabel]]:
    """A card with one line per language (start screen, out of order): (card, lines)."""
    card = Card()
    box = QVBoxLayout(card)
    box.setContentsMargins(margins[0], margins[1], margins[0], margins[1])
    box.setSpacing(spacing)
    lines = {language: label("big") for language in LANGUAGES}
    for line in lines.values():
        # More room for ink: a wrapped Arabic line reached 8 px past its advance.
        line.setContentsMargins(2 * INK, 0, 2 * INK, 0)
        box.addWidget(line)
    return card, lines


def show_lines(
    lines: dict[str, QLabel],
    view: View,
    message: str,
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeading,
) -> None:
    """``message`` on each language's line, each in its own reading direction."""
    for text, language, own in view.in_every_language(message):
        line = lines[language]
        line.setLayoutDirection(direction_of(own))
        line.setAlignment(align | Qt.AlignmentFlag.AlignVCenter)
        line.setText(text)
