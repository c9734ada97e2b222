"""kiosk.ui.presenter.background: work off the GUI thread, results back on it."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.ui.presenter.background import Background


def test_a_result_comes_back_on_the_gui_thread(qtbot: QtBot) -> None:
    background = Background()
    got: list[object] = []
    background.run(lambda: 6 * 7, got.append, got.append)
    qtbot.waitUntil(lambda: got == [42])
    assert background.running == 0
    background.shutdown()


def test_work_asked_for_after_shutdown_is_dropped_not_raised(qtbot: QtBot) -> None:
    # A result delivered while the kiosk ends may ask for more work (CardInput reads the
    # code that waited behind a refused one): the pool is gone, and Qt's event loop got
    # "cannot schedule new futures after shutdown" (seen in CI, tests/ui/test_cards.py).
    background = Background()
    background.shutdown()
    called: list[object] = []
    background.run(lambda: called.append("work"), called.append, called.append)
    QApplication.processEvents()
    assert called == [] and background.running == 0
