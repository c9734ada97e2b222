"""Architecture contracts (design.md): a pure core, and no Qt below the UI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint(config: Path | None = None) -> subprocess.CompletedProcess[str]:
    args = [str(LINT_IMPORTS), "--no-cache"] + (["--config", str(config)] if config else [])
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_import_contracts_are_kept() -> None:
    result = lint()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def test_the_contracts_would_catch_a_violation(tmp_path: Path) -> None:
    # kiosk.core really imports hashlib (for pseudonyms): forbidding it must fail, which
    # shows the linter sees standard-library imports and the real import graph.
    config = tmp_path / "contracts.toml"
    config.write_text(
        '[tool.importlinter]\nroot_packages = ["kiosk", "drivers"]\n'
        "include_external_packages = true\n"
        '[[tool.importlinter.contracts]]\nname = "probe"\ntype = "forbidden"\n'
        'source_modules = ["kiosk.core"]\nforbidden_modules = ["hashlib"]\n'
    )
    result = lint(config)
    assert result.returncode != 0 and "kiosk.core.identity -> hashlib" in result.stdout
