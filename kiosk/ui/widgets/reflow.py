"""A row of widgets that stacks into rows where the screen is narrow (portrait): the same
widgets in fewer columns, never squeezed until their words are cut."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QWidget

from kiosk.ui.widgets.theme import FULL, Metrics


class Reflow:
    """``widgets`` in groups of ``per_row``, added to the screen's ``column``: the groups side
    by side (one line) or, stacked, one above the other.

    Only the direction changes, as ``stack_in_portrait`` does it: no widget moves between
    layouts, and Qt keeps measuring each button's height for its width (words wrapping in a
    narrow column) as it did in one row; moving widgets into rows made later left Qt with
    heights measured before their words. A short last group keeps the columns' widths when
    stacked (a stretch in each missing place, that takes nothing in one line)."""

    def __init__(
        self,
        column: QBoxLayout,
        widgets: Sequence[QWidget],
        per_row: int,
        spacing: int = 32,
        between_rows: int | None = None,  # px between stacked rows (default: ``spacing``)
    ) -> None:
        self.spacing = spacing
        self.between_rows = spacing if between_rows is None else between_rows
        self.outer = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.outer.setSpacing(spacing)
        self.groups: list[QHBoxLayout] = []
        for start in range(0, len(widgets), per_row):
            group = QHBoxLayout()
            group.setSpacing(spacing)
            chunk = widgets[start : start + per_row]
            for widget in chunk:
                group.addWidget(widget, 1)
            self.outer.addLayout(group, len(chunk))  # as wide as its widgets in one line
            self.groups.append(group)
        self.missing = per_row - len(widgets[len(self.groups) * per_row - per_row :])
        if self.missing:
            self.groups[-1].addStretch(0)
        self.stacked = False
        column.addLayout(self.outer)

    def arrange(self, stacked: bool, metrics: Metrics = FULL) -> None:
        self.outer.setSpacing(metrics.px(self.between_rows if stacked else self.spacing))
        if stacked == self.stacked:
            return
        self.outer.setDirection(
            QBoxLayout.Direction.TopToBottom if stacked else QBoxLayout.Direction.LeftToRight
        )
        if self.missing:
            last = self.groups[-1]
            last.setStretch(last.count() - 1, self.missing if stacked else 0)
        self.stacked = stacked
