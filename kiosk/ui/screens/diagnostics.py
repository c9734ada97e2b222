"""Staff mode's diagnostics page: the same checks as `kiosk diag` (PASS, WARN, FAIL with
what to do), a test scan of one sheet in memory, and a readiness report (one PDF page)
saved to a USB stick or the state dir. Nothing of any client is on it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from kiosk.diag.check import Status
from kiosk.ui.i18n.texts import Texts
from kiosk.ui.presenter import intents as do
from kiosk.ui.presenter.view import Diagnostics, View
from kiosk.ui.screens.base import Screen, icon_head
from kiosk.ui.widgets.basic import (
    BigButton,
    Card,
    Notice,
    label,
    ltr,
    pictogram_label,
    touch_scroll_area,
)
from kiosk.ui.widgets.pictograms import render
from kiosk.ui.widgets.reflow import Reflow

ICON = 48  # px: a check's status pictogram
PICTURE = {Status.PASS: "check", Status.WARN: "warning", Status.FAIL: "cross"}


def status_word(t: Texts, status: Status) -> str:
    return {
        Status.PASS: t.gettext("OK"),
        Status.WARN: t.gettext("Warning"),
        Status.FAIL: t.gettext("Fault"),
    }[status]


class DiagnosticsScreen(Screen):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.icon, self.title, self.subtitle = icon_head(self.column)
        self.card = Card()
        self.grid = QGridLayout(self.card)
        self.grid.setContentsMargins(24, 16, 24, 16)
        self.grid.setHorizontalSpacing(24)
        self.grid.setVerticalSpacing(12)
        self.grid.setColumnStretch(2, 1)
        self.rows: list[tuple[QLabel, QLabel, QLabel]] = []
        area = touch_scroll_area()
        area.setWidget(self.card)
        self.column.addWidget(area, 1)
        self.notice = Notice("info", 64)
        self.notice.hide()
        self.column.addWidget(self.notice)
        self.back = BigButton("back")
        self.back.clicked.connect(lambda: self.ask(do.CloseDiagnostics()))
        self.again = BigButton("magnify")
        self.again.clicked.connect(lambda: self.ask(do.CheckAgain()))
        self.test = BigButton("feeder")
        self.test.clicked.connect(lambda: self.ask(do.TestScan()))
        self.save = BigButton("save-report", "primary")
        self.save.clicked.connect(lambda: self.ask(do.SaveReport()))
        self.buttons = Reflow(self.column, [self.back, self.again, self.test, self.save], 2)

    def _row(self, index: int) -> tuple[QLabel, QLabel, QLabel]:
        while len(self.rows) <= index:
            picture = pictogram_label(ICON)
            name = ltr(label("big"))  # a check's id: a code, left to right everywhere
            words = ltr(label())  # what `kiosk diag` says (English, as field support reads it)
            words.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            n = len(self.rows)
            self.grid.addWidget(picture, n, 0, Qt.AlignmentFlag.AlignTop)
            self.grid.addWidget(name, n, 1, Qt.AlignmentFlag.AlignTop)
            self.grid.addWidget(words, n, 2)
            self.rows.append((picture, name, words))
        return self.rows[index]

    def show_view(self, view: View) -> None:
        self.buttons.arrange(self.metrics.portrait, self.metrics)  # 2 x 2 upright
        t, palette = view.texts, view.palette
        found = view.diagnostics or Diagnostics()
        self.icon.setPixmap(render("magnify", 120, palette.text))
        self.title.setText(t.gettext("Diagnostics"))
        if found.checks is None:
            self.subtitle.setText(t.gettext("Checking ..."))
        else:
            self.subtitle.setText(t.fill(t.gettext("Checked at {time}."), time=found.checked_at))
        checks = list(found.checks or ())
        if found.test is not None:
            checks.append(found.test)
        for index, check in enumerate(checks):
            picture, name, words = self._row(index)
            picture.setPixmap(render(PICTURE[check.status], ICON, palette.text))
            picture.setAccessibleName(status_word(t, check.status))
            name.setText(check.id)
            words.setText(check.detail + (f"\n→ {check.fix}" if check.fix else ""))
            for part in (picture, name, words):
                part.show()
        for unused in self.rows[len(checks) :]:
            for part in unused:
                part.hide()
        self._notice(view, found)
        self.back.set_content(palette, t.gettext("Back to staff mode"), rtl=t.rtl)
        self.again.set_content(palette, t.gettext("Check again"))
        self.test.set_content(palette, t.gettext("Test scan (one blank sheet)"))
        self.save.set_content(palette, t.gettext("Save readiness report"))
        busy = found.checks is None or found.testing
        for button in (self.again, self.test, self.save):
            button.setEnabled(not busy)

    def _notice(self, view: View, found: Diagnostics) -> None:
        t = view.texts
        if found.testing:
            self.notice.show_message(
                view.palette, t.gettext("Scanning the test sheet ..."), "feeder"
            )
        elif found.saved is not None:
            where = t.code(found.saved)
            self.notice.show_message(
                view.palette, t.fill(t.gettext("Report saved: {path}"), path=where), "check"
            )
        elif found.save_failed:
            self.notice.show_message(
                view.palette, t.gettext("The report could not be saved."), "warning"
            )
        else:
            self.notice.hide()

    def wipe(self) -> None:
        for picture, name, words in self.rows:
            picture.clear()
            name.setText("")
            words.setText("")

    def instructions(self, view: View) -> str:
        return view.texts.gettext("Diagnostics")
