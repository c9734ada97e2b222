"""The log canary bites: a session whose test logs a case number, a card payload or a
name from the shared test data fails, naming the test; a clean one passes."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from tests.log_canary import LogCanary, shared_data_names

ROOT = Path(__file__).resolve().parent.parent


def run_session(tmp_path: Path, body: str) -> subprocess.CompletedProcess[str]:
    test = tmp_path / "test_sample.py"
    test.write_text(f"import logging\n\ndef test_sample():\n    {body}\n")
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "tests.log_canary",
            "-c",
            "/dev/null",
            "--rootdir",
            str(tmp_path),
            "-q",
            str(test),
        ],  # fmt: skip
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_case_number_in_a_log_line_fails_the_session(tmp_path: Path) -> None:
    leaky = run_session(tmp_path, 'logging.getLogger("kiosk.x").info("sent 12345 // 12345")')
    assert leaky.returncode == 1, leaky.stdout
    assert "test_sample.py::test_sample: case number 12345BG0012345" in leaky.stdout
    assert "1 passed" in leaky.stdout  # the test itself passed: the canary failed the run
    clean = run_session(tmp_path, 'logging.getLogger("kiosk.x").info("sent case-00aa11bb")')
    assert clean.returncode == 0 and "no client data" in clean.stdout, clean.stdout


def test_the_canary_finds_card_payloads_names_and_exception_texts() -> None:
    canary = LogCanary(names=frozenset({"Sean Owen"}))  # as shared_data_names() reads them
    log = logging.getLogger("canary-check")
    log.propagate = False
    log.addHandler(canary)
    log.warning("read JC1:S:12345BG0012345.20991231.abc")
    log.warning("card of Sean Owen")
    try:
        raise ValueError("123A456789 refused")
    except ValueError:
        log.exception("failed")
    log.warning("Seance at 10:00, K7M-4QX-9TB, case-0a1b2c3d4e5f6a7b")  # nothing here
    whats = [leak.what for leak in canary.leaks]
    assert any(w.startswith("card payload JC1:S:") for w in whats)
    assert "test-data name 'Sean Owen'" in whats
    assert "case number 123A456789 (kundennummer)" in whats  # from the traceback's text
    assert canary.records == 4 and len({leak.line for leak in canary.leaks}) == 3


def test_the_names_come_from_the_shared_test_data() -> None:
    names = shared_data_names()
    if not names:
        pytest.skip("no shared test data beside the checkout (../shared/data)")
    assert "Sean Owen" in names
