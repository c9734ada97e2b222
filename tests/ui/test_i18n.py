"""Catalogs: complete, not fuzzy, placeholders intact, up to date with the source."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from kiosk.core.concerns import CONCERNS
from kiosk.core.session import LANGUAGES
from kiosk.devtools.catalogs import (
    CATALOG_DIR,
    catalog_messages,
    key_of,
    placeholder_problems,
    read_catalog,
    source_messages,
    untranslated,
)
from kiosk.ui.i18n.texts import Texts, pseudo


@pytest.fixture(scope="module")
def source() -> set[tuple[str | None, str]]:
    return source_messages()


def pot() -> Catalog:
    from babel.messages.pofile import read_po

    with (CATALOG_DIR / "kiosk.pot").open("rb") as f:
        return read_po(f)


def test_the_template_matches_what_the_source_marks(source: set[tuple[str | None, str]]) -> None:
    # pybabel update --check misjudges once pgettext is used: compare message ids directly.
    template = {key_of(m) for m in catalog_messages(pot())}
    assert source - template == set(), "run pybabel extract (see i18n/babel.cfg)"
    assert template - source == set(), "stale entries in i18n/kiosk.pot"


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_catalog_is_complete_and_current(
    language: str, source: set[tuple[str | None, str]]
) -> None:
    catalog = read_catalog(language)
    keys = {key_of(m) for m in catalog_messages(catalog)}
    assert source - keys == set(), f"{language}: missing (run pybabel update)"
    assert keys - source == set(), f"{language}: obsolete entries"
    missing = [m.id for m in catalog_messages(catalog) if untranslated(m)]
    assert missing == [], f"{language}: untranslated or fuzzy"


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_survive_translation(language: str) -> None:
    problems = [
        p for m in catalog_messages(read_catalog(language)) for p in placeholder_problems(m)
    ]
    assert problems == []


def test_the_placeholder_check_catches_a_mismatch() -> None:
    catalog = Catalog(locale="de")
    catalog.add("Page {number}", "Seite {nummer}")
    (message,) = catalog_messages(catalog)
    assert placeholder_problems(message)


def test_compiled_catalogs_translate(catalogs: dict[str, Texts], locale_dir: Path) -> None:
    assert (locale_dir / "de" / "LC_MESSAGES" / "kiosk.mo").is_file()
    assert catalogs["de"].gettext("I am sick") == "Ich bin krank"
    assert (
        catalogs["uk"]
        .ngettext("Send {count} page", "Send {count} pages", 5)
        .startswith("Надіслати")
    )
    assert catalogs["ar"].rtl and not catalogs["tr"].rtl


def test_plain_language_first_official_term_in_brackets(catalogs: dict[str, Texts]) -> None:
    de = catalogs["de"]
    assert de.gettext("I want to travel (holiday)") == "Ich will verreisen (Urlaub)"
    assert de.gettext("Holiday (Ortsabwesenheit)") == "Urlaub (Ortsabwesenheit)"
    for concern in CONCERNS:
        assert de.gettext(concern.label) != concern.label


def test_dates_and_numbers_follow_the_language(catalogs: dict[str, Texts]) -> None:
    from datetime import datetime

    moment = datetime(2025, 3, 14, 10, 42)
    assert catalogs["de"].date_time(moment) == "14. März 2025, 10:42"
    assert "2025" in catalogs["en"].date_time(moment) and "March" in catalogs["en"].date_time(
        moment
    )
    assert catalogs["tr"].date_time(moment).startswith("14 Mart 2025")


def test_the_pseudo_locale_lengthens_and_keeps_placeholders() -> None:
    text = pseudo("Page {number} of {count}")
    assert "{number}" in text and "{count}" in text
    assert len(text) >= 1.4 * len("Page {number} of {count}")
    assert text.format(number=1, count=2)


def test_babel_cfg_exists_with_the_python_method() -> None:
    assert "[python: **.py]" in (Path(CATALOG_DIR) / "babel.cfg").read_text()
