"""Reading TOML files so that every problem names its key and line."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import msgspec
from msgspec import Struct

KeyPath = tuple[str | int, ...]


class Problem(Struct, frozen=True):
    key: str  # dotted, e.g. "scanner.resolution" or "case_rules[2].bg_range"
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{where}{self.key}: {self.message}"


class InvalidFile(Exception):
    """A configuration file with problems; never a traceback, never silent defaults.

    ``also``: other files with problems found in the same check (a kiosk configuration's
    routing table), each naming its own path.
    """

    def __init__(
        self, path: Path, problems: list[Problem], also: Sequence[InvalidFile] = ()
    ) -> None:
        self.path = path
        self.problems = problems
        self.also = tuple(also)
        super().__init__(
            "; ".join(f"{bad.path}: " + "; ".join(map(str, bad.problems)) for bad in self.each())
        )

    def each(self) -> tuple[InvalidFile, ...]:
        """This file and the others found broken with it, in the order found."""
        return (self, *self.also)


_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*(\"[^\"]*\"|'[^']*'|[A-Za-z0-9_\-]+)\s*=")


def _key_text(path: KeyPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


class TomlFile(Struct):
    path: Path
    text: str
    data: dict[str, Any]
    problems: list[Problem] = msgspec.field(default_factory=list)
    warnings: list[Problem] = msgspec.field(default_factory=list)  # valid, but likely not meant

    @classmethod
    def read(cls, path: Path) -> TomlFile:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise InvalidFile(path, [Problem("(file)", None, "file not found")]) from None
        except (OSError, UnicodeDecodeError, ValueError) as err:  # ValueError: a NUL in the name
            raise InvalidFile(path, [Problem("(file)", None, f"cannot be read: {err}")]) from None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            line = getattr(err, "lineno", None) or _line_from_message(str(err))
            raise InvalidFile(path, [Problem("(syntax)", line, str(err))]) from None
        except RecursionError:
            problem = Problem("(syntax)", None, "arrays or tables nested too deeply")
            raise InvalidFile(path, [problem]) from None
        except ValueError as err:  # e.g. a whole number of more than 4300 digits
            problem = Problem("(syntax)", None, f"cannot be parsed: {str(err)[:80]}")
            raise InvalidFile(path, [problem]) from None
        return cls(path, text, data)

    def problem(self, path: KeyPath, message: str) -> None:
        found = Problem(_key_text(path), self.line_of(path), message)
        if found not in self.problems:  # two bad items of one list: one problem
            self.problems.append(found)

    def warning(self, path: KeyPath, message: str) -> None:
        """Something valid that is likely not what was meant (a rule that never matches)."""
        self.warnings.append(Problem(_key_text(path), self.line_of(path), message))

    def has_problem(self, path: KeyPath) -> bool:
        """Whether ``path`` is named already (a later check need not name it again)."""
        key = _key_text(path)
        return any(problem.key == key for problem in self.problems)

    def raise_if_problems(self, also: Sequence[InvalidFile] = ()) -> None:
        """InvalidFile naming every problem, in the order of the file's lines."""
        if self.problems:
            in_order = sorted(self.problems, key=lambda problem: problem.line or 0)
            raise InvalidFile(self.path, in_order, also)

    def line_of(self, path: KeyPath) -> int | None:
        """The line that sets ``path`` (or opens its table); None when not in the file."""
        table: list[str | int] = []
        counts: dict[str, int] = {}
        best: int | None = None
        for number, line in enumerate(self.text.splitlines(), start=1):
            header = _HEADER.match(line)
            if header:
                name = header.group(2).strip().strip("\"'")
                if header.group(1) == "[[":
                    counts[name] = counts.get(name, -1) + 1
                    table = [*name.split("."), counts[name]]
                else:
                    table = list(name.split("."))
                if tuple(table) == path:
                    return number
                if tuple(table) == path[: len(table)] and table:
                    best = number
                continue
            key = _KEY.match(line)
            if key and (*table, key.group(1).strip("\"'")) == path[: len(table) + 1]:
                if len(path) == len(table) + 1:
                    return number
                best = number
        return best


def _line_from_message(message: str) -> int | None:
    found = re.search(r"line (\d+)", message)
    return int(found.group(1)) if found else None
