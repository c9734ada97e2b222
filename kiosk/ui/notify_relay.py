"""The main process of kiosk-ui.service: runs cage (and in it ``kiosk run``) and passes the
kiosk's sd_notify messages on to systemd as its own.

Why: the unit opens a PAM session (``PAMName=login``) so logind gives the kiosk user the
seat, and pam_systemd moves the session's processes into a session scope. systemd then
accepts notifications only from the unit's main PID, which it tracks by PID wherever it
is; the kiosk, cage's child in that scope, would be ignored. So this process, the main
PID, binds a socket of its own, hands it to its child as ``$NOTIFY_SOCKET`` and forwards
``READY=1``, ``WATCHDOG=1``, ``STOPPING=1`` and ``STATUS=`` (nothing else) to systemd.
A hung GUI sends nothing, and the watchdog fires as if the kiosk were the main process.

Usage (ExecStart=): ``python -m kiosk.ui.notify_relay COMMAND ARGS...``. Without
``$NOTIFY_SOCKET`` it just runs the command. Qt-free, so it starts in milliseconds.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from types import FrameType

FORWARDED = ("READY=1", "WATCHDOG=1", "STOPPING=1", "STATUS=")
STOP_GRACE = 10.0  # seconds cage and the kiosk get after SIGTERM, then SIGKILL
PR_SET_PDEATHSIG = 1


def _address(value: str) -> str:
    return "\0" + value[1:] if value.startswith("@") else value


def _kill_group(pgid: int, signum: int) -> None:
    with contextlib.suppress(OSError):
        os.killpg(pgid, signum)


def _die_with_parent() -> None:
    """In the child: SIGKILL when this relay dies, even by SIGKILL (prctl PDEATHSIG)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def forwardable(message: bytes) -> bytes | None:
    """The lines of one datagram that systemd may hear from the kiosk, or None."""
    lines = [
        line
        for line in message.decode("utf-8", "replace").split("\n")
        if line.startswith(FORWARDED) and "\0" not in line
    ]
    return "\n".join(lines).encode() if lines else None


def _forward(data: bytes, outbound: socket.socket, upstream: str) -> None:
    message = forwardable(data)
    if message is not None:
        with contextlib.suppress(OSError):  # systemd went away: nothing to tell
            outbound.sendto(message, _address(upstream))


def relay(command: Sequence[str], env: dict[str, str] | None = None) -> int:
    """Run ``command``; forward its notifications; exit with its exit status."""
    env = dict(os.environ if env is None else env)
    upstream = env.pop("NOTIFY_SOCKET", "")
    env.pop("WATCHDOG_PID", None)  # ours; the child's pings are checked by their arrival
    if not upstream:
        return subprocess.call(list(command), env=env)
    private = tempfile.mkdtemp(prefix="kiosk-notify-", dir=env.get("RUNTIME_DIRECTORY"))
    path = os.path.join(private, "notify")
    inbound = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
    outbound = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
    try:
        inbound.bind(path)
        env["NOTIFY_SOCKET"] = path
        # A process group of its own: the session scope is not the unit's cgroup, so
        # systemd cannot kill what is left of cage and the kiosk; this process does.
        child = subprocess.Popen(
            list(command), env=env, process_group=0, preexec_fn=_die_with_parent
        )
        deadline: list[float] = []

        def stop(signum: int, _frame: FrameType | None) -> None:
            if signum == signal.SIGABRT:  # the watchdog: the GUI hangs, no grace
                _kill_group(child.pid, signal.SIGKILL)
            else:  # stop or restart: cage ends its client and itself
                _kill_group(child.pid, signal.SIGTERM)
            deadline.append(time.monotonic() + STOP_GRACE)

        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGABRT):
            signal.signal(signum, stop)
        with selectors.DefaultSelector() as selector:
            selector.register(inbound, selectors.EVENT_READ)
            while child.poll() is None:
                if deadline and time.monotonic() > deadline[0]:
                    _kill_group(child.pid, signal.SIGKILL)
                if not selector.select(timeout=0.5):
                    continue
                _forward(inbound.recv(4096), outbound, upstream)
        inbound.setblocking(False)  # what the child said just before it ended goes on too
        while True:
            try:
                _forward(inbound.recv(4096), outbound, upstream)
            except OSError:  # BlockingIOError: nothing left
                break
        _kill_group(child.pid, signal.SIGKILL)  # a kiosk whose cage is gone
        if deadline:
            return 0  # stopped as asked (cage 0.1.4 aborts on SIGTERM: not a failure)
        return child.returncode if child.returncode >= 0 else 128 - child.returncode
    finally:
        inbound.close()
        outbound.close()
        with contextlib.suppress(OSError):
            os.remove(path)
        with contextlib.suppress(OSError):
            os.rmdir(private)


def main(argv: Sequence[str] | None = None) -> int:
    command = list(sys.argv[1:] if argv is None else argv)
    if not command:
        print("usage: python -m kiosk.ui.notify_relay COMMAND [ARGS...]", file=sys.stderr)
        return 2
    return relay(command)


if __name__ == "__main__":
    sys.exit(main())
