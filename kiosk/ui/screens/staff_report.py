"""Staff page "Today's report": documents and pages handed in today per team, and how many
of them are delivered, waiting or held; counts only, nothing of any client."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from kiosk.core.text import N_
from kiosk.ui.i18n.texts import Texts
from kiosk.ui.presenter.staff_records import Records, TeamRow
from kiosk.ui.presenter.view import View
from kiosk.ui.screens.staff_page import StaffPage, grid_card
from kiosk.ui.widgets.basic import label, touch_scroll_area

LEADING, TRAILING = Qt.AlignmentFlag.AlignLeading, Qt.AlignmentFlag.AlignTrailing
HEADS = (N_("Team"), N_("Documents"), N_("Pages"), N_("Delivered"), N_("Waiting"), N_("Held"))


class StaffReportScreen(StaffPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.card, self.grid = grid_card(12)
        self.heads = [label("muted") for _ in HEADS]
        for column, head in enumerate(self.heads):
            head.setAlignment((LEADING if column == 0 else TRAILING) | Qt.AlignmentFlag.AlignBottom)
        self.cells: list[list[QLabel]] = []
        self._portrait: bool | None = None
        area = touch_scroll_area()
        area.setWidget(self.card)
        self.column.addWidget(area, 1)
        self.outbox = label("big")
        self.column.addWidget(self.outbox)

    def _cells(self, index: int) -> list[QLabel]:
        while len(self.cells) <= index:
            cells = [label("big") for _ in HEADS]
            for column, cell in enumerate(cells):
                cell.setAlignment(
                    (LEADING if column == 0 else TRAILING) | Qt.AlignmentFlag.AlignVCenter
                )
            self.cells.append(cells)
            self._portrait = None  # to be placed
        return self.cells[index]

    def _place(self, portrait: bool) -> None:
        """Landscape: one line per team. Upright (too narrow for six columns in large
        text): the team's name on a line of its own above its five numbers."""
        if portrait == self._portrait:
            return
        self._portrait = portrait
        for widget in (*self.heads, *(c for cells in self.cells for c in cells)):
            self.grid.removeWidget(widget)
        numbers = len(HEADS) - 1
        for column in range(len(HEADS)):
            self.grid.setColumnStretch(column, 0)
        if portrait:
            self.heads[0].hide()
            for column, head in enumerate(self.heads[1:]):
                self.grid.addWidget(head, 0, column)
                self.grid.setColumnStretch(column, 1)
            for index, cells in enumerate(self.cells):
                self.grid.addWidget(cells[0], 1 + 2 * index, 0, 1, numbers)
                for column, cell in enumerate(cells[1:]):
                    self.grid.addWidget(cell, 2 + 2 * index, column)
            return
        self.heads[0].show()
        for column, head in enumerate(self.heads):
            self.grid.addWidget(head, 0, column)
            self.grid.setColumnStretch(column, 2 if column == 0 else 1)
        for index, cells in enumerate(self.cells):
            for column, cell in enumerate(cells):
                self.grid.addWidget(cell, 1 + index, column)

    def show_view(self, view: View) -> None:
        t = view.texts
        records = view.records or Records("report")
        if records.loading:
            subtitle = t.gettext("Checking ...")
        elif records.failed:
            subtitle = t.gettext("The report could not be made: see the kiosk's log.")
        elif records.total is None or records.total.documents == 0:
            subtitle = t.fill(
                t.gettext("Nothing handed in yet today ({day})."), day=records.report_day
            )
        else:
            subtitle = t.fill(t.gettext("Handed in today, {day}:"), day=records.report_day)
        self.show_head(view, subtitle)
        for head, text in zip(self.heads, HEADS, strict=True):
            head.setText(t.gettext(text))
        rows = list(records.teams)
        if rows and records.total is not None and len(rows) > 1:
            rows.append(records.total)
        for index in range(len(rows)):
            self._cells(index)
        self._place(self.metrics.portrait)
        for index, row in enumerate(rows):
            cells = self.cells[index]
            for cell, value in zip(cells, _values(t, row, records.total), strict=True):
                cell.setText(value)
                cell.show()
        for unused in self.cells[len(rows) :]:
            for cell in unused:
                cell.hide()
        self.card.setVisible(bool(rows))
        self.outbox.setText(
            t.fill(
                t.gettext("In the outbox now (any day): {waiting} waiting, {held} held."),
                waiting=t.number(records.outbox_waiting),
                held=t.number(records.outbox_held),
            )
        )
        self.outbox.setVisible(not records.loading and not records.failed)


def _values(t: Texts, row: TeamRow, total: TeamRow | None) -> list[str]:
    name = t.gettext("All teams") if row is total else t.code(row.team)
    numbers = (row.documents, row.pages, row.delivered, row.waiting, row.held)
    return [name, *(t.number(n) for n in numbers)]
