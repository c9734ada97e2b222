"""The Debian package, built once per test session (deploy/debian/build-deb)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.deploy import nspawn

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "deploy" / "debian" / "build-deb"
# Printed at the end of the session: how long each step took, and the exposure scores.
TIMINGS: dict[str, float] = {}
SCORES: dict[str, float] = {}


@pytest.fixture(scope="session")
def deploy_work() -> Iterator[Path]:
    with nspawn.work_area() as path:
        yield path


@pytest.fixture(scope="session")
def deb(deploy_work: Path) -> Path:
    """``./dev.sh deb``'s build, into a private directory (not the checkout's dist/)."""
    if shutil.which("dpkg-deb") is None:
        pytest.skip("not Debian: dpkg-deb is missing (dpkg-dev in dev.sh's APT_PACKAGES)")
    if not Path("/usr/bin/python3.11").exists():
        pytest.skip("the package's venv is made by Debian 12's /usr/bin/python3.11, absent here")
    prebuilt = os.environ.get("KIOSK_DEPLOY_DEB")  # iterating on the tests: ./dev.sh deb's
    if prebuilt:
        return Path(prebuilt).resolve()
    work = deploy_work / "deb"
    env = {**os.environ, "DEB_BUILD_DIR": str(work / "build")}
    env.pop("KIOSK_STATE_DIR", None)
    started = time.monotonic()
    built = subprocess.run(
        [str(BUILD), str(work / "dist")],
        capture_output=True,
        text=True,
        timeout=1500,
        env=env,
        cwd=ROOT,
    )
    assert built.returncode == 0, built.stderr[-4000:]
    TIMINGS["build the .deb"] = time.monotonic() - started
    (path,) = (work / "dist").glob("jobcenter-kiosk_*_amd64.deb")
    assert Path(built.stdout.strip().splitlines()[-1]) == path
    shutil.rmtree(work / "build")  # the staged tree: half a gigabyte
    return path


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for step, seconds in TIMINGS.items():
        terminalreporter.write_line(f"deploy: {step}: {seconds:.0f} s")
    for unit, score in SCORES.items():
        terminalreporter.write_line(f"deploy: systemd-analyze security {unit}: {score}")
