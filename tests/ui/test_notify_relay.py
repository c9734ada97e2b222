"""kiosk-ui.service's main process (kiosk/ui/notify_relay.py): the child's notifications
reach a real AF_UNIX datagram socket bound here, as systemd's; the relay takes its child's
whole process group down with it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.ui.notify_relay import forwardable, relay

SENDER = """
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
for message in sys.argv[1:]:
    s.sendto(message.encode(), os.environ["NOTIFY_SOCKET"])
assert "WATCHDOG_PID" not in os.environ
sys.exit(3)
"""


@pytest.fixture
def upstream() -> Iterator[tuple[socket.socket, str]]:
    path = f"/tmp/kiosk-relay-{os.getpid()}-{time.monotonic_ns()}"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.settimeout(30)  # returns as soon as a datagram arrives: only a failure waits
    try:
        yield sock, path
    finally:
        sock.close()
        Path(path).unlink(missing_ok=True)


def test_the_childs_notifications_reach_systemd_and_nothing_else(
    upstream: tuple[socket.socket, str], tmp_path: Path
) -> None:
    sock, path = upstream
    env = {
        **os.environ,
        "NOTIFY_SOCKET": path,
        "WATCHDOG_PID": "1",
        "RUNTIME_DIRECTORY": str(tmp_path),
    }
    code = relay(
        [sys.executable, "-c", SENDER, "READY=1", "MAINPID=1", "WATCHDOG=1\nFDSTORE=1"], env
    )
    assert code == 3  # the child's exit status
    assert sock.recv(4096) == b"READY=1"
    assert sock.recv(4096) == b"WATCHDOG=1"  # MAINPID= and FDSTORE= are not passed on
    sock.settimeout(0.2)
    with pytest.raises(TimeoutError):
        sock.recv(4096)
    assert list(tmp_path.iterdir()) == []  # its private socket is cleaned up


def test_forwardable_lines() -> None:
    assert forwardable(b"READY=1\nSTATUS=start screen") == b"READY=1\nSTATUS=start screen"
    assert forwardable(b"MAINPID=4\nERRNO=2") is None
    assert forwardable(b"BARRIER=1") is None


def test_without_notify_socket_it_just_runs_the_command() -> None:
    env = {k: v for k, v in os.environ.items() if k != "NOTIFY_SOCKET"}
    assert relay([sys.executable, "-c", "raise SystemExit(5)"], env) == 5


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGABRT])
def test_stopped_or_watchdog_killed_it_leaves_no_child_behind(
    upstream: tuple[socket.socket, str], tmp_path: Path, signum: signal.Signals
) -> None:
    """Like cage and the kiosk under it: a child and a grandchild (which ignores SIGTERM,
    as a hung GUI would not react) are gone once the relay is stopped."""
    _sock, path = upstream
    pids = tmp_path / "pids"
    script = f"trap '' TERM; sleep 300 & echo $$ $! > {pids}; wait"
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk.ui.notify_relay", "sh", "-c", script],
        env={**os.environ, "NOTIFY_SOCKET": path},
    )
    deadline = time.monotonic() + 10
    while not pids.exists() or not pids.read_text().strip():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    children = [int(pid) for pid in pids.read_text().split()]
    process.send_signal(signum)
    assert process.wait(timeout=30) == 0  # a requested stop is a clean stop
    for pid in children:
        deadline = time.monotonic() + 15
        while (
            Path(f"/proc/{pid}").exists()
            and Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
        ):
            assert time.monotonic() < deadline, f"{pid} survived the relay"
            time.sleep(0.05)
