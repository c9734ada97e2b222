"""The calm error screen that clears itself, and the out-of-order screen in all languages."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from kiosk.core.text import N_
from kiosk.ui.presenter import intents as do
from kiosk.ui.presenter.view import View
from kiosk.ui.screens.base import Screen, button_row, language_card, show_lines, title_block
from kiosk.ui.widgets.basic import BigButton, label, pictogram_label
from kiosk.ui.widgets.pictograms import render

# Session.error keys the presenter sets, and what the client is told.
ERRORS = {
    "storage": N_(
        "Your documents could not be saved. Nothing was sent. Please ask the staff for help."
    ),
    "unexpected": N_("Something went wrong. Please start again."),
}
ERROR_TITLE = N_("Sorry, that did not work.")
OUT_OF_ORDER = N_("This kiosk is out of order. Please use another kiosk or ask the staff.")


class ErrorScreen(Screen):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.column.addStretch(1)
        self.picture = pictogram_label(180)
        self.column.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignHCenter)
        self.title, self.message = title_block(self.column)
        self.message.setProperty("role", "big")
        self.wiped = label()
        for part in (self.title, self.message, self.wiped):
            part.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.column.addWidget(self.wiped)
        self.column.addStretch(1)
        row = button_row(self.column)
        row.addStretch(1)
        self.ok = BigButton("restart", "primary")
        self.ok.setMinimumWidth(520)
        self.ok.clicked.connect(lambda: self.ask(do.StartOver()))
        row.addWidget(self.ok)
        row.addStretch(1)

    def show_view(self, view: View) -> None:
        t = view.texts
        self.picture.setPixmap(render("info", 180, view.palette.text))
        self.title.setText(t.gettext(ERROR_TITLE))
        error = view.session.error or "unexpected"
        self.message.setText(t.gettext(ERRORS.get(error, ERRORS["unexpected"])))
        self.wiped.setText(
            t.gettext(  # not "the kiosk restarts": nothing reboots, the session ends
                "For your safety, your data has been deleted. "
                "The start screen comes back by itself."
            )
        )
        self.ok.set_content(view.palette, t.gettext("Start again"))

    def instructions(self, view: View) -> str:
        return " ".join((self.title.text(), self.message.text(), self.wiped.text()))


class OutOfOrderScreen(Screen):
    """Shown in all five languages at once: the kiosk takes no input in this state. The
    words are the notice staff chose (kiosk.services.out_of_order), else the general one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.column.addStretch(1)
        self.picture = pictogram_label(180)
        self.column.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignHCenter)
        card, self.lines = language_card((48, 32), 20)
        self.column.addWidget(card)
        # For staff: why (scanner, storage, delivery), as a code the same in every language,
        # and which kiosk this is (a job centre runs several).
        self.reason = label("muted")
        self.reason.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.column.addWidget(self.reason)
        self.column.addStretch(1)

    def show_view(self, view: View) -> None:
        self.picture.setPixmap(render("staff", 180, view.palette.text))
        show_lines(self.lines, view, view.notice or OUT_OF_ORDER)
        reason = f"[{view.session.error or 'unknown'}]"
        self.reason.setText(
            view.texts.code(f"{reason} · {view.kiosk_id}" if view.kiosk_id else reason)
        )

    def instructions(self, view: View) -> str:
        return view.texts.gettext(view.notice or OUT_OF_ORDER)
