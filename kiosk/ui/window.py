"""The kiosk window: header, one screen per phase, the timeout overlay; renders, decides nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from importlib import import_module
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QKeyEvent,
    QMouseEvent,
    QResizeEvent,
    QScreen,
    QTouchEvent,
)
from PySide6.QtWidgets import QAbstractButton, QApplication, QStackedWidget, QVBoxLayout, QWidget

from kiosk.core.session import Phase
from kiosk.ui.presenter.view import View
from kiosk.ui.screens.base import Screen
from kiosk.ui.screens.overlay import TimeoutOverlay
from kiosk.ui.widgets.sizing import fit_tree
from kiosk.ui.widgets.theme import FULL, Metrics, metrics_for, stylesheet

if TYPE_CHECKING:
    from drivers.camera.preview import PreviewFrame
    from kiosk.ui.widgets.header import Header

# Every screen by the name `screen_name` gives it, as "module:class": adding a screen is one
# line here. A screen's module is imported and the screen built the first time it is shown
# or asked for (``window.screens[name]``), or by ``build_next`` once the start screen has
# been painted (kiosk.ui.main): the start screen never waits for the others.
SCREENS = {
    "start": "kiosk.ui.screens.start:StartScreen",
    "explain": "kiosk.ui.screens.start:ExplainScreen",
    "identify": "kiosk.ui.screens.identify:IdentifyScreen",
    "confirm": "kiosk.ui.screens.identify:ConfirmScreen",
    "concern": "kiosk.ui.screens.concern:ConcernScreen",
    "scan": "kiosk.ui.screens.scan:ScanScreen",
    "review": "kiosk.ui.screens.review:ReviewScreen",
    "send": "kiosk.ui.screens.receipt:SendScreen",
    "receipt": "kiosk.ui.screens.receipt:ReceiptScreen",
    "error": "kiosk.ui.screens.notices:ErrorScreen",
    "out_of_order": "kiosk.ui.screens.notices:OutOfOrderScreen",
    "staff": "kiosk.ui.screens.staff:StaffScreen",
    "diagnostics": "kiosk.ui.screens.diagnostics:DiagnosticsScreen",
    "staff-pin": "kiosk.ui.screens.staff_pin:StaffPinScreen",
    "staff-held": "kiosk.ui.screens.staff_held:StaffHeldScreen",
    "staff-report": "kiosk.ui.screens.staff_report:StaffReportScreen",
    "staff-lookup": "kiosk.ui.screens.staff_lookup:StaffLookupScreen",
    "staff-out-of-order": "kiosk.ui.screens.staff_out_of_order:StaffOutOfOrderScreen",
    "staff-settings": "kiosk.ui.screens.staff_settings:StaffSettingsScreen",
    "staff-reboot": "kiosk.ui.screens.staff_reboot:StaffRebootScreen",
    "staff-bundle": "kiosk.ui.screens.staff_bundle:StaffBundleScreen",
    # a staff page with no screen of its own yet
    "staff-page": "kiosk.ui.screens.staff_page:StaffPageScreen",
}

SCREEN_FOR_PHASE = {
    Phase.IDLE: "start",
    Phase.LANGUAGE: "start",
    Phase.IDENTIFY: "identify",
    Phase.CONFIRM: "confirm",
    Phase.CONCERN: "concern",
    Phase.SCAN: "scan",
    Phase.REVIEW: "review",
    Phase.SEND: "send",
    Phase.RECEIPT: "receipt",
    Phase.ERROR: "error",
    Phase.OUT_OF_ORDER: "out_of_order",
    Phase.STAFF: "staff",
}


def screen_name(view: View) -> str:
    if view.pin_entry is not None:
        return "staff-pin"
    name = SCREEN_FOR_PHASE[view.session.phase]
    if name == "staff" and view.diagnostics is not None:
        return "diagnostics"
    if name == "staff" and view.staff_page is not None:
        return f"staff-{view.staff_page}"  # a page without its screen yet: StaffPageScreen
    return "explain" if name == "identify" and not view.explained else name


class Window(QWidget):
    intent = Signal(object)

    def __init__(
        self, kiosk_mode: bool = True, parent: QWidget | None = None, *, build_all: bool = True
    ) -> None:
        """``build_all=False``: each screen is built when first needed, and input is
        followed from ``watch_input`` on (``kiosk run`` paints the start screen first, then
        builds the rest with ``build_next``)."""
        super().__init__(parent)
        self.kiosk_mode = kiosk_mode
        self.input = InputMode(self)
        if build_all:
            self.watch_input()
        self.setObjectName("window")
        self.setWindowTitle("Jobcenter Scan-Kiosk")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        # The window itself holds focus while nothing is chosen: no control looks
        # pre-selected, and keys still arrive (and are passed to the screen).
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self._forwarding = False
        self._rendered = False
        self._column = column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        # The header above the screens: built when first shown (hidden on the start
        # screen, so `kiosk run` paints without it) or asked for.
        self._header: Header | None = None
        self.stack = QStackedWidget()
        column.addWidget(self.stack, 1)
        self.screens = Screens(self._build_screen)
        self.overlay = TimeoutOverlay(self)
        self.overlay.intent.connect(self.intent.emit)
        self._style: tuple[object, ...] = ()
        self.metrics: Metrics = FULL  # what the layout is fitted to: the window's size
        self._view: View | None = None
        if build_all:
            while self.build_next():
                pass

    @property
    def header(self) -> Header:
        if self._header is None:
            from kiosk.ui.widgets.header import Header

            header = Header()
            header.intent.connect(self.intent.emit)
            header.hide()  # until show_view shows it
            self._column.insertWidget(0, header)
            self._fit_late(header)
            self._header = header
        return self._header

    @property
    def current(self) -> Screen:
        widget = self.stack.currentWidget()
        assert isinstance(widget, Screen)
        return widget

    def show_view(self, view: View, *, header: bool = True) -> None:
        """``header=False``: the header stays hidden, as on the start screen, and is not
        brought up to date (``kiosk run``'s first paint; the presenter's first render does)."""
        self._view = view
        style = (view.palette, view.fonts, self.metrics)
        if style != self._style:
            self.setStyleSheet(stylesheet(*style))
            self._style = style
        direction = (
            Qt.LayoutDirection.RightToLeft if view.texts.rtl else Qt.LayoutDirection.LeftToRight
        )
        self.setLayoutDirection(direction)  # Arabic mirrors every layout
        if header:
            self.header.show_view(view)
        elif self._header is not None:
            self._header.hide()
        screen = self.screen_for(view)
        screen.show_view(view)
        for other in self.screens.built.values():
            if other is not screen:
                other.prepare(view)
        switched = self.stack.currentWidget() is not screen
        if switched:
            self.stack.setCurrentWidget(screen)
        self._keep_focus_on(screen, switched or not self._rendered)
        self._rendered = True
        self.overlay.show_view(view)

    def _keep_focus_on(self, screen: QWidget, switched: bool) -> None:
        """A keypad user always has a focused control on the screen they see: after a screen
        change, or when the focused button was rebuilt away (review tiles), focus goes to
        the screen's first control; the arrow keys move on from there."""
        if not self.input.keys:
            # Touch: nothing pre-selected (stressed clients pick what looks chosen). Qt
            # gives a new screen's first control focus (at start, or when the tapped one
            # is hidden); the window takes it back.
            if switched:
                self.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        focused = QApplication.focusWidget()
        if (
            focused is not None
            and focused.isVisible()
            and (
                screen.isAncestorOf(focused)
                or (self._header is not None and self._header.isAncestorOf(focused))
            )
        ):
            return
        for child in screen.findChildren(QWidget):
            if (child.focusPolicy() & Qt.FocusPolicy.TabFocus) == Qt.FocusPolicy.TabFocus and (
                child.isVisible() and child.isEnabled()
            ):
                child.setFocus(Qt.FocusReason.OtherFocusReason)
                return

    def _focus_moved(self, _old: QWidget | None, new: QWidget | None) -> None:
        """Touch: Qt moves focus on by itself when the focused control is disabled or hidden
        (the keypad's "Clear all" on an empty number: the ring jumped to "Next", a button
        the client never touched). The ring stays on the pressed button or nowhere."""
        if self.input.keys or new is None or new is self or new is self.input.pressed:
            return
        if self.isAncestorOf(new):
            self.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_preview(self, frame: PreviewFrame) -> None:
        """The card camera's newest picture, on the identify screen only."""
        from kiosk.ui.screens.identify import IdentifyScreen

        identify = self.screens.built.get("identify")
        if identify is not None and self.stack.currentWidget() is identify:
            assert isinstance(identify, IdentifyScreen)
            identify.show_preview(frame)

    def wipe(self) -> None:
        for screen in self.screens.built.values():  # one not built yet shows nobody's data
            screen.wipe()
        self.input.keys = False  # the next client starts by touch, with nothing highlighted
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def instructions(self, view: View) -> str:
        if view.seconds_left is not None:
            return self.overlay.instructions(view)
        return self.screen_for(view).instructions(view)

    def screen_for(self, view: View) -> Screen:
        """The screen that shows ``view``; a staff page with none registered gets the bare
        page (its title and Back), never a crash."""
        name = screen_name(view)
        return self.screens.get(name) or self.screens["staff-page"]

    def watch_input(self) -> None:
        """Follow keypad and touch input: an event filter on the whole application, so
        ``kiosk run`` sets it up after its first paint (no event waits for it before)."""
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.installEventFilter(self.input)
            app.focusChanged.connect(self._focus_moved)

    def build_next(self) -> bool:
        """Build one screen (or the header) that is not built yet; False once all are."""
        if self._header is None:
            self.header  # noqa: B018 (builds it)
            return True
        for name in SCREENS:
            if name not in self.screens.built:
                self.screens[name]  # noqa: B018 (builds it)
                return True
        return False

    def _build_screen(self, name: str) -> Screen:
        module, _, kind = SCREENS[name].partition(":")
        screen = getattr(import_module(module), kind)()
        assert isinstance(screen, Screen), name
        screen.intent.connect(self.intent.emit)
        self.stack.addWidget(screen)
        self._fit_late(screen)
        if self._view is not None:
            screen.prepare(self._view)
        return screen

    def _fit_late(self, widget: Header | Screen) -> None:
        """A part built after the window was fitted (at full size): fitted as `fit` fits
        the others."""
        if self.metrics != FULL:
            fit_tree(widget, self.metrics)
            widget.fit(self.metrics)

    def cover(self, screen: QScreen) -> None:
        """Take exactly the whole screen, and keep to it. Without a window manager (a bare X
        session, cage) nobody else sizes the window; and a screen whose content asks for
        more room must reflow inside the screen, never grow the window past its edge."""
        geometry = screen.geometry()
        self.setFixedSize(geometry.size())
        self.move(geometry.topLeft())

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.overlay.setGeometry(self.rect())
        super().resizeEvent(event)
        self.fit(metrics_for(event.size().width(), event.size().height()))

    def fit(self, metrics: Metrics) -> None:
        """Lay every screen out for this size (no window manager does it): type and spacing
        scale, tiles take the columns that fit, two-column screens stack in portrait."""
        if metrics == self.metrics:
            return
        self.metrics = metrics
        fit_tree(self, metrics)
        if self._header is not None:
            self._header.fit(metrics)
        for screen in (*self.screens.built.values(), self.overlay):
            screen.fit(metrics)
        if self._view is not None:
            self.show_view(self._view)  # icons drawn at their new size, the new style

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Arrow keys move between buttons; Enter and Space press the focused one."""
        key = event.key()
        forward = key in (Qt.Key.Key_Right, Qt.Key.Key_Down)
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_Right, Qt.Key.Key_Down):
            if self.layoutDirection() == Qt.LayoutDirection.RightToLeft and key in (
                Qt.Key.Key_Left,
                Qt.Key.Key_Right,
            ):
                forward = not forward
            self.focusNextPrevChild(forward)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._button_focused():
            focused = QApplication.focusWidget()
            assert isinstance(focused, QAbstractButton)
            focused.click()
        else:
            self._to_screen(event)
            return
        event.accept()

    @staticmethod
    def _button_focused() -> bool:
        focused = QApplication.focusWidget()
        return isinstance(focused, QAbstractButton) and focused.isVisible()

    def _to_screen(self, event: QKeyEvent) -> None:
        """A key nobody focused took (the window holds focus): the screen may want it, e.g.
        digits and Enter on the identify screen. Ignored keys come back up here: once."""
        screen = self.stack.currentWidget()
        if self._forwarding or screen is None or QApplication.focusWidget() is not self:
            super().keyPressEvent(event)
            return
        self._forwarding = True
        try:
            QApplication.sendEvent(screen, event)
        finally:
            self._forwarding = False

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.kiosk_mode:
            event.ignore()  # Alt+F4 and the like: a client cannot close the kiosk
        else:
            event.accept()


class Screens(Mapping[str, Screen]):
    """``window.screens``: every screen of SCREENS by name, each built the first time it is
    asked for. Its names are all of SCREENS; ``built`` holds those that exist so far."""

    def __init__(self, build: Callable[[str], Screen]) -> None:
        self._build = build
        self.built: dict[str, Screen] = {}

    def __getitem__(self, name: str) -> Screen:
        screen = self.built.get(name)
        if screen is None:
            if name not in SCREENS:
                raise KeyError(name)
            screen = self.built[name] = self._build(name)
        return screen

    def __contains__(self, name: object) -> bool:
        return name in SCREENS  # without building it

    def __iter__(self) -> Iterator[str]:
        return iter(SCREENS)

    def __len__(self) -> int:
        return len(SCREENS)


# Keys that move between controls or press one: a keypad user. Typing (digits, letters,
# Backspace, Shift) is not: a client typing their number after touching the screen keeps
# the window's focus, so no keypad button gets highlighted under their keys, takes the
# next key away from the number, or is pressed by their Enter.
_KEYPAD_KEYS = {
    Qt.Key.Key_Left,
    Qt.Key.Key_Right,
    Qt.Key.Key_Up,
    Qt.Key.Key_Down,
    Qt.Key.Key_Tab,
    Qt.Key.Key_Backtab,
    Qt.Key.Key_Return,
    Qt.Key.Key_Enter,
    Qt.Key.Key_Space,
    Qt.Key.Key_Select,
    Qt.Key.Key_Home,
    Qt.Key.Key_End,
    Qt.Key.Key_PageUp,
    Qt.Key.Key_PageDown,
}


class InputMode(QObject):
    """Which the client is using now, keypad or fingers: focus is placed for the keypad only."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.keys = False
        self.pressed: QObject | None = None  # what the finger pressed last (compared only)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Sees every event of the application: the event's class first, its type (a Python
        # enum made anew for each event) only for the few that can be input.
        if not isinstance(event, (QKeyEvent, QMouseEvent, QTouchEvent)):
            return False
        kind = event.type()
        if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() in _KEYPAD_KEYS:
                self.keys = True
        elif kind in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin):
            self.keys = False
            self.pressed = watched
        return False
