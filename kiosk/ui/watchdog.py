"""The kiosk tells systemd it is up and alive (sd_notify), from the Qt event loop.

Under ``kiosk-ui.service`` (``Type=notify``, ``WatchdogSec=``) systemd counts the UI as
started only once it sends ``READY=1``, sent here right after the window's first paint
(``kiosk run``: once the kiosk behind its start screen is built too, so a kiosk that stops
on a key or storage problem right after painting never reported ready), and kills and
restarts it when ``WATCHDOG=1`` stops coming: the pings come from a timer on the GUI
thread, so a hung event loop stops them. The kiosk runs as cage's child; the unit's main
process, kiosk/ui/notify_relay.py, passes the messages on to systemd.

Without ``NOTIFY_SOCKET`` (a developer's window, the tests) nothing is set up or sent.
The protocol is one datagram per message to an AF_UNIX socket (sd_notify(3)); no
libsystemd binding is needed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QApplication, QWidget

READY = "READY=1"
WATCHDOG = "WATCHDOG=1"
STOPPING = "STOPPING=1"


def notify_address(env: Mapping[str, str]) -> str | None:
    """``$NOTIFY_SOCKET`` as a socket address (``@name``: the abstract namespace)."""
    address = env.get("NOTIFY_SOCKET", "")
    if not address or address[0] not in "/@":
        return None
    return "\0" + address[1:] if address[0] == "@" else address


def ping_interval_ms(env: Mapping[str, str]) -> int | None:
    """Half of ``$WATCHDOG_USEC`` (as sd_watchdog_enabled(3) advises), or None."""
    try:
        usec = int(env.get("WATCHDOG_USEC", ""))
    except ValueError:
        return None
    return max(1, usec // 2000) if usec > 0 else None


def send(address: str, message: str) -> bool:
    """One notification; a missing or full socket is never the kiosk's problem."""
    import socket  # here: the first paint waits for no module it does not draw with

    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
            sock.sendto(message.encode(), address)
    except OSError:
        return False
    return True


class FirstPaint(QObject):
    """Calls ``then`` once, right after the first paint of anything in ``window`` (or of
    ``widget`` in it: then only its events pass through here, not the application's)."""

    def __init__(
        self, window: QWidget, then: Callable[[], None], widget: QWidget | None = None
    ) -> None:
        super().__init__(window)  # lives as long as the window
        self.window = window
        self.then = then
        self.painted = False
        # On the application: the window itself gets no paint event where opaque children
        # cover it (a screen stack does), so the first paint of anything in it counts.
        app = QApplication.instance()
        assert app is not None
        self.watched: QObject = widget or app
        self.watched.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt)
        if (  # the event's class, not its type: that is a Python enum made for each event
            not self.painted
            and isinstance(event, QPaintEvent)
            and isinstance(watched, QWidget)
            and watched.window() is self.window
        ):
            self.painted = True
            self.watched.removeEventFilter(self)
            QTimer.singleShot(0, self.then)  # after this paint has finished
        return False


class Notifier(QObject):
    """READY=1 after ``window``'s first paint, then WATCHDOG=1 every ``interval_ms``.

    ``painted``: the window has been painted already (``kiosk run`` sets up the
    notifications once the kiosk behind its painted start screen is built): READY=1 now."""

    def __init__(
        self, window: QWidget, address: str, interval_ms: int | None, painted: bool = False
    ) -> None:
        super().__init__(window)  # lives as long as the window
        self.address = address
        self.window = window
        self.ready = False
        self.interval_ms = interval_ms
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.ping)
        if painted:
            self._ready()
        else:
            self.first_paint = FirstPaint(window, self._ready)

    def _ready(self) -> None:
        self.ready = True
        send(self.address, READY)
        if self.interval_ms is not None:
            self.timer.start(self.interval_ms)

    def ping(self) -> None:
        send(self.address, WATCHDOG)

    def stopping(self) -> None:
        self.timer.stop()
        send(self.address, STOPPING)


def notify_systemd(
    window: QWidget, env: Mapping[str, str] | None = None, *, painted: bool = False
) -> Notifier | None:
    """Set up the notifications for ``window`` when systemd asked for them (``painted``:
    it has been painted already, READY=1 goes now)."""
    env = os.environ if env is None else env
    address = notify_address(env)
    if address is None:
        return None
    return Notifier(window, address, ping_interval_ms(env), painted)
