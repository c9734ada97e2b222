"""Staff mode's settings page: the settings staff may change on this kiosk (start language,
scan mode, duplex, speech at the start, idle timeout), each as a row of choices; one the
central configuration locks reads "managed by IT" and takes no touch. Applied at once."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QGridLayout, QVBoxLayout, QWidget

from kiosk.core.session import LANGUAGES
from kiosk.core.text import N_
from kiosk.services.local_settings import IDLE_CHOICES, KEYS, LocalState, shown
from kiosk.ui.i18n.texts import LANGUAGE_NAMES, Texts
from kiosk.ui.presenter import intents as do
from kiosk.ui.presenter.staff_settings import SettingsPage
from kiosk.ui.presenter.view import View
from kiosk.ui.screens.staff_page import StaffPage, mark
from kiosk.ui.widgets.basic import BigButton, Notice, label

NAMES = {
    "language": N_("Start language"),
    "scan_mode": N_("Scan mode"),
    "duplex": N_("Both sides (duplex)"),
    "speech": N_("Speech output at the start"),
    "idle_timeout": N_("Time a client screen waits"),
}
NOTES = {
    "scan_mode": N_("Automatic colour: pages without colour are stored in gray."),
    "idle_timeout": N_("A warning comes 20 seconds before the session ends."),
}
MODES = {"color": N_("Automatic colour"), "gray": N_("Gray"), "bw": N_("Black and white")}
OFF_ON = {"true": N_("On"), "false": N_("Off")}


def choices(key: str, t: Texts) -> list[tuple[str, str]]:
    """(value as the intent carries it, words on the button) for one setting."""
    if key == "language":
        return [(lang, LANGUAGE_NAMES[lang]) for lang in LANGUAGES]
    if key == "scan_mode":
        return [(mode, t.gettext(words)) for mode, words in MODES.items()]
    if key in ("duplex", "speech"):
        return [(value, t.gettext(words)) for value, words in OFF_ON.items()]
    each = t.gettext("{seconds} s")
    seconds = [
        (str(s), t.fill(each, seconds=t.number(s)).replace(" ", "\u00a0")) for s in IDLE_CHOICES
    ]
    return [*seconds, ("", t.gettext("Each screen's own"))]


class SettingRow:
    def __init__(self, key: str, column: QVBoxLayout, ask: Callable[[do.Intent], None]) -> None:
        self.key = key
        self.line = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.line.setSpacing(24)
        words = QVBoxLayout()
        words.setSpacing(2)
        self.name = label("big")
        self.note = label("muted")
        words.addWidget(self.name)
        words.addWidget(self.note)
        self.line.addLayout(words, 2)
        self.chips = QGridLayout()
        self.chips.setSpacing(16)
        self.line.addLayout(self.chips, 5)
        self._per_row = 0
        self.buttons: list[BigButton] = []
        self.values: list[str] = []
        self.ask = ask
        column.addLayout(self.line)

    def show(self, view: View, state: LocalState, busy: bool, per_row: int) -> None:
        t, palette = view.texts, view.palette
        offered = choices(self.key, t)
        while len(self.buttons) < len(offered):
            button = BigButton(None)
            index = len(self.buttons)
            button.clicked.connect(lambda _=False, i=index: self._chosen(i))
            self.buttons.append(button)
        self._place(per_row)
        self.values = [value for value, _ in offered]
        current = shown(getattr(state.effective, self.key))
        locked = self.key in state.locked
        for button, (value, words) in zip(self.buttons, offered, strict=True):
            mark(button, palette, words, value == current)
            button.setEnabled(not locked and not busy)
        self.name.setText(t.gettext(NAMES[self.key]))
        if locked:
            note = t.gettext("Managed by IT: cannot be changed here.")
        elif view.settings.large_text:
            note = ""  # large text needs the room; what is set shows on the buttons
        elif getattr(state.local, self.key) is not None:
            note = t.gettext("Set on this kiosk.")
        else:
            note = t.gettext(NOTES[self.key]) if self.key in NOTES else ""
        self.note.setText(note)
        self.note.setVisible(bool(note))

    def _place(self, per_row: int) -> None:
        """The choices in rows of ``per_row`` (six timeouts do not fit one upright row)."""
        if per_row == self._per_row:
            return
        self._per_row = per_row
        for index, button in enumerate(self.buttons):
            self.chips.removeWidget(button)
            self.chips.addWidget(button, index // per_row, index % per_row)
            button.show()  # now, not on Qt's next turn: no frame with the row's words alone
        used = min(per_row, len(self.buttons))  # the row's width shared by its choices
        for column in range(max(len(self.buttons), 6)):
            self.chips.setColumnStretch(column, 1 if column < used else 0)

    def _chosen(self, index: int) -> None:
        self.ask(do.ChangeSetting(self.key, self.values[index]))

    def arrange(self, portrait: bool) -> None:
        self.line.setDirection(
            QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight
        )


class StaffSettingsScreen(StaffPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows = [SettingRow(key, self.column, self.ask) for key in KEYS]
        self.column.addStretch(1)
        self.notice = Notice("warning", 64)
        self.notice.hide()
        self.column.addWidget(self.notice)
        # Beside Back on a landscape screen (the rows need the height), below them upright
        # (the head needs the width).
        self.reset = BigButton("undo")
        self.reset.clicked.connect(lambda: self.ask(do.ResetSettings()))
        self._reset_below: bool | None = None

    def show_view(self, view: View) -> None:
        t, palette = view.texts, view.palette
        page = view.settings_page or SettingsPage(busy=True)
        state = page.state
        self.show_head(view, t.gettext("Changes apply at once, from the next client on."))
        self._place_reset(self.metrics.portrait)
        narrow = self.metrics.portrait
        for row in self.rows:
            row.arrange(self.metrics.portrait)
            if state is not None:
                row.show(view, state, page.busy, 3 if narrow else 6)
        self._notice(view, page)
        self.reset.set_content(palette, t.gettext("Use the central settings again"), rtl=t.rtl)
        local_set = state is not None and any(
            getattr(state.local, key) is not None and key not in state.locked for key in KEYS
        )
        self.reset.setEnabled(local_set and not page.busy)

    def _place_reset(self, below: bool) -> None:
        if below == self._reset_below:
            return
        self._reset_below = below
        self.head.removeWidget(self.reset)
        self.column.removeWidget(self.reset)
        if below:
            self.column.addWidget(self.reset)
        else:
            self.head.insertWidget(self.head.count() - 1, self.reset, 0, Qt.AlignmentFlag.AlignTop)

    def _notice(self, view: View, page: SettingsPage) -> None:
        t, palette = view.texts, view.palette
        if page.failed == "locked":
            message = t.gettext("Managed by IT: cannot be changed here.")
        elif page.failed is not None:
            message = t.gettext("That could not be saved.")
        elif page.state is not None and page.state.problem is not None:
            message = t.fill(
                t.gettext("The local settings file is broken and is ignored: {problem}"),
                problem=t.code(page.state.problem),
            )
        elif page.state is None:
            message = t.gettext("Checking ...")
        else:
            self.notice.hide()
            return
        self.notice.show_message(palette, message, "warning" if page.state else "hourglass")
