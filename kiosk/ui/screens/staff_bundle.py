"""Staff mode's support bundle page (field support): what the bundle holds, "Save the
support bundle" to a USB stick (else the state dir), and where it went or why not."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kiosk.ui.presenter import intents as do
from kiosk.ui.presenter.staff_bundle import BundlePage
from kiosk.ui.presenter.view import View
from kiosk.ui.screens.base import centred
from kiosk.ui.screens.staff_page import StaffPage
from kiosk.ui.widgets.basic import BigButton, Notice, label


class StaffBundleScreen(StaffPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.what = label("big")
        self.column.addWidget(self.what)
        self.notice = Notice("info", 64)
        self.notice.hide()
        self.column.addWidget(self.notice)
        self.column.addStretch(1)
        self.save = BigButton("save-report", "primary")
        self.save.clicked.connect(lambda: self.ask(do.SaveBundle()))
        centred(self.column, self.save)

    def show_view(self, view: View) -> None:
        t, palette = view.texts, view.palette
        page = view.bundle_page or BundlePage()
        self.show_head(view, t.gettext("To a USB stick if one is plugged in, else on the kiosk."))
        self.what.setText(
            t.gettext(
                "One archive for field support: the checks, the kiosk's events of 7 days, "
                "the scanner's options, versions and the staff audit log. Nothing of any "
                "client, no keys."
            )
        )
        if page.busy:
            self.notice.show_message(
                palette, t.gettext("Writing the support bundle ..."), "hourglass"
            )
        elif page.saved is not None:
            saved = t.fill(t.gettext("Support bundle saved: {path}"), path=t.code(page.saved))
            self.notice.show_message(palette, saved, "check")
        elif page.problem is not None:
            why = t.fill(
                t.gettext("The support bundle could not be written: {why}"),
                why=t.code(page.problem),
            )
            self.notice.show_message(palette, why, "warning")
        else:
            self.notice.hide()
        self.save.set_content(palette, t.gettext("Save the support bundle"))
        self.save.setEnabled(not page.busy)
