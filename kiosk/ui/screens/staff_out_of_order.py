"""Staff mode's out-of-order page: pick the notice clients see (in all five languages),
put the kiosk out of order with it, or back in service. Takes effect when staff mode
closes; kept across restarts."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QWidget

from kiosk.services.out_of_order import NOTICES
from kiosk.ui.presenter import intents as do
from kiosk.ui.presenter.staff_out_of_order import OutOfOrderPage
from kiosk.ui.presenter.view import View
from kiosk.ui.screens.staff_page import StaffPage, mark
from kiosk.ui.widgets.basic import BigButton, Notice, label
from kiosk.ui.widgets.reflow import Reflow


class StaffOutOfOrderScreen(StaffPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hint = label()
        self.column.addWidget(self.hint)
        self.grid = QGridLayout()
        self.grid.setSpacing(24)
        self.choices: dict[str, BigButton] = {}
        for key in NOTICES:
            button = BigButton(None)
            button.clicked.connect(lambda _=False, k=key: self.ask(do.ChooseNotice(k)))
            self.choices[key] = button
        self.column.addLayout(self.grid)
        self.notice = Notice("warning", 64)
        self.notice.hide()
        self.column.addWidget(self.notice)
        self.column.addStretch(1)
        self.back_in = BigButton("check")
        self.back_in.clicked.connect(lambda: self.ask(do.BackInService()))
        self.put = BigButton("warning", "primary")
        self.put.clicked.connect(lambda: self.ask(do.PutOutOfOrder()))
        self.buttons = Reflow(self.column, [self.back_in, self.put], 2)
        self._columns = 0

    def _place(self) -> None:
        columns = 1 if self.metrics.portrait else 2
        if columns == self._columns:
            return
        self._columns = columns
        for index, button in enumerate(self.choices.values()):
            self.grid.removeWidget(button)
            self.grid.addWidget(button, index // columns, index % columns)

    def show_view(self, view: View) -> None:
        self._place()
        self.buttons.arrange(self.metrics.portrait, self.metrics)
        t, palette = view.texts, view.palette
        page = view.out_of_order_page or OutOfOrderPage()
        if page.current is None:
            status = t.gettext("In service: clients can use the kiosk.")
        elif page.since:
            status = t.fill(t.gettext("Out of order since {time}."), time=page.since)
        else:
            status = t.gettext("Out of order.")
        self.show_head(view, status)
        self.hint.setText(
            t.gettext(
                "Choose what clients read (shown in all five languages). "
                "The kiosk goes out of order when you close staff mode."
            )
        )
        for key, button in self.choices.items():
            mark(button, palette, t.gettext(NOTICES[key]), key == page.chosen)
            button.setEnabled(not page.busy)
        if page.failed:
            self.notice.show_message(palette, t.gettext("That could not be saved."), "warning")
        else:
            self.notice.hide()
        if page.current is None:
            put = t.gettext("Put out of order")
        else:
            put = t.gettext("Show this notice instead")
        self.put.set_content(palette, put)
        self.put.setEnabled(not page.busy and page.chosen != page.current)
        self.back_in.set_content(palette, t.gettext("Back in service"))
        self.back_in.setVisible(page.current is not None)
        self.back_in.setEnabled(not page.busy)
