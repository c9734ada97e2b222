"""Staff page "Held documents": each document the inbox refused for good (or that cannot be
read back), with its team, how long it has waited, why (an error class, never the error
text or anything of the client's), and Send again once the cause is fixed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from kiosk.core.text import N_
from kiosk.ui.i18n.texts import Texts
from kiosk.ui.presenter import intents as do
from kiosk.ui.presenter.staff_records import HeldRow, Records
from kiosk.ui.presenter.view import View
from kiosk.ui.screens.staff_page import StaffPage, grid_card
from kiosk.ui.widgets.basic import BigButton, Notice, label, touch_scroll_area

WHY = {
    "address": N_("The inbox address cannot work: the routing table needs fixing."),
    "refused": N_("The team's inbox refused the document."),
    "tls": N_("Certificate or encryption problem with the inbox."),
    "internal": N_("A program error: please report it to support."),
    "unreadable": N_("The document cannot be read on the kiosk: call support."),
    "other": N_("The inbox did not take the document."),
}
SENT = {
    "delivered": (N_("Sent: the document was delivered."), "check"),
    "waiting": (N_("Not delivered yet: it waits and is tried again by itself."), "hourglass"),
    "held": (N_("Refused again: check the fix, or call support."), "warning"),
    "gone": (N_("That document is no longer held."), "info"),
    "failed": (N_("It could not be sent: see the kiosk's log."), "warning"),
}


def age_text(t: Texts, age: tuple[int, str]) -> str:
    number, unit = age
    if unit == "min":
        text = t.ngettext("waiting for {count} minute", "waiting for {count} minutes", number)
    elif unit == "h":
        text = t.ngettext("waiting for {count} hour", "waiting for {count} hours", number)
    else:
        text = t.ngettext("waiting for {count} day", "waiting for {count} days", number)
    return t.fill(text, count=t.number(number))


class StaffHeldScreen(StaffPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.card, self.grid = grid_card(16)
        self.grid.setColumnStretch(0, 1)
        self.rows: list[tuple[QLabel, BigButton]] = []
        self._items: list[str] = []
        area = touch_scroll_area()
        area.setWidget(self.card)
        self.column.addWidget(area, 1)
        self.notice = Notice("info", 64)
        self.notice.hide()
        self.column.addWidget(self.notice)

    def _row(self, index: int) -> tuple[QLabel, BigButton]:
        while len(self.rows) <= index:
            n = len(self.rows)
            words = label()
            words.setAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter)
            button = BigButton("send", icon_size=48)
            button.clicked.connect(lambda _=False, n=n: self._send(n))
            self.grid.addWidget(words, n, 0)
            self.grid.addWidget(button, n, 1, Qt.AlignmentFlag.AlignVCenter)
            self.rows.append((words, button))
        return self.rows[index]

    def _send(self, index: int) -> None:
        if index < len(self._items):
            self.ask(do.SendAgain(self._items[index]))

    def show_view(self, view: View) -> None:
        t, palette = view.texts, view.palette
        records = view.records or Records("held")
        if records.loading:
            subtitle = t.gettext("Checking ...")
        elif records.failed:
            subtitle = t.gettext("The list could not be read: see the kiosk's log.")
        elif not records.held:
            subtitle = t.gettext("No document is held. Everything waiting is sent by itself.")
        else:
            count = len(records.held)
            subtitle = t.fill(
                t.ngettext(
                    "{count} document held: fix the cause, then send it again.",
                    "{count} documents held: fix the cause, then send them again.",
                    count,
                ),
                count=t.number(count),
            )
        self.show_head(view, subtitle)
        self._items = [row.item_id for row in records.held]
        for index, row in enumerate(records.held):
            words, button = self._row(index)
            words.setText(_describe(t, row))
            sending = records.sending == row.item_id
            word = t.gettext("Sending ...") if sending else t.gettext("Send again")
            button.set_content(palette, word, rtl=t.rtl)
            button.setEnabled(records.sending is None)
            words.show()
            button.show()
        for words, button in self.rows[len(records.held) :]:
            words.hide()
            button.hide()
        self.card.setVisible(bool(records.held))
        if records.sent is not None:
            message, icon = SENT[records.sent]
            self.notice.show_message(palette, t.gettext(message), icon)
        else:
            self.notice.hide()

    def wipe(self) -> None:
        for words, _button in self.rows:
            words.setText("")


def _describe(t: Texts, row: HeldRow) -> str:
    team = t.fill(t.gettext("Team {team}"), team=t.code(row.team))
    lines = [f"{team} · {age_text(t, row.age)}", t.gettext(WHY.get(row.error, WHY["other"]))]
    attempts = t.ngettext("{count} attempt", "{count} attempts", row.attempts)
    lines.append(t.fill(attempts, count=t.number(row.attempts)))
    return "\n".join(lines)
