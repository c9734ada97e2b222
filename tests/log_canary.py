"""The log canary: every log record of the whole test session, formatted, is checked for a
case number (any spelling the kiosk reads: kiosk.core.redact.case_numbers_in, which uses
the kiosk's own parser), a card payload, or a name from the shared test data's QR codes.
A leak fails the session, naming the test and the line.

Loaded by tests/conftest.py (``pytest_plugins``); ``-p tests.log_canary`` loads it alone.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from kiosk.core.redact import card_payloads_in, case_numbers_in

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
# Name fields of the QR payloads there: MECARD/BIZCARD "N:", "X:" (surname); vCard "N:", "FN:".
_NAME_FIELD = re.compile(r"(?:^|[:;])(?:N|FN|X):([^;\n]+)", re.MULTILINE)


def shared_data_names(root: Path = SHARED_DATA) -> frozenset[str]:
    """People's names in the shared test data (each part of four letters or more)."""
    names: set[str] = set()
    for path in root.rglob("*.txt"):
        if path.name.endswith("metadata.txt"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in _NAME_FIELD.finditer(text):
            value = match.group(1).strip()
            if any(c.isdigit() for c in value) or "://" in value:
                continue  # "Google 411": a service, not a person
            names.add(value)
            names.update(p for p in re.split(r"[\s,]+", value) if len(p) >= 4)
    return frozenset(n for n in names if len(n) >= 4 or not n.isascii())


@dataclass
class Leak:
    test: str
    what: str
    line: str


class LogCanary(logging.Handler):
    """Collects every record of the session and what leaks in it."""

    def __init__(self, names: frozenset[str] = frozenset()) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        self.names = names
        words = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        self._names = re.compile(rf"(?<!\w)(?:{words})(?!\w)") if names else None
        self.leaks: list[Leak] = []
        self.records = 0
        self.test = "(collection)"

    def emit(self, record: logging.LogRecord) -> None:
        self.records += 1
        try:
            line = self.format(record)
        except Exception:  # a record that cannot be formatted: its parts, as they are
            line = f"{record.msg!r} {record.args!r}"
        self.leaks += [Leak(self.test, what, line) for what in self.findings(line)]

    def findings(self, line: str) -> list[str]:
        found = [f"case number {n.value} ({n.kind})" for _, _, n in case_numbers_in(line)]
        found += [f"card payload {p[:12]}..." for p in card_payloads_in(line)]
        if self._names is not None:
            found += [f"test-data name {m.group()!r}" for m in self._names.finditer(line)]
        return found


_KEY = pytest.StashKey[LogCanary]()


def pytest_configure(config: pytest.Config) -> None:
    canary = LogCanary(names=shared_data_names())
    config.stash[_KEY] = canary
    root = logging.getLogger()
    root.addHandler(canary)
    # INFO: every line a service writes to its journal (DEBUG is third-party chatter).
    config.stash[_LEVEL] = root.level
    if root.getEffectiveLevel() > logging.INFO:
        root.setLevel(logging.INFO)


_LEVEL = pytest.StashKey[int]()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    item.config.stash[_KEY].test = item.nodeid


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    canary = session.config.stash.get(_KEY, None)
    if canary is None:
        return
    logging.getLogger().removeHandler(canary)
    logging.getLogger().setLevel(session.config.stash[_LEVEL])
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if not canary.leaks:
        if reporter is not None:
            reporter.write_line(f"log canary: {canary.records} log records, no client data")
        return
    if reporter is not None:
        reporter.write_sep("=", f"log canary: {len(canary.leaks)} log line(s) leak client data")
        for leak in canary.leaks[:50]:
            reporter.write_line(f"{leak.test}: {leak.what}\n    {leak.line[:300]}")
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
