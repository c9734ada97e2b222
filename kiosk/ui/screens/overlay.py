"""The timeout warning over every screen: a countdown, and one touch gives more time."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.core.lazy import lazy
from kiosk.core.session import Phase
from kiosk.ui.presenter.view import View
from kiosk.ui.screens.base import MARGIN, Screen, centred
from kiosk.ui.widgets.basic import BigButton, Card, label, pictogram_label
from kiosk.ui.widgets.pictograms import render
from kiosk.ui.widgets.theme import Metrics

if TYPE_CHECKING:
    from kiosk.ui.presenter import intents as do
else:  # the intents load at the first tap, not before the first paint
    do = lazy("kiosk.ui.presenter.intents", globals(), "do")

CARD = 1100  # px wide, on a screen of SCREEN's width


class TimeoutOverlay(Screen):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("overlay")
        self.card = Card()
        self.card.setFixedWidth(CARD)
        box = QVBoxLayout(self.card)
        box.setContentsMargins(48, 40, 48, 40)
        box.setSpacing(24)
        self.picture = pictogram_label(140)
        box.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignHCenter)
        self.title = label("title")
        self.countdown = label("big")
        for part in (self.title, self.countdown):
            part.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            box.addWidget(part)
        self.more = BigButton("clock", "primary")
        self.more.clicked.connect(lambda: self.ask(do.StillHere()))
        box.addWidget(self.more)
        self.column.addStretch(1)
        centred(self.column, self.card)
        self.column.addStretch(1)
        self.hide()

    def fit(self, metrics: Metrics) -> None:
        super().fit(metrics)
        room = metrics.width - 2 * metrics.px(MARGIN)
        self.card.setFixedWidth(min(metrics.px(CARD), room))

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor(0, 0, 0, 170))  # dims the screen behind the question
        p.end()

    def show_view(self, view: View) -> None:
        if view.seconds_left is None:
            self.hide()
            return
        self.picture.setPixmap(render("clock", 140, view.palette.text))
        if view.session.phase is Phase.STAFF:  # staff mode's 5 idle minutes are nearly up
            self._staff(view)
        else:
            self._client(view)
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.show()
        self.raise_()

    def _staff(self, view: View) -> None:
        t = view.texts
        warning = t.ngettext(
            "Staff mode closes in {seconds} second.",
            "Staff mode closes in {seconds} seconds.",
            view.seconds_left or 0,
        )
        self._fill(
            view, t.gettext("Staff mode closes soon"), warning, t.gettext("Stay in staff mode")
        )

    def _client(self, view: View) -> None:
        t = view.texts
        warning = t.ngettext(
            # Not "the kiosk restarts": nothing reboots, the session ends (issue 11).
            "In {seconds} second your data will be deleted and you will be back at the start.",
            "In {seconds} seconds your data will be deleted and you will be back at the start.",
            view.seconds_left or 0,
        )
        self._fill(
            view, t.gettext("Are you still there?"), warning, t.gettext("Yes, I need more time")
        )

    def _fill(self, view: View, title: str, warning: str, stay: str) -> None:
        """The warning's words (translated by the caller: the message ids stay literal)."""
        self.title.setText(title)
        seconds = view.texts.number(view.seconds_left or 0)
        self.countdown.setText(view.texts.fill(warning, seconds=seconds))
        self.more.set_content(view.palette, stay)

    def instructions(self, view: View) -> str:
        return self.title.text() + " " + self.countdown.text()
