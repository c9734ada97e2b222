"""Catalog upkeep: extract the message ids from the source, compile and check the .po files."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from kiosk.core.session import LANGUAGES
from kiosk.ui.i18n.texts import CATALOG_DIR, DOMAIN, LOCALE_DIR

ROOT = CATALOG_DIR.parent
MessageKey = tuple[str | None, str]  # (context, msgid)
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def po_path(language: str, catalog_dir: Path = CATALOG_DIR) -> Path:
    return catalog_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(language: str, catalog_dir: Path = CATALOG_DIR) -> Catalog:
    with po_path(language, catalog_dir).open("rb") as f:
        return read_po(f, locale=language)


def source_messages(root: Path = ROOT) -> set[MessageKey]:
    """Message ids as pybabel extract finds them in kiosk/ (same babel.cfg method map)."""
    found: set[MessageKey] = set()
    method_map = [("**.py", "python")]
    for _file, _line, message, _comments, context in extract_from_dir(root / "kiosk", method_map):
        msgid = message[0] if isinstance(message, tuple) else message
        found.add((context, msgid))
    return found


def catalog_messages(catalog: Catalog) -> Iterator[Message]:
    return (m for m in catalog if m.id)


def key_of(message: Message) -> MessageKey:
    msgid = message.id[0] if isinstance(message.id, tuple) else message.id
    return (message.context, str(msgid))


def placeholder_problems(message: Message) -> list[str]:
    """``{name}`` sets must match between msgid (plural too) and every msgstr."""
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    wanted = set().union(*(_PLACEHOLDER.findall(str(i)) for i in ids))
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    problems = []
    for index, text in enumerate(strings):
        got = set(_PLACEHOLDER.findall(str(text)))
        if got != wanted:
            problems.append(f"{ids[0]!r} [{index}]: {sorted(got)} != {sorted(wanted)}")
    return problems


def untranslated(message: Message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return message.fuzzy or any(not s for s in strings)


def compile_catalogs(dest: Path = LOCALE_DIR, catalog_dir: Path = CATALOG_DIR) -> list[Path]:
    """What ``pybabel compile`` does in dev.sh, for tests run from a clean clone."""
    written = []
    for language in LANGUAGES:
        target = dest / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as f:
            write_mo(f, read_catalog(language, catalog_dir))
        written.append(target)
    return written
