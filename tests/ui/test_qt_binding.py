"""The Qt binding keeps Python's reference counts intact (PySide6 6.12.0 did not)."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QLabel


def test_void_qt_calls_leave_none_alone() -> None:
    """Each setText() of PySide6 6.12.0 took one reference from None: on Python 3.11 the kiosk
    aborted with "deallocating None" after enough screens. (On 3.12+ None is immortal.)"""
    app = QApplication.instance() or QApplication([])
    assert app is not None
    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(1000):
        label.setText("x")
        label.setVisible(False)
        app.processEvents()  # pytest-qt's waits and the UI benchmark call this in loops
    assert abs(sys.getrefcount(None) - before) < 50
