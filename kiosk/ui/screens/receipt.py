"""Sending (progress) and the receipt: number, time, pages, concern, masked case, QR code,
and whether the receipt on paper is printing, printed or could not be printed."""

from __future__ import annotations

import segno
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QProgressBar, QVBoxLayout, QWidget

from kiosk.ui.presenter import intents as do
from kiosk.ui.presenter.printout import PRINTING_TEXTS, RECEIPT_TEXTS, receipt_rows
from kiosk.ui.presenter.view import View
from kiosk.ui.screens.base import (
    MARGIN,
    Screen,
    field_card,
    fill_fields,
    icon_head,
    title_block,
)
from kiosk.ui.widgets.basic import BigButton, Notice, label, pictogram_label
from kiosk.ui.widgets.pictograms import render
from kiosk.ui.widgets.site import SiteBanner
from kiosk.ui.widgets.sizing import OWN_SIZE


class SendScreen(Screen):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.column.addStretch(1)
        self.picture = pictogram_label(220)
        self.column.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignHCenter)
        self.title, self.subtitle = title_block(self.column)
        for part in (self.title, self.subtitle):
            part.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setFixedWidth(900)
        self.column.addWidget(self.busy, 0, Qt.AlignmentFlag.AlignHCenter)
        self.column.addStretch(2)

    def show_view(self, view: View) -> None:
        t = view.texts
        self.picture.setPixmap(render("hourglass", 220, view.palette.text))
        self.title.setText(t.gettext("Your documents are being saved and sent"))
        self.subtitle.setText(t.gettext("Please wait. This takes a few seconds."))

    def instructions(self, view: View) -> str:
        return self.title.text() + ". " + self.subtitle.text()


def qr_pixmap(text: str, size: int, dark: str, light: str) -> QPixmap:
    """The receipt number as a QR code, drawn module by module (segno: pure Python)."""
    matrix = segno.make(text, error="m", boost_error=False).matrix
    border = 4
    cells = len(matrix) + 2 * border
    image = QImage(size, size, QImage.Format.Format_RGB32)
    image.fill(QColor(light))
    p = QPainter(image)
    unit = size / cells
    for y, row in enumerate(matrix):
        for x, on in enumerate(row):
            if on:
                p.fillRect(
                    QRectF((x + border) * unit, (y + border) * unit, unit, unit), QColor(dark)
                )
    p.end()
    return QPixmap.fromImage(image)


QR, SMALL_QR = 300, 240  # SCREEN px: the receipt number's QR code


class ReceiptScreen(Screen):
    FIELDS = 5

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.icon, self.title, self.status = icon_head(self.column)
        row = QHBoxLayout()
        row.setSpacing(40)
        # Little space between lines: large Arabic text needs every pixel of this screen.
        card, self.names, self.values = field_card(self.FIELDS, 4)
        row.addWidget(card, 1)
        qr_box = QVBoxLayout()
        self.qr = pictogram_label(QR)
        self.qr.setProperty(OWN_SIZE, True)  # show_view sizes it
        self.qr_caption = label("muted")
        self.qr_caption.setProperty(OWN_SIZE, True)
        self.qr_caption.setMaximumWidth(QR)
        qr_box.addWidget(self.qr)
        qr_box.addWidget(self.qr_caption)
        qr_box.addStretch(1)
        row.addLayout(qr_box)
        self.column.addLayout(row)
        self.column.addStretch(1)
        # The papers notice above "Finish"; beside it in large text on a landscape screen,
        # where the taller lines leave no room for both one above the other (show_view).
        self.bottom = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.bottom.setSpacing(32)
        self.column.addLayout(self.bottom)
        self.papers = Notice("take-papers", 96)
        self.bottom.addWidget(self.papers, 1)
        buttons = self.buttons = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        buttons.setSpacing(32)
        self.bottom.addLayout(buttons)
        self.site = SiteBanner(small=True)  # beside "Finish": room the screen has anyway
        buttons.addWidget(self.site)
        buttons.addStretch(1)
        self.finish = BigButton("check", "primary")
        self.finish.setMinimumWidth(520)
        self.finish.clicked.connect(lambda: self.ask(do.Finish()))
        buttons.addWidget(self.finish)

    def show_view(self, view: View) -> None:
        t, receipt, palette = view.texts, view.session.receipt, view.palette
        if receipt is None:
            return
        title, status = RECEIPT_TEXTS[receipt.status]
        self.title.setText(t.gettext(title))
        self.status.setText(t.gettext(status))
        self.icon.setPixmap(render("check" if receipt.delivered else "lock", 120, palette.text))
        fill_fields(list(receipt_rows(receipt, t)), self.names, self.values)
        # Portrait in large text: a smaller code, the values beside it need the width.
        qr = self.metrics.px(SMALL_QR if view.settings.large_text and self.metrics.portrait else QR)
        self.qr.setFixedSize(qr, qr)
        self.qr_caption.setMaximumWidth(qr)
        self.qr.setPixmap(qr_pixmap(receipt.receipt_id, qr, "#000000", "#ffffff"))
        self.qr_caption.setText(t.gettext("Receipt number as a QR code"))
        self.site.show_site(view.site)
        reminder = [t.gettext("Please take all your papers with you.")]
        if view.printing is None:  # no printer: the screen is all the client takes home
            reminder.append(
                t.gettext("Take a photo of this screen or write down the receipt number.")
            )
        else:
            reminder.append(t.gettext(PRINTING_TEXTS[view.printing]))
        hint = receipt.concern.hint
        if hint:
            reminder.append(t.gettext(hint))
        self.papers.show_message(palette, "\n".join(reminder))
        m, large = self.metrics, view.settings.large_text
        top, bottom = (12, 12) if large else (24, 32)  # large text: the lines need the height
        self.column.setContentsMargins(m.px(MARGIN), m.px(top), m.px(MARGIN), m.px(bottom))
        self.column.setSpacing(m.px(8 if large else 16))
        beside = large and not m.portrait
        self.bottom.setDirection(
            QBoxLayout.Direction.LeftToRight if beside else QBoxLayout.Direction.TopToBottom
        )
        # Beside the notice, the site's logo and name go above "Finish", not beside it.
        self.buttons.setDirection(
            QBoxLayout.Direction.TopToBottom if beside else QBoxLayout.Direction.LeftToRight
        )
        self.finish.set_content(palette, t.gettext("Finish"))

    def wipe(self) -> None:
        for value in self.values:
            value.setText("")
        self.qr.clear()

    def instructions(self, view: View) -> str:
        return self.title.text() + " " + self.status.text() + " " + self.papers.text.text()
