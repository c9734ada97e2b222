"""A whole client session in the real kiosk window under cage, a Wayland kiosk compositor.

Run by tests/ui/test_cage.py as cage's only client: ``kiosk.ui.main.start()`` builds the
kiosk exactly as ``kiosk run`` does, on the platform kiosk-ui.service chooses
(QT_QPA_PLATFORM="wayland;xcb", so native Wayland). cage alone sizes and places the window.

Wayland lets no client see or move another's windows, and cage offers no virtual pointer,
so the taps come from inside: a press and release at a point of the kiosk's QWindow,
through Qt's window-system input path (QTest on the QWindow, not on a widget), where the
compositor's pointer events arrive too; Qt finds the widget under the point itself.
What the compositor really shows is checked from outside the kiosk's own drawing: at every
step grim (wlr-screencopy) takes the whole output, and its pixels must be the window's,
edge to edge (no black border, no other size). Prints one JSON object, as
real_window_session.py does; the steps are tests/ui/session_steps.py's.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import numpy as np  # noqa: E402
from PySide6.QtCore import QPoint, QRect, Qt  # noqa: E402
from PySide6.QtGui import QImage  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from kiosk.ui.main import Running, start  # noqa: E402
from tests.ui.session_steps import settle, tap_through  # noqa: E402

# A channel further apart than this is a different pixel (the compositor copies the
# kiosk's opaque buffer, so in practice the two are identical).
TOLERANCE = 16
# Screenshots per phase at most (each ~0.4 s plus 0.2 s between). After the scan the output
# has kept the frame from before it for up to ~6 s on a loaded 2-core machine (9 stale copies
# in a row, then the review exactly; 10 were once too few): wlroots' screencopy composes only
# what was damaged since, so the copy catches up late; the claim stays exact pixels.
ATTEMPTS = 30


def rect(r: QRect) -> list[int]:
    return [r.x(), r.y(), r.width(), r.height()]


def pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    width, height = image.width(), image.height()
    rows = np.frombuffer(image.constBits(), np.uint8, count=image.sizeInBytes())
    rows = rows.reshape(height, image.bytesPerLine())[:, : width * 4]
    return rows.reshape(height, width, 4)[..., :3].copy()  # B, G, R


def grim(running: Running, path: Path) -> QImage:
    """The whole output as the compositor composes it. cage 0.1.4 scans a fullscreen
    client's buffer out directly; a screencopy makes it compose the output instead, but
    only the region damaged since (wlroots 0.15), so without fresh damage the copy is the
    output's stale or black buffer, every time (tried: 12 of 12 stale with a window that
    only changed colour). So the kiosk repaints itself while grim runs: the same pixels,
    damaged afresh."""
    path.unlink(missing_ok=True)
    grabber = subprocess.Popen(["grim", "-l", "1", str(path)])  # fast PNG
    end = time.monotonic() + 20
    while grabber.poll() is None:
        if time.monotonic() > end:
            grabber.kill()
            grabber.wait()
            raise SystemExit("grim did not finish in 20 s")
        running.window.repaint()
        QApplication.processEvents()
        time.sleep(0.005)
    if grabber.returncode != 0:
        raise SystemExit(f"grim failed ({grabber.returncode})")
    image = QImage(str(path))
    if image.isNull():
        raise SystemExit(f"grim wrote no image to {path}")
    return image


def compare(shot: QImage, drawn: QImage) -> dict[str, Any]:
    """How far the compositor's output is from what the kiosk drew (same size, same
    pixels), overall and along the output's four edges."""
    found: dict[str, Any] = {"size": [shot.width(), shot.height()]}
    if shot.size() != drawn.size():
        found.update(mismatch=1.0, edge_mismatch=-1)
        return found
    a, b = pixels(shot).astype(np.int16), pixels(drawn).astype(np.int16)
    differs = (np.abs(a - b) > TOLERANCE).any(axis=2)
    edges = np.concatenate([differs[0], differs[-1], differs[:, 0], differs[:, -1]])
    edge = pixels(shot)
    edge = np.concatenate([edge[0], edge[-1], edge[:, 0], edge[:, -1]])
    colours, counts = np.unique(edge.reshape(-1, 3), axis=0, return_counts=True)
    top = sorted(zip(counts.tolist(), colours.tolist(), strict=True), reverse=True)[:3]
    found.update(
        mismatch=round(float(differs.mean()), 5),
        edge_mismatch=int(edges.sum()),
        edge_colours=[f"#{r:02x}{g:02x}{b_:02x}" for _, (b_, g, r) in top],
        black_edge_pixels=int((edge.reshape(-1, 3) == 0).all(axis=1).sum()),
    )
    return found


def on_screen(running: Running, phase: str, shots: Path) -> dict[str, Any]:
    """Where Qt was told the window is (by the compositor's configure) and what the
    compositor shows on the output: a grim screenshot compared with the window's pixels.
    The output shows the kiosk's newest frame a moment after Qt drew it (or, see grim(),
    only after fresh damage), so a screenshot that differs is taken again, up to
    ATTEMPTS times; "attempts" lists each one's share of differing pixels."""
    window = running.window
    handle = window.windowHandle()
    found: dict[str, Any] = {
        "window": rect(window.geometry()),
        "native": rect(handle.geometry()),
        "fullscreen": bool(handle.windowStates() & Qt.WindowState.WindowFullScreen),
    }
    attempts: list[float] = []
    while True:
        started = time.monotonic()
        shot = grim(running, shots / f"{phase}.png")
        drawn = window.grab().toImage()
        compared = compare(shot, drawn)
        attempts.append(compared["mismatch"])
        compared["seconds"] = round(time.monotonic() - started, 3)
        matches = compared["mismatch"] < 0.01 and compared["edge_mismatch"] == 0
        if matches or len(attempts) == ATTEMPTS:
            break
        settle(0.2)  # the compositor may not have the kiosk's newest frame yet
    if not matches:  # for a person to compare
        drawn.save(str(shots / f"{phase}-drawn.png"))
    found["shot"] = {**compared, "attempts": attempts}
    found["states"] = [int(handle.windowStates().value), int(window.windowState().value)]
    return found


def qt_tap(running: Running, point: QPoint) -> None:
    """A press and release at ``point`` (screen coordinates) of the kiosk's QWindow,
    delivered the way the Wayland pointer's events are."""
    handle = running.window.windowHandle()
    local = handle.mapFromGlobal(point)
    QTest.mouseMove(handle, local)
    QTest.mouseClick(handle, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, local)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shots", type=Path, required=True, help="grim screenshots go here")
    shots = parser.parse_args().shots
    shots.mkdir(parents=True, exist_ok=True)
    running = start(argparse.Namespace(config=None, windowed=False))
    result = tap_through(
        running,
        lambda point: qt_tap(running, point),
        lambda phase: on_screen(running, phase, shots),
    )
    print(json.dumps(result))
    running.stop()


if __name__ == "__main__":
    main()
