"""Staff mode (a staff card at the camera or reader): the kiosk's state, and the buttons
the staff member's role may use: its pages (out of order, settings, ...), check again,
restart the program, close.

Shows nothing of any client: devices, storage and how many documents wait in the
outbox. Restarting ends the program; on a kiosk its service manager starts it again.
"""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QWidget

from kiosk.core.staff import Role
from kiosk.services.status import StaffStatus
from kiosk.ui.i18n.texts import Texts
from kiosk.ui.presenter import intents as do
from kiosk.ui.presenter.staff_pages import PAGES, pages_for
from kiosk.ui.presenter.view import View
from kiosk.ui.screens.base import Screen, field_card, fill_fields, icon_head
from kiosk.ui.widgets.basic import BigButton
from kiosk.ui.widgets.pictograms import render

ROWS = 8
COLUMNS = (4, 3, 2)  # buttons per row: landscape, landscape with large text, portrait


class StaffScreen(Screen):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.icon, self.title, self.subtitle = icon_head(self.column)
        self.card, self.names, self.values = field_card(ROWS, 8)
        self.column.addWidget(self.card)
        self.column.addStretch(1)
        self.pages: dict[str, BigButton] = {}
        for spec in PAGES:
            button = BigButton(spec.pictogram, icon_size=48)
            button.clicked.connect(lambda _=False, key=spec.key: self.ask(do.OpenStaffPage(key)))
            self.pages[spec.key] = button
        self.check = BigButton("magnify", icon_size=48)
        self.check.clicked.connect(lambda: self.ask(do.CheckAgain()))
        self.quit = BigButton("restart", icon_size=48)
        self.quit.clicked.connect(lambda: self.ask(do.QuitKiosk()))
        self.leave = BigButton("check", "primary", icon_size=48)
        self.leave.clicked.connect(lambda: self.ask(do.LeaveStaff()))
        self.grid = QGridLayout()
        self.grid.setSpacing(24)
        self.column.addLayout(self.grid)
        self._placed: tuple[object, ...] = ()

    def _place(self, role: Role | None, large: bool) -> None:
        """The role's buttons in rows; the others hidden (an office card sees no reboot)."""
        shown = [self.pages[p.key] for p in pages_for(role)]
        shown += [self.check, self.quit, self.leave]
        columns = COLUMNS[2] if self.metrics.portrait else COLUMNS[1] if large else COLUMNS[0]
        key = (role, columns)
        if key == self._placed:
            return
        self._placed = key
        self._place_fields(self.metrics.portrait)
        for button in (*self.pages.values(), self.check, self.quit, self.leave):
            self.grid.removeWidget(button)
            button.hide()
        for index, button in enumerate(shown):
            self.grid.addWidget(button, index // columns, index % columns)
            button.show()
        for column in range(max(COLUMNS)):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)

    def _place_fields(self, portrait: bool) -> None:
        """The eight state lines: in two columns of four on a landscape screen (the role's
        buttons need the height), one column upright."""
        grid = self.card.layout()
        assert isinstance(grid, QGridLayout)
        half = 0 if portrait else (ROWS + 1) // 2
        for index, (name, value) in enumerate(zip(self.names, self.values, strict=True)):
            grid.removeWidget(name)
            grid.removeWidget(value)
            row, pair = (index, 0) if portrait else (index % half, index // half)
            grid.addWidget(name, row, 2 * pair)
            grid.addWidget(value, row, 2 * pair + 1)
        for column in range(4):
            grid.setColumnStretch(column, 1 if column in ((1,) if portrait else (1, 3)) else 0)

    def show_view(self, view: View) -> None:
        self._place(view.staff_role, view.settings.large_text)
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
        for spec in PAGES:
            self.pages[spec.key].set_content(palette, t.gettext(spec.title))
        self.check.set_content(palette, t.gettext("Check again"))
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
