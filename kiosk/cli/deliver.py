"""``kiosk deliver``: the delivery service, draining the outbox until SIGTERM."""

from __future__ import annotations

import argparse
import logging
import signal
import threading
from types import FrameType

from kiosk.app import Kiosk
from kiosk.cli.common import open_kiosk
from kiosk.core.log_events import emit
from kiosk.exits import EXIT_OK
from kiosk.services.eventlog import install
from kiosk.services.spool.delivery_worker import DeliveryWorker

log = logging.getLogger(__name__)
STOP_GRACE = 15.0  # seconds an attempt in flight may take to finish after SIGTERM


def run(args: argparse.Namespace) -> int:
    return serve(open_kiosk(args.config, announce=True).kiosk)


def serve(kiosk: Kiosk, stop: threading.Event | None = None) -> int:
    """Deliver until SIGTERM or SIGINT (or ``stop``); always exits 0 after a clean stop.

    Safe beside ``kiosk run`` and another ``kiosk deliver``: each attempt locks its item,
    and a kill at any moment loses nothing (the item stays until its inbox confirms it,
    and the inbox recognises a second copy by its idempotency key or file name).
    """
    install(kiosk.config.kiosk_id, kiosk.state)  # INFO up, to the journal or stderr
    stop = stop or threading.Event()

    def stopping(signum: int, _frame: FrameType | None) -> None:
        emit(log, "service.stopping", signal=signal.Signals(signum).name)
        stop.set()

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, stopping)
    if kiosk.delivery_problem:
        emit(log, "service.unroutable", detail=kiosk.delivery_problem)
    worker = DeliveryWorker(kiosk.outbox)
    worker.start()
    emit(log, "service.started", path=str(kiosk.outbox.directory))
    while not stop.wait(1.0):
        pass
    if not worker.stop(STOP_GRACE):
        emit(log, "service.unfinished")
    emit(log, "service.stopped")
    return EXIT_OK
