"""The kiosk in a real X server with no window manager, as on many kiosk PCs: the window
covers the screen exactly (nobody else sizes it), never grows past it, and a whole session
can be tapped through with pointer events that come through the window system.

Qt's offscreen platform (every other UI test) has no window system: a window there is as
big as it is told. Here the kiosk runs as `kiosk run` builds it (kiosk.ui.main.start) on
Qt's xcb platform inside Xvfb; tests/ui/real_window_session.py taps with xdotool. Where a
CUPS scheduler can run (tests/cups.py: root, Debian's cups and cups-pdf), the kiosk has a
receipt printer too: the session prints its receipt, and the test reads the printed PDF.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest

from tests.cups import CupsServer, cups_server, wait_for_pdf, why_not

SESSION = Path(__file__).with_name("real_window_session.py")
NEEDED = ("Xvfb", "xdotool", "xwininfo")
pytestmark = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in NEEDED),
    reason=f"needs {', '.join(NEEDED)} (./dev.sh installs them as root)",
)


@pytest.fixture
def x_display(request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh Xvfb of the size asked for, and no window manager on it."""
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", f"{request.param}x24",
         "-nolisten", "tcp"],
        pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()  # Xvfb writes its display number once it is ready
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def cups() -> Iterator[CupsServer | None]:
    """A CUPS scheduler of the test's own, or None where none can run here (then the
    session runs without a printer: the window is still tested)."""
    if why_not() is not None:
        yield None
        return
    with cups_server() as server:
        yield server


# Kiosk displays: 1920x1080 is what the layout is made for; on 1366x768 and 1280x1024 it
# scales and reflows; 1080x1920 is the upright panel of floor-standing kiosks.
@pytest.mark.parametrize(
    ("x_display", "size"),
    [
        ("1920x1080", (1920, 1080)),
        pytest.param("1366x768", (1366, 768), marks=pytest.mark.slow),
        pytest.param("1280x1024", (1280, 1024), marks=pytest.mark.slow),
        pytest.param("1080x1920", (1080, 1920), marks=pytest.mark.slow),
    ],
    indirect=["x_display"],
)
def test_a_whole_session_in_a_bare_x_window(
    x_display: str, size: tuple[int, int], tmp_path: Path, cups: CupsServer | None
) -> None:
    width, height = size
    queue = f"kiosk-real-window-{width}x{height}-{os.getpid()}"
    printer = [] if cups is None else ["--printer", queue]
    try:
        printed = cups.add_pdf_queue(queue) if cups is not None else None
        result = run_session(x_display, tmp_path, printer)
        check_session(result, width, height, tmp_path)
        if printed is not None:
            check_printed(result, wait_for_pdf(printed), width, height)
    finally:
        if cups is not None:
            cups.remove(queue)


def run_session(x_display: str, tmp_path: Path, printer: list[str]) -> dict:
    env = {
        **os.environ,
        "DISPLAY": x_display,
        "QT_QPA_PLATFORM": "xcb",
        "KIOSK_STATE_DIR": str(tmp_path / "state"),
    }
    env.pop("WAYLAND_DISPLAY", None)
    env.pop("KIOSK_CONFIG", None)
    out = subprocess.run(
        [sys.executable, str(SESSION), *printer],
        env=env, capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-3000:]
    result: dict = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def check_session(result: dict, width: int, height: int, tmp_path: Path) -> None:
    assert result["screen"] == [0, 0, width, height]
    # The window covers the screen at every step, as the X server sees it.
    assert set(result["windows"]) == {
        "idle",
        "identify",
        "confirm",
        "concern",
        "scan",
        "review",
        "receipt",
    }
    for phase, geometry in result["windows"].items():
        assert geometry == [0, 0, width, height], phase
    assert result["problems"] == {}
    assert result["pages"] == 10 and result["receipt"]
    (pdf,) = (tmp_path / "state").rglob("*.pdf")  # delivered to the embedded folder inbox
    assert len(pypdf.PdfReader(pdf).pages) == 10


def check_printed(result: dict, pdf: Path, width: int, height: int) -> None:
    """The receipt screen said "printed", still covering the screen and readable, and the
    paper (cups-pdf's PDF) carries the receipt number and the time, not the case number."""
    printed = result["printed"]
    assert printed["printing"] == "printed"
    assert printed["problems"] == [] and printed["geometry"] == [0, 0, width, height]
    text = "".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)
    assert result["receipt"] in text
    assert printed["created_at"][11:16] in text  # the time, HH:MM
    assert "12345BG0012345" not in text  # the case number only masked
