"""Scanning: what to do (with a picture), live progress with thumbnails, problems, stop."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QProgressBar, QVBoxLayout, QWidget

from kiosk.core.faults import Fault
from kiosk.core.problems import kept_note, scan_problem
from kiosk.ui.presenter import intents as do
from kiosk.ui.presenter.view import View
from kiosk.ui.screens.base import Screen, button_row, stack_in_portrait, title_block
from kiosk.ui.widgets.basic import BigButton, Notice, label, pictogram_label
from kiosk.ui.widgets.pictograms import render
from kiosk.ui.widgets.sizing import OWN_SIZE
from kiosk.ui.widgets.theme import Metrics

STRIP = 7  # thumbnails shown while scanning: the latest pages
PICTURE = 300  # SCREEN px: the feeder or glass; LARGE_PICTURE in large text (room for words)
LARGE_PICTURE = 120
THUMB = {False: (112, 158), True: (64, 90)}  # SCREEN px: a page in the strip, by text size
PROBLEM_PICTURES = {
    Fault.NO_PAPER: "no-paper",
    Fault.JAMMED: "jam",
    Fault.COVER_OPEN: "cover-open",
    Fault.NOT_FOUND: "staff",
    Fault.UNSUPPORTED: "staff",
}


class ScanScreen(Screen):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Side by side on a landscape screen, one above the other in portrait (fit).
        row = self.row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        row.setSpacing(48)
        self.column.addLayout(row, 1)
        left = QVBoxLayout()
        # What the client chose, in their words: the pages go to the team for it.
        chosen = QHBoxLayout()
        chosen.setSpacing(16)
        self.concern_icon = pictogram_label(56)
        self.concern_label = label("big")
        self.concern_label.setObjectName("chosen-concern")
        chosen.addWidget(self.concern_icon, 0, Qt.AlignmentFlag.AlignTop)
        chosen.addWidget(self.concern_label, 1)
        left.addLayout(chosen)
        self.title, self.subtitle = title_block(left)
        self.picture = pictogram_label(PICTURE)
        self.picture.setProperty(OWN_SIZE, True)  # show_view sizes it (smaller in large text)
        left.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignHCenter)
        left.addStretch(1)
        row.addLayout(left, 1)
        right = QVBoxLayout()  # what happens now: problems, the concern's hint, the pages
        right.setSpacing(20)
        self.problem = Notice("warning", 150)
        right.addWidget(self.problem)
        self.hint = Notice("info", 72)
        right.addWidget(self.hint)
        self.progress = label("big")
        right.addWidget(self.progress)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # a moving bar: the scanner is working
        self.busy.setTextVisible(False)
        right.addWidget(self.busy)
        strip = QHBoxLayout()
        strip.setSpacing(12)
        self.more = label("big", wrap=False)  # "+2": the earlier pages, left out of the strip
        self.more.setObjectName("more-pages")
        strip.addWidget(self.more, 0, Qt.AlignmentFlag.AlignVCenter)
        self.thumbs = [pictogram_label(0) for _ in range(STRIP)]
        for thumb in self.thumbs:
            thumb.setFixedSize(*THUMB[False])
            thumb.setObjectName("page-thumbnail")
            strip.addWidget(thumb)
        strip.addStretch(1)
        right.addLayout(strip)
        right.addStretch(1)
        row.addLayout(right, 1)
        buttons = button_row(self.column)
        self.stop = BigButton("cross")
        self.stop.clicked.connect(lambda: self.ask(do.StopScan()))
        self.check = BigButton("magnify")  # after a stop or a fault: the pages kept so far
        self.check.clicked.connect(lambda: self.ask(do.CheckPages()))
        self.scan = BigButton("feeder", "primary")
        self.scan.clicked.connect(lambda: self.ask(do.Scan()))
        for button in (self.stop, self.check, self.scan):
            buttons.addWidget(button)

    def fit(self, metrics: Metrics) -> None:
        super().fit(metrics)
        stack_in_portrait(self.row, metrics)

    def show_view(self, view: View) -> None:
        t, s, palette = view.texts, view.session, view.palette
        feeder = view.source != "flatbed"
        self.title.setText(t.gettext("Scan your papers"))
        self.subtitle.setText(
            t.gettext("Put your papers into the feeder, face down, top edge first.")
            if feeder
            else t.gettext("Open the lid. Put one page face down on the glass. Close the lid.")
        )
        large = view.settings.large_text
        # Large text: smaller pictures, the words take their room (never smaller type).
        self.problem.set_icon_size(self.metrics.px(64 if large else 150))
        self.hint.set_icon_size(self.metrics.px(56 if large else 72))
        for thumb in self.thumbs:
            thumb.setProperty(OWN_SIZE, True)
            thumb.setFixedSize(*(self.metrics.px(side) for side in THUMB[large]))
        side = self.metrics.px(LARGE_PICTURE if large else PICTURE)
        self.picture.setFixedSize(side, side)
        self.picture.setPixmap(render("feeder" if feeder else "glass", side, palette.text))
        if s.concern is not None:
            self.concern_icon.setPixmap(render(s.concern.key, 56, palette.text))
            self.concern_label.setText(t.gettext(s.concern.label))
        hint = s.concern.hint if s.concern else None
        if s.insert_at is not None:  # one page is scanned again: say where it goes
            self.hint.show_message(
                palette,
                t.fill(
                    t.gettext("Put in only the page to scan again. It becomes page {number}."),
                    number=t.number(s.insert_at + 1),
                ),
            )
        elif hint:
            self.hint.show_message(palette, t.gettext(hint))
        else:
            self.hint.hide()
        if s.scan_problem and not s.scanning:
            picture = PROBLEM_PICTURES.get(s.scan_problem, "warning")
            self.problem.show_message(palette, _problem_text(view), picture)
        else:
            self.problem.hide()
        self._progress(view)
        self.stop.setVisible(s.scanning)
        self.check.setVisible(bool(view.pages) and not s.scanning)
        self.scan.setVisible(not s.scanning)
        self.stop.set_content(palette, t.gettext("Stop scanning"))
        self.check.set_content(palette, t.gettext("Check the pages and send them"))
        if view.pages:
            action = t.gettext("Scan more")
        elif s.scan_problem:
            action = t.gettext("Try again")
        else:
            action = t.gettext("Scan")
        self.scan.set_content(palette, action)

    def _progress(self, view: View) -> None:
        t, count = view.texts, len(view.pages)
        if view.session.scanning:
            text = t.fill(t.gettext("Scanning page {number} …"), number=t.number(count + 1))
        elif count:
            scanned = t.ngettext("{count} page scanned", "{count} pages scanned", count)
            text = t.fill(scanned, count=t.number(count))
        else:
            text = ""
        self.progress.setText(text)
        self.progress.setVisible(bool(text))
        self.busy.setVisible(view.session.scanning)
        latest = view.pages[-STRIP:]
        hidden = len(view.pages) - len(latest)
        self.more.setText(t.code(f"+{t.number(hidden)}") if hidden else "")
        self.more.setVisible(hidden > 0)
        for i, thumb in enumerate(self.thumbs):
            if i < len(latest):
                image = QPixmap.fromImage(latest[i].thumbnail)
                thumb.setPixmap(image.scaled(thumb.size(), Qt.AspectRatioMode.KeepAspectRatio))
                thumb.setAccessibleName(
                    t.fill(t.gettext("Page {number}"), number=t.number(latest[i].number))
                )
                thumb.show()
            else:
                thumb.clear()
                thumb.setAccessibleName("")
                thumb.setVisible(i < len(latest))

    def wipe(self) -> None:
        self.concern_label.setText("")
        self.concern_icon.clear()
        for thumb in self.thumbs:
            thumb.clear()
            thumb.setAccessibleName("")

    def instructions(self, view: View) -> str:
        s, t = view.session, view.texts
        if s.scan_problem and not s.scanning:
            return _problem_text(view)
        return t.gettext("Scan your papers") + ". " + self.subtitle.text()


def _problem_text(view: View) -> str:
    """What went wrong and, only when there are pages, that they are kept."""
    fault, t = view.session.scan_problem or Fault.FAILED, view.texts
    note = kept_note(fault, len(view.session.pages))
    text = t.gettext(scan_problem(fault))
    return text + " " + t.gettext(note) if note else text
