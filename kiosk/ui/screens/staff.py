"""Staff mode (a staff card at the camera or reader): the kiosk's state, check, quit, close.

Shows nothing of any client: devices, storage and how many documents wait in the
outbox. Quitting ends the program; on a kiosk its service manager starts it again.
"""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QWidget

from kiosk.services.status import StaffStatus
from kiosk.ui.i18n.texts import Texts
from kiosk.ui.presenter import intents as do
from kiosk.ui.presenter.view import View
from kiosk.ui.screens.base import Screen, field_card, fill_fields, icon_head
from kiosk.ui.widgets.basic import BigButton
from kiosk.ui.widgets.pictograms import render
from kiosk.ui.widgets.reflow import Reflow

ROWS = 8


class StaffScreen(Screen):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.icon, self.title, self.subtitle = icon_head(self.column)
        self.card, self.names, self.values = field_card(ROWS, 8)
        self.column.addWidget(self.card)
        self.column.addStretch(1)
        self.check = BigButton("magnify")
        self.check.clicked.connect(lambda: self.ask(do.CheckAgain()))
        self.diagnose = BigButton("info")
        self.diagnose.clicked.connect(lambda: self.ask(do.OpenDiagnostics()))
        self.quit = BigButton("restart")
        self.quit.clicked.connect(lambda: self.ask(do.QuitKiosk()))
        self.leave = BigButton("check", "primary")
        self.leave.clicked.connect(lambda: self.ask(do.LeaveStaff()))
        self.buttons = Reflow(self.column, [self.check, self.diagnose, self.quit, self.leave], 2)

    def show_view(self, view: View) -> None:
        self.buttons.arrange(self.metrics.portrait, self.metrics)  # 2 x 2 upright
        t, palette = view.texts, view.palette
        self.icon.setPixmap(render("staff", 120, palette.text))
        self.title.setText(t.gettext("Staff mode"))
        self.subtitle.setText(
            t.gettext("Clients cannot use the kiosk now. It returns to the start by itself.")
        )
        fill_fields(_rows(view.staff, view.camera, t), self.names, self.values)
        grid = self.card.layout()
        large = view.settings.large_text
        if isinstance(grid, QGridLayout):  # eight rows of large text need every line's room
            grid.setVerticalSpacing(0 if large else 8)
        for value in self.values:  # large text is large already: the values one size less
            if value.property("role") != ("" if large else "big"):
                value.setProperty("role", "" if large else "big")
                value.style().unpolish(value)
                value.style().polish(value)
        self.check.set_content(palette, t.gettext("Check again"))
        self.diagnose.set_content(palette, t.gettext("Diagnostics"))
        self.quit.set_content(palette, t.gettext("Restart the kiosk program"))
        self.leave.set_content(palette, t.gettext("Close staff mode"))

    def instructions(self, view: View) -> str:
        return view.texts.gettext("Staff mode")


def _rows(status: StaffStatus | None, camera: str | None, t: Texts) -> list[tuple[str, str]]:
    names = [
        t.gettext("Kiosk"),
        t.gettext("Scanner"),
        t.gettext("Storage"),
        t.gettext("Card camera"),
        t.gettext("Receipt printer"),
        t.gettext("Waiting to be sent"),
        t.gettext("Refused by the inbox"),
        t.gettext("Last delivery error"),
    ]
    if status is None:
        return [(name, t.gettext("Checking ...")) for name in names]
    works, broken = t.gettext("working"), t.gettext("not working")
    cameras = {None: t.gettext("none"), "connected": works}
    waiting = t.number(status.pending)
    if status.oldest_pending:
        waiting = t.fill(
            t.gettext("{count} (oldest from {time})"), count=waiting, time=status.oldest_pending
        )
    refused = t.number(status.held)
    if status.quarantined:
        refused += " + " + t.fill(
            t.gettext("{count} unreadable"), count=t.number(status.quarantined)
        )
    values = [
        t.code(f"{status.kiosk_id} · {status.version}"),
        t.code(status.scanner) + " · " + (works if status.scanner_ok else broken),
        t.fill(t.gettext("{free} MB free"), free=t.number(status.free_mb))
        if status.storage_ok
        else broken,
        cameras.get(camera, broken),
        _printer(status, t, works),
        waiting,
        refused,
        status.last_error or "-",
    ]
    return list(zip(names, values, strict=True))


def _printer(status: StaffStatus, t: Texts, works: str) -> str:
    if status.printer is None:
        return t.gettext("none")
    return t.code(status.printer) + " · " + (status.printer_problem or works)
