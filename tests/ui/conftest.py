"""UI test fixtures: compiled catalogs (as dev.sh does, so a clean clone works) and texts."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from kiosk.core.session import LANGUAGES  # noqa: E402
from kiosk.devtools.catalogs import compile_catalogs  # noqa: E402
from kiosk.ui.i18n.texts import PSEUDO, Texts, load_texts  # noqa: E402
from kiosk.ui.widgets.theme import SCREEN  # noqa: E402
from kiosk.ui.window import Window  # noqa: E402
from tests.ui.driver import Ui, make_backend  # noqa: E402


@pytest.fixture(autouse=True)
def delete_closed_widgets() -> Iterator[None]:
    """After each test, what was handed to deleteLater() is deleted: the windows pytest-qt
    closed, the review's tile probes. Without a running event loop no processEvents() does
    it, and the widgets piled up over the run (six UI modules in one process: 6,519 widgets
    alive at the end and 154 s; with this, 5,835 and 128 s). Torn down after the test's own
    fixtures (autouse: set up first), so a presenter stops while its window is there."""
    yield
    if QApplication.instance() is not None:
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture(scope="session")
def locale_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("locale")
    compile_catalogs(target)
    return target


@pytest.fixture(scope="session")
def catalogs(locale_dir: Path) -> dict[str, Texts]:
    return {language: load_texts(language, locale_dir) for language in LANGUAGES}


@pytest.fixture(scope="session")
def pseudo_texts() -> Texts:
    return load_texts(PSEUDO)


@pytest.fixture
def ui(qtbot: QtBot, sane_config: Path, tmp_path: Path, catalogs: dict[str, Texts]) -> Iterator[Ui]:
    """The kiosk window on the SANE test scanner, delivering into a folder of the test's."""
    ui = Ui(qtbot, make_backend(sane_config, tmp_path, []), catalogs)
    try:
        yield ui
    finally:
        ui.close()


@pytest.fixture(scope="module")
def window() -> Iterator[Window]:
    """One kiosk window at the kiosk's screen size, shared by a module's render tests."""
    app = QApplication.instance() or QApplication([])
    assert app is not None
    win = Window(kiosk_mode=False)
    win.setFixedSize(*SCREEN)
    win.show()
    yield win
    win.close()
