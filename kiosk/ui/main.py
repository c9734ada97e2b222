"""``kiosk run``: start the Qt application around the presenter, the start screen first.

``start`` reads and checks the configuration (a broken one ends the start with exit 4 and
its message before any window opens), then shows the window with its header and the start
screen alone, and returns. Right after that first paint the rest is built (``Running.finish``):
the station and its keys (a key or storage problem: exit 4 or 5 with its message), the event
log, the delivery worker, the peripherals, the presenter, which takes the start screen over;
then the other screens one at a time while the kiosk is idle (one needed sooner is built
when needed). A tap on the start screen before the presenter is there is kept and handled by
it. READY=1 goes to systemd after the first paint, once the kiosk is built.

Nothing heavy is imported before the first paint: no station, spool, crypto, image or
network library (tests/ui/test_cold_start.py checks; tests/bench/bench_cold_start.py measures).
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
import time
from collections.abc import Callable, Mapping
from importlib import import_module
from types import TracebackType
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # Qt is imported only when the kiosk starts
    from PySide6.QtWidgets import QApplication

    from kiosk.configuration import Configured
    from kiosk.services.spool.delivery_worker import DeliveryWorker
    from kiosk.ui.i18n.texts import Texts
    from kiosk.ui.presenter.intents import Intent
    from kiosk.ui.presenter.presenter import Presenter
    from kiosk.ui.presenter.view import View
    from kiosk.ui.widgets.site import Look
    from kiosk.ui.window import Window


NO_QT_BEFORE_QT = (
    "kiosk.core.text",
    "kiosk.services.assets.theme",
    "kiosk.ui.i18n.texts",
    "kiosk.ui.presenter.pagenote",
    "kiosk.ui.widgets.theme",
    "drivers.camera.preview",
)


def _qt_platform() -> None:
    """Without a display (CI, SSH), render off screen instead of failing to start."""
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


class Built(NamedTuple):
    """What ``Running.finish`` builds behind the painted start screen."""

    presenter: Presenter
    delivery: DeliveryWorker


class Running:
    """A started kiosk: the Qt application and its window at once; the presenter and the
    delivery worker beside them once built, right after the first paint (or as soon as
    someone asks for them: ``presenter``, ``delivery`` and ``finish`` wait for the build)."""

    def __init__(self, app: QApplication, window: Window, build: Callable[[], Built]) -> None:
        self.app, self.window = app, window
        self._build: Callable[[], Built] | None = build
        self._built: Built | None = None
        self.failure: Exception | None = None  # why the build failed: `run` raises it

    def finish(self) -> Built:
        """The kiosk behind the start screen, built now if it is not yet; raises what
        stopped the build (InvalidFile, SetupError, StorageError)."""
        if self.failure is not None:
            raise self.failure
        if self._built is None:
            build, self._build = self._build, None
            assert build is not None, "the build is already running"
            try:
                self._built = build()
            except Exception as err:
                self.failure = err
                raise
            finally:
                gc.enable()  # off since `start`
        return self._built

    @property
    def presenter(self) -> Presenter:
        return self.finish().presenter

    @property
    def delivery(self) -> DeliveryWorker:
        return self.finish().delivery

    def stop(self) -> None:
        from kiosk.services.eventlog import uninstall

        if self._built is not None:
            self._built.presenter.stop()
            self._built.delivery.stop()
        uninstall()  # the log handler the build put on the root logger
        gc.enable()  # stopped before it was built


def run(args: argparse.Namespace) -> int:
    running = start(args)
    code = running.app.exec()
    running.stop()
    if running.failure is not None:
        raise running.failure  # the `kiosk` command says why (exit 4 or 5)
    return code


def start(args: argparse.Namespace) -> Running:
    """Everything ``kiosk run`` does before Qt's event loop: read the configuration and show
    the start screen; the rest is built right after its first paint."""
    # The start allocates much and frees little (modules, classes, widgets): no garbage
    # collection until the kiosk is built (``Running.finish``), 5% of the first paint.
    gc.disable()
    try:
        return _start(args)
    except BaseException:
        gc.enable()
        raise


def _start(args: argparse.Namespace) -> Running:
    _qt_platform()
    from kiosk.configuration import read_configuration

    configured = read_configuration(args.config)  # broken: InvalidFile, exit 4, no window
    # What the start screen needs without Qt, before Qt: once PySide6 is loaded it reads
    # the source of every module imported after it (its `__feature__` support).
    for module in NO_QT_BEFORE_QT:
        import_module(module)
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from kiosk.ui.watchdog import FirstPaint
    from kiosk.ui.widgets.site import look_of
    from kiosk.ui.window import Window

    print(f"configuration: {configured.origin}", file=sys.stderr)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    look = look_of(configured.config)  # the site's theme, logo and pictograms
    first = first_view(configured, look)
    window = Window(kiosk_mode=not args.windowed, build_all=False)
    # The start screen alone is built; the header, hidden there, waits for the presenter.
    window.show_view(first, header=False)
    pending: list[Intent] = []  # taps before the presenter is there
    window.intent.connect(pending.append)

    def build() -> Built:
        built = _build(args, app, window, configured, look, first.catalogs)
        window.intent.disconnect(pending.append)
        for intent in pending:  # now the presenter's: handled in order
            built.presenter.handle(intent)
        pending.clear()
        return built

    running = Running(app, window, build)

    def build_now() -> None:
        try:
            running.finish()
        except Exception:  # raised again by `run` once the loop has ended
            app.exit(1)

    # One more turn of the event loop after the paint: what else waited for the paint
    # (its flush to the screen, a probe measuring it) comes first.
    # The start screen paints its own background: its first paint is the window's.
    FirstPaint(window, lambda: QTimer.singleShot(0, build_now), window.current)
    _show(app, window, args.windowed)
    return running


def first_view(configured: Configured, look: Look) -> View:
    """The start screen as the presenter will render it for a new session."""
    from kiosk.core.session import LANGUAGES, Session
    from kiosk.ui.i18n.texts import load_texts
    from kiosk.ui.presenter.view import View

    config = configured.config
    catalogs = {language: load_texts(language) for language in LANGUAGES}
    home = config.language
    session = Session(language=home, home_language=home, last_activity=time.monotonic())
    return View(
        session=session,
        texts=catalogs[home],
        source=config.scanner.source.value,
        catalogs=catalogs,
        kiosk_id=config.kiosk_id,
        theme=look.theme,
        site=look.site,
    )


def _show(app: QApplication, window: Window, windowed: bool) -> None:
    from PySide6.QtCore import Qt

    if windowed:
        window.resize(1920, 1080)
        window.show()
        return
    window.setWindowFlags(Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint)
    window.setCursor(Qt.CursorShape.BlankCursor)  # a touch screen needs no pointer
    screen = app.primaryScreen()
    window.cover(screen)
    screen.geometryChanged.connect(lambda _: window.cover(screen))  # turned, resized
    window.showFullScreen()  # a window manager, where there is one, is told too


def _build(
    args: argparse.Namespace,
    app: QApplication,
    window: Window,
    configured: Configured,
    look: Look,
    catalogs: Mapping[str, Texts],
) -> Built:
    """The kiosk behind the painted start screen: station, delivery, peripherals, presenter."""
    from PySide6.QtCore import QTimer

    from kiosk.app import build_peripherals
    from kiosk.core.log_events import emit
    from kiosk.services.assets import Assets
    from kiosk.services.eventlog import install
    from kiosk.services.spool.delivery_worker import DeliveryWorker
    from kiosk.station import open_station
    from kiosk.ui.presenter.backend import KioskBackend
    from kiosk.ui.presenter.presenter import Presenter
    from kiosk.ui.watchdog import notify_systemd

    # A key or storage problem raises: the `kiosk` command says why (exit 4 or 5).
    station = open_station(args.config, configured)
    kiosk = station.kiosk
    install(kiosk.config.kiosk_id, kiosk.state)  # journal or stderr, and the event file
    # The kiosk keeps its receipts' promise by itself, with or without `kiosk deliver`
    # beside it (each attempt locks its item: the two never send one document twice).
    if kiosk.delivery_problem:
        emit(logging.getLogger(__name__), "kiosk.out_of_order", detail=kiosk.delivery_problem)
    delivery = DeliveryWorker(kiosk.outbox)
    delivery.start()
    config = kiosk.config
    assets = Assets(site=config.assets_dir)  # checked with the configuration
    peripherals = build_peripherals(config.camera, assets)
    presenter = Presenter(
        window,
        KioskBackend(station),
        catalogs,
        speech=peripherals.speech,
        chime=peripherals.chime,
        camera=peripherals.camera,
        on_quit=lambda: app.exit(0),  # staff; not quit(): it asks the (unclosable) window
        theme=look.theme,
        site=look.site,
    )
    _install_failsafe(presenter)
    window.watch_input()
    presenter.start()
    # kiosk-ui.service (Type=notify): READY=1 now, after the first paint and this build;
    # then WATCHDOG=1 from Qt's loop.
    notify_systemd(window, painted=True)
    # The other screens, one per turn of the event loop: a tap in between is handled at once.
    # One that fails to build (a bug) stops this: the failsafe logs it once, and it fails
    # again only if it is ever needed.
    screens = QTimer(window)
    screens.setInterval(0)

    def next_screen() -> None:
        screens.stop()
        if window.build_next():
            screens.start()

    screens.timeout.connect(next_screen)
    screens.start()
    return Built(presenter, delivery)


def _install_failsafe(presenter: object) -> None:
    """An exception escaping a Qt slot: log its type (never its text), show the calm screen."""
    from kiosk.core import events as ev
    from kiosk.ui.presenter.presenter import Presenter

    assert isinstance(presenter, Presenter)
    log = logging.getLogger("kiosk.ui")

    def hook(kind: type[BaseException], err: BaseException, tb: TracebackType | None) -> None:
        frames = []
        while tb is not None:
            frames.append(f"{tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}")
            tb = tb.tb_next
        log.error("unexpected %s at %s", kind.__name__, " <- ".join(reversed(frames[-4:])))
        presenter.dispatch(ev.FailureOccurred(at=presenter.clock(), error="unexpected"))

    sys.excepthook = hook
