"""Guards against known-broken Qt bindings: the kiosk depends on them for every screen."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication


def test_process_events_does_not_leak_references_to_none(qapp: QApplication) -> None:
    # PySide6 6.12.0 (with Python 3.11) released one reference to None per call: after
    # ~100,000 calls the interpreter aborted ("Fatal Python error: none_dealloc"), as the
    # UI benchmark and pytest-qt's waits do. pyproject.toml excludes that release.
    before = sys.getrefcount(None)
    for _ in range(2_000):  # enough to show a leak, too few to abort on one
        qapp.processEvents()
    assert sys.getrefcount(None) >= before - 100  # other threads may release a few
