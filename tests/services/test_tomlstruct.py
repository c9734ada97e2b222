"""tomlstruct.convert: msgspec Structs with every problem named by key and line, at once."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

import pytest
from msgspec import Meta, Struct

from kiosk.services.tomlfile import InvalidFile, TomlFile
from kiosk.services.tomlstruct import convert, problem


class Colour(StrEnum):
    RED = "red"
    GREEN = "green"
    BLUE = "blue"


class Inner(Struct, frozen=True, forbid_unknown_fields=True):
    size: Annotated[int, Meta(ge=1, le=9)] = 5
    colour: Colour = Colour.RED
    shape: Literal["round", "square"] = "round"
    ratio: Annotated[float, Meta(ge=0.5)] = 1.0
    tags: list[str] = []
    named: list[Annotated[str, problem("tags go in quotes")]] = []
    where: Path | None = None


class Item(Struct, frozen=True, forbid_unknown_fields=True):
    name: str = ""


class Outer(Struct, frozen=True, forbid_unknown_fields=True):
    inner: Inner = Inner()
    counts: dict[str, int] = {}
    items: list[Item] = []
    pair: Annotated[tuple[str, str], problem("must be [a, b]")] | None = None
    kinds: dict[Colour, str] = {}
    word: Annotated[str, problem(lambda value: f"not {value!r}")] = "x"


INNER = "size, colour, shape, ratio, tags, named, where"
OUTER = "inner, counts, items, pair, kinds, word"


def hook(type_: type, value: Any) -> Any:
    if type_ is Path and isinstance(value, str):
        return Path(value)
    raise TypeError("must be a path in quotes")


def problems(tmp_path: Path, text: str) -> list[tuple[str, int | None, str]]:
    path = tmp_path / "t.toml"
    path.write_text(text)
    file = TomlFile.read(path)
    convert(file, file.data, Outer, dec_hook=hook)
    try:
        file.raise_if_problems()
    except InvalidFile as err:
        return [(p.key, p.line, p.message) for p in err.problems]
    return []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[inner]\nsize = 10\n", ("inner.size", 2, "must be between 1 and 9")),
        ('[inner]\nsize = "3"\n', ("inner.size", 2, "must be a whole number")),
        ("[inner]\nsize = true\n", ("inner.size", 2, "must be a whole number")),
        ("[inner]\nsize = 2.0\n", ("inner.size", 2, "must be a whole number")),
        ("[inner]\nratio = 0.1\n", ("inner.ratio", 2, "must be at least 0.5")),
        ("[inner]\nratio = nan\n", ("inner.ratio", 2, "must be at least 0.5")),
        ('[inner]\nratio = "1"\n', ("inner.ratio", 2, "must be a number")),
        ('[inner]\ncolour = "pink"\n', ("inner.colour", 2, "must be one of red, green, blue")),
        ("[inner]\ncolour = 1\n", ("inner.colour", 2, "must be one of red, green, blue")),
        ('[inner]\nshape = "oval"\n', ("inner.shape", 2, "must be round or square")),
        ("[inner]\ntags = 1\n", ("inner.tags", 2, "must be a list")),
        ('[inner]\ntags = ["a", 2]\n', ("inner.tags", 2, "every item must be a string")),
        ('[inner]\nnamed = ["a", 2]\n', ("inner.named", 2, "tags go in quotes")),
        ("[inner]\nwhere = 1\n", ("inner.where", 2, "must be a path in quotes")),
        ("[inner]\nsizes = 1\n", ("inner.sizes", 2, f"unknown key (expected one of {INNER})")),
        ("[outer]\n", ("outer", 1, f"unknown key (expected one of {OUTER})")),
        ("inner = 1\n", ("inner", 1, "must be a table")),
        ('[counts]\na = 1\nb = "2"\n', ("counts.b", 3, "must be a whole number")),
        ("[kinds]\nred = 'r'\npink = 'p'\n", ("kinds.pink", 3, "must be one of red, green, blue")),
        ("[[items]]\nname = 'a'\n[[items]]\nname = 2\n", ("items[1].name", 4, "must be a string")),
        ("items = [1]\n", ("items[0]", 1, "must be a table")),
        ("pair = ['a']\n", ("pair", 1, "must be [a, b]")),
        ("pair = [1, 'b']\n", ("pair", 1, "must be [a, b]")),
        ("word = 5\n", ("word", 1, "not 5")),
    ],
)
def test_each_problem_is_named_by_key_and_line_in_the_projects_words(
    tmp_path: Path, text: str, expected: tuple[str, int, str]
) -> None:
    assert problems(tmp_path, text) == [expected]


def test_every_problem_is_named_at_once_in_the_order_of_the_lines(tmp_path: Path) -> None:
    text = (
        "items = [1, {name = 2}, {name = 'ok'}, 4]\n"
        "[inner]\ncolour = 'pink'\nsize = 0\ntags = [1, 2]\n"
        "[counts]\na = 'x'\nb = 2\nc = 'y'\n"
    )
    assert problems(tmp_path, text) == [
        ("items[0]", 1, "must be a table"),
        ("items[1].name", 1, "must be a string"),
        ("items[3]", 1, "must be a table"),  # the bad tables kept their place in the list
        ("inner.colour", 3, "must be one of red, green, blue"),
        ("inner.size", 4, "must be between 1 and 9"),
        ("inner.tags", 5, "every item must be a string"),  # two bad items: one problem
        ("counts.a", 7, "must be a whole number"),
        ("counts.c", 9, "must be a whole number"),
    ]


def test_the_valid_rest_is_converted_and_a_refused_value_falls_back_to_its_default(
    tmp_path: Path,
) -> None:
    path = tmp_path / "t.toml"
    path.write_text("[inner]\nsize = 99\ncolour = 'blue'\ntags = ['a', 2, 'b']\n")
    file = TomlFile.read(path)
    found = convert(file, file.data, Outer)
    assert found is not None and len(file.problems) == 2  # named, so the file is refused
    assert (found.inner.size, found.inner.colour, found.inner.tags) == (5, Colour.BLUE, ["a", "b"])


@dataclass(frozen=True)
class Section:
    size: Annotated[int, Meta(ge=1, le=9)] = 5


@dataclass(frozen=True)
class Sections:
    one: Section = Section()
    two: Section = Section()


def test_a_dataclass_is_a_record_too_and_a_key_it_does_not_have_is_a_problem(
    tmp_path: Path,
) -> None:
    path = tmp_path / "t.toml"
    path.write_text("[one]\nsize = 7\nsise = 3\n[three]\n[two]\nsize = 0\n")
    file = TomlFile.read(path)
    found = convert(file, file.data, Sections)
    assert [(p.key, p.line, p.message) for p in file.problems] == [
        ("one.sise", 3, "unknown key (expected one of size)"),
        ("three", 4, "unknown section (expected one of one, two)"),
        ("two.size", 6, "must be between 1 and 9"),
    ]
    assert found == Sections(Section(7), Section())
