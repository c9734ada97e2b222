"""UI test fixtures: compiled catalogs (as dev.sh does, so a clean clone works) and texts."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from kiosk.core.session import LANGUAGES  # noqa: E402
from kiosk.ui.catalogs import compile_catalogs  # noqa: E402
from kiosk.ui.i18n import PSEUDO, Texts, load_texts  # noqa: E402


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
