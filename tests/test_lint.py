"""Lint, format and strict typing are part of the test suite, so CI enforces them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.lint

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_lint() -> None:
    result = run(str(BIN / "ruff"), "check", "kiosk", "drivers", "tests")
    assert result.returncode == 0, result.stdout


def test_ruff_format() -> None:
    result = run(str(BIN / "ruff"), "format", "--check", "kiosk", "drivers", "tests")
    assert result.returncode == 0, result.stdout


def test_mypy_strict_for_core_services_and_drivers() -> None:
    result = run(str(BIN / "mypy"), "kiosk", "drivers")
    assert result.returncode == 0, result.stdout
