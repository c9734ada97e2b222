"""kiosk.core.lazy: a module bound now, imported at its first use, then bound itself."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.core.lazy import LazyModule, lazy


@pytest.fixture
def target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A module of the test's own that counts how often it is executed ($LAZY_RUNS)."""
    name = f"lazy_target_{tmp_path.name.replace('-', '_')}"
    (tmp_path / f"{name}.py").write_text(
        "import os\nos.environ['LAZY_RUNS'] = str(int(os.environ['LAZY_RUNS']) + 1)\nVALUE = 42\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("LAZY_RUNS", "0")
    yield name
    sys.modules.pop(name, None)


def test_imported_at_the_first_use_then_bound_itself(target: str) -> None:
    namespace: dict[str, Any] = {}
    namespace["mod"] = lazy(target, namespace, "mod")
    assert isinstance(namespace.get("mod"), LazyModule)
    assert target not in sys.modules and os.environ["LAZY_RUNS"] == "0"
    assert namespace["mod"].VALUE == 42
    assert namespace["mod"] is sys.modules[target]  # later reads go to the module itself
    assert lazy(target, {}, "other") is sys.modules[target]  # imported already: the module
    assert os.environ["LAZY_RUNS"] == "1"


def test_two_threads_at_once_import_it_once(target: str) -> None:
    proxy: Any = lazy(target, {}, "mod")
    start = threading.Barrier(8)
    seen: list[int] = []

    def read() -> None:
        start.wait()
        seen.append(proxy.VALUE)

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == [42] * 8
    assert os.environ["LAZY_RUNS"] == "1"
