"""Staff page "Did it arrive?": the receipt number typed on the keypad (or the receipt's QR
code at the code reader) → when it was handed in, its pages, concern and team, and
whether (and when) it was delivered. The receipt index holds no case number or name."""

from __future__ import annotations

from string import ascii_uppercase

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.core.concerns import concern_by_key
from kiosk.core.text import N_
from kiosk.ui.i18n.texts import Texts
from kiosk.ui.presenter import intents as do
from kiosk.ui.presenter.staff_records import RECEIPT_CHARS, RECEIPT_LENGTH, Found, Records
from kiosk.ui.presenter.view import View
from kiosk.ui.screens.base import field_card, fill_fields, stack_in_portrait
from kiosk.ui.screens.staff_page import StaffPage
from kiosk.ui.widgets.basic import Notice, label, ltr
from kiosk.ui.widgets.keypad import Keypad

ROWS = 7
STATE_WORDS = {
    "delivered": N_("Delivered to the team's inbox"),
    "waiting": N_("Waiting on the kiosk; it is sent by itself"),
    "held": N_("Held on the kiosk: see Held documents"),
}
UNUSED_KEYS = ("BG", "//", *(c for c in ascii_uppercase if c not in RECEIPT_CHARS))


def grouped(typed: str) -> str:
    """``K7M4Q`` -> ``K7M-4Q_-___``: the receipt's groups, what is missing as gaps."""
    padded = typed.ljust(RECEIPT_LENGTH, "_")
    return "-".join(padded[i : i + 3] for i in range(0, RECEIPT_LENGTH, 3))


class StaffLookupScreen(StaffPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row = QHBoxLayout()
        self.row.setSpacing(40)
        self.column.addLayout(self.row, 1)
        typing = QVBoxLayout()
        typing.setSpacing(16)
        self.number = ltr(label("number"))
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        typing.addWidget(self.number)
        self.keypad = Keypad()
        for key in UNUSED_KEYS:  # Crockford's alphabet: no I, L, O or U; no BG or //
            kept = self.keypad.keys[key].sizePolicy()
            kept.setRetainSizeWhenHidden(True)  # the other keys keep their places
            self.keypad.keys[key].setSizePolicy(kept)
        self.keypad.typed.connect(lambda char: self.ask(do.ReceiptKey(char)))
        self.keypad.erased.connect(lambda: self.ask(do.ReceiptErase()))
        self.keypad.cleared.connect(lambda: self.ask(do.ReceiptClear()))
        self.keypad.submitted.connect(lambda: self.ask(do.ReceiptLookup()))
        typing.addWidget(self.keypad)
        typing.addStretch(1)
        self.row.addLayout(typing, 1)
        answer = QVBoxLayout()
        answer.setSpacing(16)
        self.card, self.names, self.values = field_card(ROWS, 8)
        answer.addWidget(self.card)
        self.notice = Notice("info", 64)
        answer.addWidget(self.notice)
        answer.addStretch(1)
        self.row.addLayout(answer, 1)

    def show_view(self, view: View) -> None:
        stack_in_portrait(self.row, self.metrics)
        self.row.setSpacing(16 if self.metrics.portrait else 40)
        grid = self.card.layout()
        if isinstance(grid, QGridLayout):  # seven rows of large text upright need every line
            grid.setVerticalSpacing(0 if view.settings.large_text else 8)
        t, palette = view.texts, view.palette
        records = view.records or Records("lookup", loading=False)
        self.show_head(
            view,
            t.gettext(
                "Type the receipt number, or hold its QR code to the card camera or code reader."
            ),
        )
        self.number.setText(grouped(records.typed))
        self.keypad.label_keys(palette, t)
        self.keypad.done.set_content(palette, t.gettext("Look it up"), rtl=t.rtl)
        for key in UNUSED_KEYS:
            self.keypad.keys[key].hide()
        full = len(records.typed) >= RECEIPT_LENGTH
        keys = "" if full or records.loading else RECEIPT_CHARS
        self.keypad.allow(keys, bool(records.typed) and not records.loading)
        self.keypad.done.setEnabled(full and not records.loading)
        found = records.found
        self.card.setVisible(found is not None)
        if found is not None:
            fill_fields(_fields(t, found), self.names, self.values)
        if records.loading:
            self.notice.show_message(palette, t.gettext("Checking ..."), "hourglass")
        elif records.failed:
            message = t.gettext("The receipt index could not be read: see the kiosk's log.")
            self.notice.show_message(palette, message, "warning")
        elif records.not_found:
            message = t.gettext(
                "No receipt with this number on this kiosk: handed in at another kiosk, "
                "or longer ago than the kiosk keeps receipts?"
            )
            self.notice.show_message(palette, message, "warning")
        elif found is None:
            message = t.gettext("The receipt number has 9 letters and digits, like K7M-4QX-9TB.")
            self.notice.show_message(palette, message, "info")
        else:
            self.notice.hide()

    def wipe(self) -> None:
        self.number.setText("")
        for value in self.values:
            value.setText("")


def _fields(t: Texts, found: Found) -> list[tuple[str, str]]:
    try:
        concern = t.gettext(concern_by_key(found.concern or "").label)
    except (KeyError, ValueError):  # a concern this version no longer offers
        concern = found.concern or "?"
    delivered = t.date_time(found.delivered_at) if found.delivered_at else "–"
    return [
        (t.gettext("Receipt"), t.code(found.receipt_id)),
        (t.gettext("Handed in"), t.date_time(found.handed_in) if found.handed_in else "?"),
        (t.gettext("Pages"), t.number(found.pages)),
        (t.gettext("Concern"), concern),
        (t.gettext("Team"), t.code(found.team)),
        (t.gettext("Status"), t.gettext(STATE_WORDS.get(found.state, STATE_WORDS["waiting"]))),
        (t.gettext("Delivered at"), delivered),
    ]
