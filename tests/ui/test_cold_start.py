"""`kiosk run` paints its start screen first and builds the rest right after
(kiosk/ui/main.py): nothing heavy before the first paint, a tap in between is not lost,
READY=1 only once the kiosk is built, and a broken set-up still ends with its exit code."""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.core.session import Phase
from kiosk.exits import EXIT_CONFIG, EXIT_STORAGE
from kiosk.ui.main import Running, start
from kiosk.ui.window import SCREENS, Window

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def kiosk(qtbot: QtBot) -> Iterator[Running]:
    running = start(argparse.Namespace(config=None, windowed=True))
    try:
        yield running
    finally:
        running.stop()
        running.window.close()


def test_the_start_screen_is_shown_before_the_rest_is_built(kiosk: Running) -> None:
    window = kiosk.window
    assert window.isVisible()
    assert window.current is window.screens.built["start"]
    assert list(window.screens.built) == ["start"]  # the others come after the first paint
    assert kiosk._built is None  # no station, presenter or delivery worker yet


def test_a_tap_before_the_kiosk_is_built_is_handled_once_it_is(kiosk: Running) -> None:
    english = kiosk.window.screens.built["start"].languages["en"]  # type: ignore[attr-defined]
    QTest.mouseClick(english, Qt.MouseButton.LeftButton)  # before any event is processed
    assert kiosk._built is None
    session = kiosk.presenter.session  # waits for the build
    assert (session.phase, session.language) == (Phase.IDENTIFY, "en")


def test_after_the_first_paint_the_kiosk_and_then_every_screen_are_built(
    kiosk: Running, qtbot: QtBot
) -> None:
    qtbot.waitUntil(lambda: kiosk._built is not None, timeout=20000)  # by the event loop
    qtbot.waitUntil(lambda: len(kiosk.window.screens.built) == len(SCREENS), timeout=20000)
    assert kiosk.presenter.view().session.phase is Phase.IDLE


def test_a_screen_is_built_when_first_asked_for_at_the_window_size(qtbot: QtBot) -> None:
    window = Window(kiosk_mode=False, build_all=False)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    assert "identify" in window.screens and "identify" not in window.screens.built
    assert list(window.screens) == list(SCREENS)  # one entry per screen name
    identify = window.screens["identify"]
    assert window.screens.built["identify"] is identify
    assert identify.metrics == window.metrics and window.metrics.scale < 1
    with pytest.raises(KeyError):
        window.screens["no-such-screen"]


@pytest.mark.parametrize("site", [False, True], ids=["embedded", "site-example"])
def test_nothing_heavy_is_imported_before_the_first_paint(tmp_path: Path, site: bool) -> None:
    """In a fresh interpreter: what `start` has imported when it has shown the start screen
    (on the embedded defaults, and on the example site's configuration, read and checked)."""
    config = ["--config", str(ROOT / "deploy/site-example/kiosk.toml")] if site else []
    code = (  # as the `kiosk run` command starts
        "import json, sys\n"
        "from kiosk.cli.parser import build_parser\n"
        "from kiosk.ui.main import start\n"
        f"args = build_parser(only='run').parse_args(['run', '--windowed', *{config!r}])\n"
        "running = start(args)\n"
        "assert running.window.current.isVisible()\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KIOSK_STATE_DIR": str(tmp_path)}
    env.pop("KIOSK_CONFIG", None)
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr[-2000:]
    loaded = set(json.loads(out.stdout.strip().splitlines()[-1]))
    heavy = {
        "numpy", "cv2", "PIL", "reportlab", "requests", "cryptography", "zxingcpp", "pikepdf",
        "babel.dates", "ssl", "hashlib", "socket", "sane", "multiprocessing",
        "kiosk.services.spool.outbox", "kiosk.services.pages.scanjob", "kiosk.diag",
        "kiosk.ui.presenter.presenter", "kiosk.ui.screens.review", "kiosk.ui.screens.concern",
        "kiosk.core.events", "kiosk.ui.presenter.intents",  # lazy: at the first step or tap
        "kiosk.ui.widgets.header",  # hidden on the start screen: built after its first paint
        "xml.etree.ElementTree", "kiosk.core.card_signing",  # a site's files: checked without
    }  # fmt: skip
    assert sorted(heavy & loaded) == []


@pytest.fixture
def notify_socket() -> Iterator[tuple[socket.socket, str]]:
    path = f"/tmp/kiosk-cold-{os.getpid()}-{time.monotonic_ns()}"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.setblocking(False)
    try:
        yield sock, path
    finally:
        sock.close()
        Path(path).unlink(missing_ok=True)


def test_ready_once_painted_and_built(
    qtbot: QtBot, notify_socket: tuple[socket.socket, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    sock, path = notify_socket
    monkeypatch.setenv("NOTIFY_SOCKET", path)
    running = start(argparse.Namespace(config=None, windowed=True))
    built_when_ready: list[bool] = []
    try:

        def ready() -> bool:
            try:
                message = sock.recv(4096).decode()
            except BlockingIOError:
                return False
            built_when_ready.append(running._built is not None)
            return message == "READY=1"

        qtbot.waitUntil(ready, timeout=20000)
        assert built_when_ready == [True]
    finally:
        running.stop()
        running.window.close()


def run_kiosk(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, int]:
    """`kiosk run --windowed ARGS`: its exit code, what it said, how many windows it opened."""
    from kiosk.cli import main

    def windows() -> set[Window]:
        return {w for w in QApplication.topLevelWidgets() if isinstance(w, Window)}

    before = windows()
    code = main(["run", "--windowed", *args])
    opened = windows() - before
    for window in opened:
        window.close()
    return code, capsys.readouterr().err, len(opened)


def test_a_broken_configuration_stops_the_start_before_any_window(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], qtbot: QtBot
) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text('[kiosk]\nlanguage = "xx"\n')
    code, err, windows = run_kiosk(["--config", str(config)], capsys)
    assert code == EXIT_CONFIG
    assert f"configuration problem in {config}" in err and "language" in err
    assert windows == 0


def test_storage_that_cannot_be_written_ends_the_kiosk_after_its_first_paint(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    qtbot: QtBot,
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("KIOSK_STATE_DIR", str(blocker / "state"))  # under a file: ENOTDIR
    code, err, windows = run_kiosk([], capsys)
    assert code == EXIT_STORAGE
    assert "cannot write its working files" in err
    assert windows == 1  # the start screen was shown, then the kiosk stopped
