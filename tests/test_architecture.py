"""Architecture contracts (design.md): a pure core, and no Qt below the UI."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.lint

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint(config: Path | None = None) -> subprocess.CompletedProcess[str]:
    args = [str(LINT_IMPORTS), "--no-cache"] + (["--config", str(config)] if config else [])
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_import_contracts_are_kept() -> None:
    result = lint()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


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


def cycles(graph: object) -> list[set[str]]:
    """Strongly connected groups of more than one module (Tarjan), in an import graph."""
    modules = sorted(graph.modules)  # type: ignore[attr-defined]
    edges = {m: graph.find_modules_directly_imported_by(m) for m in modules}  # type: ignore[attr-defined]
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in edges.get(module, ()):
            if other not in edges:
                continue  # outside the project
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = set()
            while True:
                member = stack.pop()
                group.add(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(group)

    sys.setrecursionlimit(10_000)
    for module in modules:
        if module not in index:
            visit(module)
    return found


def test_no_import_cycle_among_the_projects_modules() -> None:
    import grimp

    graph = grimp.build_graph("kiosk", "drivers", cache_dir=None)
    assert cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle(tmp_path: Path, monkeypatch: object) -> None:
    import grimp

    package = tmp_path / "loopy"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from loopy import b\n")
    (package / "b.py").write_text("from loopy import a\n")
    sys.path.insert(0, str(tmp_path))
    try:
        graph = grimp.build_graph("loopy", cache_dir=None)
    finally:
        sys.path.remove(str(tmp_path))
    assert cycles(graph) == [{"loopy.a", "loopy.b"}]


EXIT_NAME = re.compile(r"^\s*(EXIT_\w+)\s*(?::[^=]*)?=", re.M)
BARE_RETURN = re.compile(r"^\s*return\s+\d+\s*$", re.M)


def exit_code_problems(package: Path) -> list[str]:
    """Modules other than kiosk/exits.py that define an exit code or return a bare number
    from a command (the CLI's run functions return exit codes)."""
    found = []
    for path in sorted(package.rglob("*.py")):
        if path.name == "exits.py" and path.parent.name == "kiosk":
            continue
        text = path.read_text()
        found += [f"{path.relative_to(package.parent)}: {m}" for m in EXIT_NAME.findall(text)]
        if "cli" in path.parts:
            found += [
                f"{path.relative_to(package.parent)}: bare return"
                for _ in BARE_RETURN.findall(text)
            ]
    return found


def test_exit_codes_are_defined_in_one_module() -> None:
    assert exit_code_problems(ROOT / "kiosk") == []


def test_the_exit_code_check_would_catch_a_second_definition(tmp_path: Path) -> None:
    (tmp_path / "kiosk" / "cli").mkdir(parents=True)
    (tmp_path / "kiosk" / "exits.py").write_text("EXIT_OK = 0\n")
    (tmp_path / "kiosk" / "cli" / "staff.py").write_text(
        "EXIT_DENIED: int = 7\n\ndef run():\n    return 3\n"
    )
    assert exit_code_problems(tmp_path / "kiosk") == [
        "kiosk/cli/staff.py: EXIT_DENIED",
        "kiosk/cli/staff.py: bare return",
    ]
