"""A staff card's PIN: typed on the keypad, shown as dots, checked; or why it cannot go on
(a wrong PIN and the tries left before a pause, a lockout until a time, a refused card)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QWidget

from kiosk.ui.presenter import intents as do
from kiosk.ui.presenter.view import View
from kiosk.ui.screens.base import Screen, centred, icon_head
from kiosk.ui.widgets.basic import BigButton, Notice, label, ltr
from kiosk.ui.widgets.keypad import Keypad
from kiosk.ui.widgets.pictograms import render

DIGITS = "0123456789"
MOST = 8  # kiosk.ui.presenter.staff_pin.MOST_DIGITS


class StaffPinScreen(Screen):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.icon, self.title, self.subtitle = icon_head(self.column)
        item = self.column.itemAt(self.column.count() - 1)
        head = item.layout() if item is not None else None
        assert isinstance(head, QHBoxLayout)  # icon_head's row
        self.cancel = BigButton("back")  # beside the title: the keypad needs the height
        self.cancel.clicked.connect(lambda: self.ask(do.PinCancel()))
        head.addWidget(self.cancel, 0, Qt.AlignmentFlag.AlignTop)
        self.dots = ltr(label("number"))
        self.dots.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.dots.setAccessibleName("PIN")
        centred(self.column, self.dots)
        self.notice = Notice("warning", 64)
        policy = self.notice.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # the keypad never moves under a finger
        self.notice.setSizePolicy(policy)
        centred(self.column, self.notice)
        self.keypad = Keypad()
        self.keypad.switch.hide()  # digits only: no letters, no BG or // (kept in place)
        for key in ("BG", "//"):
            held = self.keypad.keys[key].sizePolicy()
            held.setRetainSizeWhenHidden(True)
            self.keypad.keys[key].setSizePolicy(held)
            self.keypad.keys[key].hide()
        self.keypad.typed.connect(lambda digit: self.ask(do.PinDigit(digit)))
        self.keypad.erased.connect(lambda: self.ask(do.PinErase()))
        self.keypad.cleared.connect(lambda: self.ask(do.PinClear()))
        self.keypad.submitted.connect(lambda: self.ask(do.PinSubmit()))
        centred(self.column, self.keypad, 2)
        self.column.addStretch(1)

    def show_view(self, view: View) -> None:
        t, palette = view.texts, view.palette
        entry = view.pin_entry
        self.icon.setPixmap(render("lock", 120, palette.text))
        self.title.setText(t.gettext("Staff PIN"))
        self.subtitle.setText(t.gettext("Type the PIN of your staff card."))
        digits = entry.digits if entry is not None else 0
        self.dots.setText(
            "•" * digits + "_" * max(0, 4 - digits) if not (entry and entry.busy) else "…"
        )
        self.keypad.label_keys(palette, t)
        self.keypad.done.set_content(palette, t.gettext("Open staff mode"), rtl=t.rtl)
        refused = entry is not None and entry.refused
        busy = entry is not None and entry.busy
        open_keys = "" if refused or busy or digits >= MOST else DIGITS
        self.keypad.allow(open_keys, digits > 0 and not busy)
        self.keypad.done.setEnabled(digits > 0 and not busy and not refused)
        if entry is not None and entry.message is not None:
            text = t.fill(t.gettext(entry.message), count=t.number(entry.count), time=entry.until)
            self.notice.show_message(palette, text, "warning")
        elif busy:
            self.notice.show_message(palette, t.gettext("Checking ..."), "hourglass")
        else:
            self.notice.hide()
        self.cancel.set_content(palette, t.gettext("Back"), rtl=t.rtl)

    def wipe(self) -> None:
        self.dots.setText("")

    def instructions(self, view: View) -> str:
        return view.texts.gettext("Type the PIN of your staff card.")
