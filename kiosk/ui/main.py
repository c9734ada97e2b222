"""``kiosk run`` and ``kiosk screenshots``: start the Qt application around the presenter."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING

from kiosk.exits import EXIT_OK

if TYPE_CHECKING:  # Qt is imported only when the kiosk starts
    from PySide6.QtWidgets import QApplication

    from kiosk.services.spool.delivery_worker import DeliveryWorker
    from kiosk.ui.presenter.presenter import Presenter
    from kiosk.ui.window import Window


def _qt_platform() -> None:
    """Without a display (CI, SSH), render off screen instead of failing to start."""
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@dataclass
class Running:
    """A started kiosk: the Qt application, its window and presenter, and the delivery
    worker beside them."""

    app: QApplication
    window: Window
    presenter: Presenter
    delivery: DeliveryWorker

    def stop(self) -> None:
        from kiosk.services.eventlog import uninstall

        self.presenter.stop()
        self.delivery.stop()
        uninstall()  # the log handler `start` put on the root logger


def run(args: argparse.Namespace) -> int:
    running = start(args)
    code = running.app.exec()
    running.stop()
    return EXIT_OK if code == 0 else code


def start(args: argparse.Namespace) -> Running:
    """Everything ``kiosk run`` does before Qt's event loop: open the station, start
    delivery, build the window and show the start screen."""
    _qt_platform()
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from kiosk.app import build_peripherals
    from kiosk.core.session import LANGUAGES
    from kiosk.services.assets import Assets
    from kiosk.services.spool.delivery_worker import DeliveryWorker
    from kiosk.station import open_station
    from kiosk.ui.i18n.texts import load_texts
    from kiosk.ui.presenter.backend import KioskBackend
    from kiosk.ui.presenter.presenter import Presenter
    from kiosk.ui.widgets.site import look_of
    from kiosk.ui.window import Window

    # A broken configuration or key raises: the `kiosk` command says why (exit 4 or 5).
    station = open_station(args.config)
    print(f"configuration: {station.origin}", file=sys.stderr)
    kiosk = station.kiosk
    from kiosk.core.log_events import emit
    from kiosk.services.eventlog import install

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
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    catalogs = {language: load_texts(language) for language in LANGUAGES}
    look = look_of(config)  # the site's theme, logo and pictograms, checked with the config
    window = Window(kiosk_mode=not args.windowed)
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
    if args.windowed:
        window.resize(1920, 1080)
        window.show()
    else:
        window.setWindowFlags(
            Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint
        )
        window.setCursor(Qt.CursorShape.BlankCursor)  # a touch screen needs no pointer
        screen = app.primaryScreen()
        window.cover(screen)
        screen.geometryChanged.connect(lambda _: window.cover(screen))  # turned, resized
        window.showFullScreen()  # a window manager, where there is one, is told too
    from kiosk.ui.watchdog import notify_systemd

    # kiosk-ui.service (Type=notify): READY=1 after the first paint, WATCHDOG=1 from Qt's loop.
    notify_systemd(window)
    presenter.start()
    return Running(app, window, presenter, delivery)


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
