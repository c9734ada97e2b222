"""sd_notify from the Qt event loop (kiosk/ui/watchdog.py), against a real AF_UNIX
datagram socket bound here, as systemd binds /run/systemd/notify for Type=notify."""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from kiosk.ui.watchdog import notify_address, notify_systemd, ping_interval_ms


@pytest.fixture
def notify_socket() -> Iterator[tuple[socket.socket, str]]:
    # A short path: AF_UNIX addresses are limited to 108 bytes (tmp_path can be longer).
    path = f"/tmp/kiosk-notify-{os.getpid()}-{time.monotonic_ns()}"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.setblocking(False)
    try:
        yield sock, path
    finally:
        sock.close()
        Path(path).unlink(missing_ok=True)


def received(sock: socket.socket) -> list[str]:
    messages = []
    while True:
        try:
            messages.append(sock.recv(4096).decode())
        except BlockingIOError:
            return messages


def test_ready_after_the_first_paint_then_watchdog_pings(
    qtbot: QtBot, notify_socket: tuple[socket.socket, str]
) -> None:
    sock, path = notify_socket
    window = QLabel("start screen")
    qtbot.addWidget(window)
    notifier = notify_systemd(window, {"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "100000"})
    assert notifier is not None
    QApplication.processEvents()
    assert received(sock) == []  # not shown, never painted: not ready
    window.show()
    messages: list[str] = []

    def pinged_twice() -> None:
        messages.extend(received(sock))
        assert messages[:3] == ["READY=1", "WATCHDOG=1", "WATCHDOG=1"]

    qtbot.waitUntil(pinged_twice, timeout=5000)
    assert notifier.timer.interval() == 50  # half of WatchdogSec
    notifier.stopping()
    assert received(sock)[-1:] == ["STOPPING=1"]
    assert not notifier.timer.isActive()


def test_ready_when_opaque_children_cover_the_window(
    qtbot: QtBot, notify_socket: tuple[socket.socket, str]
) -> None:
    """The kiosk's window is covered by its screen stack: the window itself is never sent
    a paint event, its children are."""
    sock, path = notify_socket
    window = QWidget()
    qtbot.addWidget(window)
    cover = QLabel("start screen", window)
    cover.setAutoFillBackground(True)
    layout = QVBoxLayout(window)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(cover)
    notify_systemd(window, {"NOTIFY_SOCKET": path})
    window.show()
    qtbot.waitUntil(lambda: received(sock) == ["READY=1"], timeout=5000)


def test_a_blocked_event_loop_sends_no_ping(
    qtbot: QtBot, notify_socket: tuple[socket.socket, str]
) -> None:
    sock, path = notify_socket
    window = QLabel("start screen")
    qtbot.addWidget(window)
    notify_systemd(window, {"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "40000"})
    window.show()
    qtbot.waitUntil(lambda: "READY=1" in received(sock), timeout=5000)
    received(sock)
    time.sleep(0.3)  # the GUI thread hangs: the timer cannot fire, nothing reaches systemd
    assert received(sock) == []
    qtbot.waitUntil(lambda: "WATCHDOG=1" in received(sock), timeout=5000)  # alive again


def test_without_notify_socket_nothing_is_set_up(qtbot: QtBot) -> None:
    window = QLabel("start screen")
    qtbot.addWidget(window)
    assert notify_systemd(window, {}) is None
    assert notify_systemd(window, {"NOTIFY_SOCKET": "relative/path"}) is None


def test_addresses_and_intervals() -> None:
    assert notify_address({"NOTIFY_SOCKET": "/run/systemd/notify"}) == "/run/systemd/notify"
    assert notify_address({"NOTIFY_SOCKET": "@abstract"}) == "\0abstract"
    assert ping_interval_ms({"WATCHDOG_USEC": "30000000"}) == 15000
    assert ping_interval_ms({"WATCHDOG_USEC": "0"}) is None
    assert ping_interval_ms({"WATCHDOG_USEC": "x"}) is None
    assert ping_interval_ms({}) is None


def test_an_abstract_socket_is_reached(qtbot: QtBot) -> None:
    name = f"kiosk-notify-test-{os.getpid()}-{time.monotonic_ns()}"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind("\0" + name)
        sock.setblocking(False)
        window = QLabel("start screen")
        qtbot.addWidget(window)
        notify_systemd(window, {"NOTIFY_SOCKET": "@" + name})
        window.show()
        qtbot.waitUntil(lambda: received(sock) == ["READY=1"], timeout=5000)
