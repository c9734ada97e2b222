"""Helpers for driving the UI in tests: a clock to move by hand, finding and pressing buttons."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from drivers.codes.wedge import WedgeTiming
from drivers.output.sound import RecordingChime
from drivers.output.speech import RecordingSpeech
from drivers.scanner.protocol import ColorMode
from kiosk.app import build, embedded_config
from kiosk.core.records import replace
from kiosk.station import PageOptions, Station
from kiosk.ui.i18n.texts import Texts
from kiosk.ui.presenter.backend import KioskBackend
from kiosk.ui.presenter.ports import CardCamera
from kiosk.ui.presenter.presenter import Presenter
from kiosk.ui.window import Window

PERSON_GAP = 0.15  # seconds between a person's keys; a USB barcode reader needs a few ms
READER_GAP = 0.004


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def make_backend(sane_config: Path, inbox: Path, batches: list[PageOptions]) -> KioskBackend:
    config = embedded_config()
    # Gray at 150 dpi keeps a 13-page test quick; the flow is the same at 300 dpi colour.
    scanner = replace(
        config.scanner, sane_config_dir=sane_config, resolution=150, mode=ColorMode.GRAY
    )
    kiosk = build(replace(config, scanner=scanner), embedded=True)
    return KioskBackend(Station(kiosk), inbox=inbox.as_uri() + "/", batch_options=batches)


class Ui:
    def __init__(
        self,
        qtbot: QtBot,
        backend: object,
        catalogs: dict[str, Texts],
        camera: CardCamera | None = None,
        clock: Clock | None = None,
        wedge_timing: WedgeTiming | None = None,
    ) -> None:
        self.qtbot, self.clock = qtbot, clock or Clock()
        self.window = Window(kiosk_mode=True)
        qtbot.addWidget(self.window)
        self.speech, self.chime = RecordingSpeech(), RecordingChime()
        self.quits = 0
        self.presenter = Presenter(
            self.window, backend, catalogs, clock=self.clock, speech=self.speech,
            chime=self.chime, tick_ms=60_000, camera=camera, on_quit=self._quit,
            wedge_timing=wedge_timing,
        )  # fmt: skip
        self.window.setFixedSize(1920, 1080)
        self.window.show()
        self.presenter.start()
        self.idle()

    def _quit(self) -> None:
        self.quits += 1

    def idle(self) -> None:
        """Wait until no background job is on its way."""
        self.qtbot.waitUntil(lambda: self.presenter.background.running == 0, timeout=60_000)

    @property
    def phase(self) -> str:
        return self.presenter.session.phase.value

    def button(self, text: str) -> QAbstractButton:
        """The visible button whose words (or accessible name) are ``text``."""
        for widget in self.window.findChildren(QAbstractButton):
            if widget.isVisible() and text in (widget.text(), widget.accessibleName()):
                return widget
        raise LookupError(f"no visible button {text!r}")

    def press(self, text: str) -> None:
        QApplication.processEvents()  # let layouts settle, as they have before a finger lands
        self.qtbot.mouseClick(self.button(text), Qt.MouseButton.LeftButton)

    def texts(self) -> list[str]:
        return [w.text() for w in self.window.findChildren(QLabel) if w.isVisible() and w.text()]

    def shows(self, fragment: str) -> bool:
        return any(fragment in text for text in self.texts())

    def key_target(self) -> QWidget:
        """The widget a key press reaches. On a kiosk the compositor (cage) keeps its one
        fullscreen window active; Qt's offscreen platform drops activation during a scan (no
        other window appears; to be checked on real hardware), so the test re-activates it."""
        if QApplication.activeWindow() is not self.window:
            self.window.activateWindow()
            self.qtbot.waitUntil(lambda: QApplication.activeWindow() is self.window, timeout=5000)
        return QApplication.focusWidget() or self.window

    def key(
        self, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    ) -> None:
        self.qtbot.keyClick(self.key_target(), key, modifiers)

    def type_keys(self, text: str, gap: float) -> None:
        """``text`` key by key, ``gap`` seconds apart on the kiosk's clock ("\r" is Enter);
        capitals with Shift, as a keyboard and a barcode reader send them."""
        for char in text:
            self.clock.now += gap
            target = self.key_target()
            if char == "\r":
                self.qtbot.keyClick(target, Qt.Key.Key_Return)
            elif char.isupper():  # QTest presses and releases Shift around it
                self.qtbot.keyClick(target, char, Qt.KeyboardModifier.ShiftModifier)
            else:
                self.qtbot.keyClick(target, char)

    def type_like_a_person(self, text: str) -> None:
        """A person types ``text`` and stops: every key has reached the screen after it."""
        self.type_keys(text, PERSON_GAP)
        self.let_go()

    def scan_like_a_reader(self, code: str) -> None:
        """A USB barcode reader that types (HID wedge) sends ``code`` and its Enter."""
        self.type_keys(code + "\r", READER_GAP)
        self.idle()  # what a code means is worked out off the GUI thread

    def let_go(self) -> None:
        """No key follows: past the reader's max gap, held keys are typing; wait for the
        timer that gives them back."""
        self.clock.now += 1.0
        keys = self.presenter.activity.keys
        self.qtbot.waitUntil(lambda: keys.recogniser.deadline is None, timeout=5000)

    def tick(self, seconds: float) -> None:
        self.clock.now += seconds
        self.presenter.tick()

    def close(self) -> None:
        self.presenter.stop()


def image_digest(widget: QLabel) -> str | None:
    pixmap = widget.pixmap()
    if pixmap is None or pixmap.isNull():
        return None
    image = pixmap.toImage()
    return hashlib.sha256(bytes(image.constBits())).hexdigest()


def everything_shown(window: QWidget) -> tuple[list[str], set[str]]:
    """Every string any widget holds (text, tooltip, accessible name) and its pixmaps."""
    QApplication.processEvents()
    strings, pixmaps = [], set()
    for widget in [window, *window.findChildren(QWidget)]:
        strings += [widget.toolTip(), widget.accessibleName(), widget.accessibleDescription()]
        strings += [widget.whatsThis(), widget.statusTip(), widget.windowTitle()]
        text = getattr(widget, "text", None)
        if callable(text):
            strings.append(str(text()))
        if isinstance(widget, QLabel) and (digest := image_digest(widget)) is not None:
            pixmaps.add(digest)
    return strings, pixmaps
