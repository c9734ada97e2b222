"""Staff mode's reboot page (field support): what a reboot does, "Reboot now", and why it
cannot be done from here where that is so (no systemd, polkit refused)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kiosk.ui.presenter import intents as do
from kiosk.ui.presenter.staff_reboot import RebootPage
from kiosk.ui.presenter.view import View
from kiosk.ui.screens.base import centred
from kiosk.ui.screens.staff_page import StaffPage
from kiosk.ui.widgets.basic import BigButton, Notice, label


class StaffRebootScreen(StaffPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.what = label("big")
        self.column.addWidget(self.what)
        self.notice = Notice("warning", 64)
        self.notice.hide()
        self.column.addWidget(self.notice)
        self.column.addStretch(1)
        self.now = BigButton("restart", "primary")
        self.now.clicked.connect(lambda: self.ask(do.Reboot()))
        centred(self.column, self.now)

    def show_view(self, view: View) -> None:
        t, palette = view.texts, view.palette
        page = view.reboot_page or RebootPage()
        self.show_head(view, t.gettext("For field support: the whole PC starts again."))
        self.what.setText(
            t.gettext(
                "The kiosk is back in about two minutes. Documents waiting to be sent are "
                "kept and sent afterwards. Staff mode closes."
            )
        )
        if page.busy:
            self.notice.show_message(palette, t.gettext("The PC is restarting ..."), "hourglass")
        elif page.problem is not None:
            text = t.fill(
                t.gettext("The PC cannot be restarted from here: {why}"), why=t.code(page.problem)
            )
            self.notice.show_message(palette, text, "warning")
        else:
            self.notice.hide()
        self.now.set_content(palette, t.gettext("Reboot now"))
        self.now.setEnabled(not page.busy)
