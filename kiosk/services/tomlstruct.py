"""TOML tables into typed records, every problem named by key and line, all at once.

A record is a dataclass or a msgspec Struct that states each key's type, default and range
(``Annotated[int, msgspec.Meta(ge=1, le=9)] = 5``) once; msgspec validates against it. A key
that a dataclass does not have is a problem (a Struct says so with forbid_unknown_fields).
msgspec stops at the first error; ``convert`` names it at its key (and so its line), in the
project's words, takes that value out and converts again, until the rest is valid. A value
taken out falls back to its default, but only in a file that is refused anyway.

The words: ``problem(...)`` on a type (``Annotated[str, problem("...")]``) wins; else
they follow from the type ("must be a whole number", "must be between 5 and 3600",
"must be one of adf, flatbed, duplex", "unknown key (expected one of ...)"). A type that
a ``dec_hook`` makes (a Path) is refused in the hook's own words.
"""

from __future__ import annotations

import functools
import re
import types
import typing
from collections.abc import Callable, Iterator
from enum import Enum
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin, overload

import msgspec

from kiosk.services.tomlfile import KeyPath, TomlFile

T = TypeVar("T")
Wording = str | Callable[[Any], str | None]  # a callable gets the value; None: the usual words
DecHook = Callable[[type, Any], Any]

_ERROR = re.compile(r"(?P<text>.*?)(?: - at (?P<key>`key` in )?`\$(?P<path>[^`]*)`)?", re.S)
_STEP = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[([0-9]+|\.\.\.)\]")
_NAMES = {str: "a string", int: "a whole number", float: "a number", bool: "true or false"}
_MOST = 1000  # problems one file can have before the rest is not looked at


def problem(wording: Wording) -> msgspec.Meta:
    """The message for a value of the wrong type or out of range here."""
    return msgspec.Meta(extra={"problem": wording})


@overload
def convert(
    file: TomlFile, data: object, type_: type[T], at: KeyPath = (), dec_hook: DecHook | None = None
) -> T | None: ...
@overload
def convert(
    file: TomlFile, data: object, type_: Any, at: KeyPath = (), dec_hook: DecHook | None = None
) -> Any: ...
def convert(
    file: TomlFile, data: object, type_: Any, at: KeyPath = (), dec_hook: DecHook | None = None
) -> Any:
    """``data`` (found at ``at`` in ``file``) as ``type_``, each problem recorded on
    ``file`` (and what it is about taken out); None when nothing of it is usable."""
    for where, record in list(_unknown_keys(data, type_)):  # msgspec ignores them
        file.problem((*at, *where), _unknown_words(record))
        data = _without(data, where, keep_place=False)
    for _ in range(_MOST):
        try:
            return msgspec.convert(data, type_, dec_hook=dec_hook)
        except msgspec.ValidationError as err:
            where, message, remove = _explain(str(err), data, type_, dec_hook)
            file.problem((*at, *where), message)
            if not remove:
                return None
            try:
                data = _without(data, remove, keep_place=remove == where)
            except (KeyError, IndexError, TypeError):  # msgspec's path did not lead there
                return None
    return None


def _explain(
    error: str, data: object, type_: Any, dec_hook: DecHook | None
) -> tuple[KeyPath, str, KeyPath]:
    """msgspec's error as the key it is about (within ``data``), the project's words, and
    what to take out: that key, or the bad item of a list (named at the list)."""
    found = _ERROR.fullmatch(error)
    assert found is not None  # the pattern matches any text
    text = found.group("text")
    path: list[str | int] = []
    value: Any = data
    tp = type_
    for name, index in _STEP.findall(found.group("path") or ""):
        base, metas = _unwrap(tp)
        args = get_args(base)
        try:
            if name:  # a key of a record
                value, tp = value[name], _hints(base)[name]
                path.append(name)
            elif index == "...":  # an entry of a table; msgspec does not say which: the first bad
                key = next(k for k, v in value.items() if not _fits({k: v}, base, dec_hook))
                value, tp = value[key], args[1]
                path.append(key)
            else:  # an item of a list, or of [first, last]
                fixed = get_origin(base) is tuple and args[-1] is not Ellipsis
                item = args[int(index)] if fixed else args[0]
                if not _is_record(_unwrap(item)[0]):  # named at the list: it has the line
                    words = _item_words(text, value[int(index)], item, metas)
                    remove = (*path, int(index)) if not fixed else tuple(path)
                    return tuple(path), words, remove
                value, tp = value[int(index)], item
                path.append(int(index))
        except (KeyError, IndexError, TypeError, AttributeError, StopIteration):
            break  # the data does not lead further: name what was reached
    base, _ = _unwrap(tp)
    if found.group("key") and get_origin(base) is dict:  # a key of this table: the first bad
        key_type = get_args(base)[0]
        key = next((k for k in value if not _fits(k, key_type, dec_hook)), None)
        if key is not None:
            return (*path, key), _words(text, key, key_type), (*path, key)
    if text.startswith("Object contains unknown field") and _is_record(base):
        unknown = next((k for k in value if k not in _hints(base)), None)
        if unknown is not None:
            return (*path, unknown), _unknown_words(base), (*path, unknown)
    if text.startswith("Object missing required field"):
        return tuple(path), "missing", ()  # nothing to take out: the rest is not looked at
    return tuple(path), _words(text, value, tp), tuple(path)


def _unknown_keys(data: object, tp: Any, path: KeyPath = ()) -> Iterator[tuple[KeyPath, type]]:
    """Each key in ``data`` that its dataclass does not have, with that dataclass."""
    base, _ = _unwrap(tp)
    args = get_args(base)
    if _is_record(base) and isinstance(data, dict):
        for key, value in data.items():
            if key in _hints(base):
                yield from _unknown_keys(value, _hints(base)[key], (*path, key))
            elif not issubclass(base, msgspec.Struct):  # a Struct forbids them itself, or not
                yield (*path, key), base
    elif get_origin(base) is list and isinstance(data, list):
        for index, item in enumerate(data):
            yield from _unknown_keys(item, args[0], (*path, index))
    elif get_origin(base) is dict and isinstance(data, dict):
        for key, value in data.items():
            yield from _unknown_keys(value, args[1], (*path, key))


def _unknown_words(record: type) -> str:
    names = _hints(record)
    tables = all(_is_record(_unwrap(t)[0]) for t in names.values())
    return f"unknown {'section' if tables else 'key'} (expected one of {', '.join(names)})"


def _words(text: str, value: object, tp: Any) -> str:
    base, metas = _unwrap(tp)
    if said := _said(metas, value):
        return said
    if _hooked(base):
        return text  # the dec_hook's own words
    bounds = next((m for m in metas if m.ge is not None or m.le is not None), None)
    if bounds is not None and ", got `" not in text:  # the right type, out of range
        low, high = bounds.ge, bounds.le
        if low is not None and high is not None:
            return f"must be between {low:g} and {high:g}"
        return f"must be at least {low:g}" if low is not None else f"must be at most {high:g}"
    return f"must be {_name(tp)}"


def _item_words(text: str, value: object, item: Any, list_metas: list[msgspec.Meta]) -> str:
    """A bad item of a list: the item's words, else the list's, else "every item ..."."""
    _, metas = _unwrap(item)
    said = _said(metas, value) or _said(list_metas, value)
    return said or "every item " + _words(text, value, item)


def _said(metas: list[msgspec.Meta], value: object) -> str | None:
    for meta in reversed(metas):
        wording = (meta.extra or {}).get("problem")
        said = wording(value) if callable(wording) else wording
        if said:
            return str(said)
    return None


def _hooked(base: Any) -> bool:
    """A type msgspec leaves to the dec_hook (a Path)."""
    plain = (str, int, float, bool, list, tuple, dict)
    return (
        isinstance(base, type)
        and get_origin(base) is None
        and not issubclass(base, Enum)
        and not _is_record(base)
        and base not in plain
    )


def _name(tp: Any) -> str:
    base, _ = _unwrap(tp)
    origin = get_origin(base)
    if origin in (Union, types.UnionType):
        members = [m for m in get_args(base) if m not in (type(None), msgspec.UnsetType)]
        return " or ".join(_name(m) for m in members)
    if origin is Literal:
        return _one_of([str(v) for v in get_args(base)])
    if isinstance(base, type) and issubclass(base, Enum):
        return _one_of([str(e.value) for e in base])
    if origin in (list, tuple):
        return "a list"
    if origin is dict or _is_record(base):
        return "a table"
    return _NAMES.get(base, "a string")  # a type of a dec_hook is written as a string


def _one_of(values: list[str]) -> str:
    return " or ".join(values) if len(values) == 2 else f"one of {', '.join(values)}"


def _unwrap(tp: Any) -> tuple[Any, list[msgspec.Meta]]:
    """The type without Annotated and without the None or UNSET of an optional field."""
    metas: list[msgspec.Meta] = []
    while True:
        if get_origin(tp) is Annotated:
            tp, *extras = get_args(tp)
            metas += [meta for meta in extras if isinstance(meta, msgspec.Meta)]
        elif get_origin(tp) in (Union, types.UnionType):
            members = [m for m in get_args(tp) if m not in (type(None), msgspec.UnsetType)]
            if len(members) != 1:
                return tp, metas
            tp = members[0]
        else:
            return tp, metas


def _is_record(tp: Any) -> bool:
    """A dataclass or a msgspec Struct: a [table] of named keys."""
    return isinstance(tp, type) and (
        issubclass(tp, msgspec.Struct) or hasattr(tp, "__dataclass_fields__")
    )


@functools.cache
def _hints(record: type) -> dict[str, Any]:
    """A record's keys and their types, in order."""
    return typing.get_type_hints(record, include_extras=True)


def _fits(value: object, tp: Any, dec_hook: DecHook | None) -> bool:
    try:
        msgspec.convert(value, tp, dec_hook=dec_hook)
    except msgspec.ValidationError:
        return False
    return True


def _without(data: Any, path: KeyPath, *, keep_place: bool) -> Any:
    """``data`` without what ``path`` names (copied where it changes). With ``keep_place``
    an item of a list (a table) becomes an empty table: the ones after it keep their index."""
    head, *rest = path
    copy = dict(data) if isinstance(data, dict) else list(data)
    if rest:
        copy[head] = _without(data[head], tuple(rest), keep_place=keep_place)  # type: ignore[index]
    elif keep_place and isinstance(copy, list):
        copy[head] = {}  # type: ignore[index]
    else:
        del copy[head]  # type: ignore[arg-type]
    return copy
