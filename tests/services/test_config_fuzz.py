"""Random TOML through the loaders and `kiosk config check`: a problem, never a traceback.

The documents are Python dicts of known and junk sections, keys and values of every TOML
type, written by the small serialiser below (no TOML writer is a dependency), next to
key files, certificates and directories of every kind the configuration can point at.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import os
import re
import shutil
import string
import tomllib
from pathlib import Path
from typing import Any

import msgspec.inspect as mi
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.cli import main
from kiosk.core.concerns import CONCERN_KEYS, CONCERNS, TeamKind
from kiosk.core.identity import parse_case_number
from kiosk.services.channels.address import InboxPolicy
from kiosk.services.config import ConfigFile, load_config
from kiosk.services.routing.table import load_routing
from kiosk.services.tomlfile import InvalidFile
from tests.tlsutil import make_pki

# Hundreds of random documents a test; the example-based cases are in test_config.py.
pytestmark = pytest.mark.slow

FUZZ = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,  # the same examples on every run: CI is reproducible
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# -- a tiny TOML writer ---------------------------------------------------------------


class Raw(str):
    """Written as it is: TOML that Python cannot hold as a value (a 5000-digit number)."""


_BARE = re.compile(r"[A-Za-z0-9_-]+")


def toml_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\u{ord(m.group()):04x}", escaped)
    return f'"{escaped}"'


def toml_key(key: str) -> str:
    return key if _BARE.fullmatch(key) else toml_string(key)


def toml_value(value: Any) -> str:
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, dt.date | dt.time):  # datetime is a date
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        items = (f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    raise TypeError(type(value))


def toml_document(doc: dict[str, Any]) -> str:
    """Top-level values first, then [tables] and [[arrays of tables]]; deeper: inline."""
    lines, tables = [], []
    for key, value in doc.items():
        if isinstance(value, dict) or (
            isinstance(value, list) and value and all(isinstance(v, dict) for v in value)
        ):
            tables.append((key, value))
        else:
            lines.append(f"{toml_key(key)} = {toml_value(value)}")
    for key, value in tables:
        for item in value if isinstance(value, list) else [value]:
            lines.append(
                f"[[{toml_key(key)}]]" if isinstance(value, list) else f"[{toml_key(key)}]"
            )
            lines += [f"{toml_key(k)} = {toml_value(v)}" for k, v in item.items()]
    return "\n".join(lines) + "\n"


# -- values -----------------------------------------------------------------------------

ODD = [
    "", " ", "[::1", "https://[::1/x", "\r\n", "a\x00b", "é", "x" * 300, "x" * 5000, "..",
    "../..", "/", "~", "12345BG0012345", "12345", "-1", "true", "nan", "%00", "\\", '"',
    "'''", "\u202e", "\ufeff", "ﬃ", "０",
]  # fmt: skip
strings = st.one_of(
    st.sampled_from(ODD), st.text(max_size=30), st.text(string.printable, max_size=15)
)
ints = st.one_of(
    st.integers(),
    st.sampled_from([0, -1, 1, 5, 75, 300, 1200, 3600, 2**63 - 1, -(2**63), 2**64, 10**30]),
)
floats = st.floats(allow_nan=True, allow_infinity=True)
times = st.one_of(st.datetimes(timezones=st.sampled_from([None, dt.UTC])), st.dates(), st.times())
# TOML that the serialiser does not write otherwise; "9" * 5000 is too big for Python's int
specials = st.sampled_from(
    [
        Raw("9" * 5000), Raw("0x7fff_ffff"), Raw("0o777"), Raw("1_000"), Raw("+inf"),
        Raw("'C:\\raw\\path'"), Raw('"""two\nlines"""'), Raw("1979-05-27 07:32:00Z"),
    ]
)  # fmt: skip
base = st.one_of(strings, ints, floats, st.booleans(), times)
scalars = st.one_of(*[base] * 9, specials)  # one_of picks its branches about evenly
junk_keys = st.one_of(st.sampled_from(["x", "id", "teams", "", " ", "a.b"]), st.text(max_size=8))
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(junk_keys, inner, max_size=3)
    ),
    max_leaves=8,
)

URLS = [
    "file:///srv/in/", "file:///", "file://host/x/", "https://dms.local/in",
    "https://dms.local:99999/in", "https://u:s3cret@dms.local/in", "https://[::1/x",
    "https://[::1]:8443/in", "webdav://dms.local/dav/", "webdavs://dms.local/dav/?q",
    "smtp://relay.local/a@b.c", "smtp://relay.local/", "http://dms.local/", "ftp://x/",
]  # fmt: skip
urls = st.one_of(
    st.sampled_from(URLS), st.builds("".join, st.lists(st.sampled_from(URLS + ODD), max_size=3))
)

FILES = [
    "token", "token-shared", "key16", "key1", "key-shared", "dir", "dir-open", "ca.pem",
    "client.pem", "client.key", "client-shared.key", "server.key", "junk.pem", "sane",
    "routing.toml", "missing", "x" * 300, "dir/../token", "/", "/dev/null",
]  # fmt: skip
PATH_KEYS = {
    "state_dir", "sane_config_dir", "table", "key_dir", "case_key_file", "staff_key_file",
    "ca_bundle", "client_cert", "client_key", "token_file",
}  # fmt: skip
TYPED = {str: strings, int: ints, float: floats, bool: st.booleans(), list: st.lists(strings)}


def toml_types(info: mi.Type) -> tuple[type, ...]:
    """The TOML value types a key of ConfigFile takes (a path, an enum: a string)."""
    if isinstance(info, mi.UnionType):
        return tuple(t for member in info.types for t in toml_types(member))
    if isinstance(info, mi.FloatType):
        return (int, float)
    simple = {mi.IntType: int, mi.BoolType: bool, mi.VarTupleType: list, mi.ListType: list}
    if type(info) in simple:
        return (simple[type(info)],)
    return () if isinstance(info, mi.NoneType) else (str,)


SCHEMA = {
    section.encode_name: {key.encode_name: toml_types(key.type) for key in section.type.fields}
    for section in mi.type_info(ConfigFile).fields  # type: ignore[attr-defined]
}


def value_for(key: str, expected: type | tuple[type, ...]) -> st.SearchStrategy[Any]:
    types = expected if isinstance(expected, tuple) else (expected,)
    typed = st.one_of(*(TYPED[t] for t in types))
    if key in PATH_KEYS:
        typed = st.one_of(st.sampled_from(FILES), typed)
    if key in ("sync_url", "token_lookup"):
        typed = st.one_of(urls, typed)
    if key == "id":
        typed = st.one_of(st.just("kiosk-1"), typed)
    return st.one_of(typed, typed, values)  # mostly the right type, sometimes anything


@st.composite
def kiosk_configs(draw: st.DrawFn) -> dict[str, Any]:
    doc: dict[str, Any] = {}
    for section, keys in SCHEMA.items():
        if draw(st.integers(0, 3)) == 0:
            continue
        if draw(st.integers(0, 12)) == 0:
            doc[section] = draw(values)  # a section that is not a table
            continue
        table = {key: draw(value_for(key, t)) for key, t in keys.items() if draw(st.booleans())}
        table.update(draw(st.dictionaries(junk_keys, values, max_size=1)))
        doc[section] = table
    doc.update(draw(st.dictionaries(junk_keys, values, max_size=1)))
    return doc


KINDS = [k.value for k in TeamKind]
CASES = ["12345BG0012345", "12345//1", "123A456789", "12345BG0", "99999BG9999999", "x", "12345"]
teams = st.sampled_from(["a", "b", "c", "", "triage"])
cases = st.one_of(st.sampled_from(CASES), strings)


def mostly(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(strategy, strategy, strategy, values)


@st.composite
def case_rules(draw: st.DrawFn) -> dict[str, Any]:
    rule: dict[str, Any] = {}
    if draw(st.booleans()):
        rule["cases"] = draw(mostly(st.lists(mostly(cases), max_size=3)))
    if draw(st.booleans()):
        rule["bg_office"] = draw(mostly(st.sampled_from(["12345", "99999", 12345, 1234, "1234"])))
    if draw(st.booleans()):
        rule["bg_range"] = draw(mostly(st.lists(mostly(cases), min_size=1, max_size=3)))
    rule.update(draw(st.dictionaries(st.sampled_from(KINDS), mostly(teams), max_size=2)))
    rule.update(draw(st.dictionaries(junk_keys, values, max_size=1)))
    return rule


@st.composite
def routing_tables(draw: st.DrawFn) -> dict[str, Any]:
    doc: dict[str, Any] = {}
    if draw(st.integers(0, 9)):
        doc["triage"] = draw(mostly(urls))
    if draw(st.booleans()):
        doc["version"] = draw(mostly(st.sampled_from([1, 99, "one", 1.0, True])))
    if draw(st.integers(0, 4)):
        doc["teams"] = draw(mostly(st.dictionaries(teams, mostly(urls), max_size=4)))
    if draw(st.booleans()):
        doc["shared_teams"] = draw(
            mostly(st.dictionaries(st.sampled_from(KINDS) | junk_keys, mostly(teams), max_size=3))
        )
    if draw(st.booleans()):
        concerns = st.sampled_from(list(CONCERN_KEYS)) | junk_keys
        kinds = st.sampled_from(KINDS) | strings
        doc["concerns"] = draw(mostly(st.dictionaries(concerns, mostly(kinds), max_size=3)))
    if draw(st.integers(0, 3)):
        doc["case_rules"] = draw(mostly(st.lists(mostly(case_rules()), max_size=4)))
    if draw(st.booleans()):
        tokens = st.sampled_from(["AbCdEfGhIjKlMnOpQr", "short"]) | junk_keys
        doc["tokens"] = draw(mostly(st.dictionaries(tokens, mostly(cases), max_size=2)))
    doc.update(draw(st.dictionaries(junk_keys, values, max_size=1)))
    return doc


# -- the files a configuration points at --------------------------------------------------


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("fuzz")
    pki = make_pki(directory / "pki")
    for name, data, mode in (
        ("token", b"s3cret-token\n", 0o600),
        ("token-shared", b"s3cret-token\n", 0o644),
        ("key16", b"k" * 16, 0o600),
        ("key1", b"k", 0o600),
        ("key-shared", b"k" * 32, 0o644),
        ("junk.pem", b"-----BEGIN CERTIFICATE-----\n", 0o644),
    ):
        (directory / name).write_bytes(data)
        os.chmod(directory / name, mode)
    for name, source, mode in (
        ("ca.pem", pki.ca_cert, 0o644),
        ("client.pem", pki.client_cert, 0o644),
        ("client.key", pki.client_key, 0o600),
        ("client-shared.key", pki.client_key, 0o644),
        ("server.key", pki.server_key, 0o600),
    ):
        shutil.copy(source, directory / name)
        os.chmod(directory / name, mode)
    (directory / "dir").mkdir(mode=0o700)
    (directory / "dir-open").mkdir()
    os.chmod(directory / "dir-open", 0o777)
    (directory / "sane").mkdir()
    (directory / "sane" / "dll.conf").write_text("test\n")
    return directory


def check(path: Path) -> None:
    """Both loaders and the command: InvalidFile is the only exception, exit 0 or 4."""
    for load in (load_config, load_routing):
        with contextlib.suppress(InvalidFile):
            load(path)
    assert main(["config", "check", str(path)]) in (0, 4)


@FUZZ
@given(doc=kiosk_configs(), table=routing_tables(), names_table=st.booleans())
def test_random_kiosk_configs_are_problems_never_tracebacks(
    files: Path, doc: dict[str, Any], table: dict[str, Any], names_table: bool
) -> None:
    if names_table and isinstance(doc.get("routing"), dict):
        doc["routing"]["table"] = "routing.toml"  # the table is checked with the config
    (files / "routing.toml").write_text(toml_document(table))
    path = files / "kiosk.toml"
    path.write_text(toml_document(doc))
    check(path)


@FUZZ
@given(doc=routing_tables(), webdav=st.booleans())
def test_random_routing_tables_are_problems_never_tracebacks(
    files: Path, doc: dict[str, Any], webdav: bool
) -> None:
    path = files / "table.toml"
    path.write_text(toml_document(doc))
    check(path)
    try:
        table = load_routing(path, InboxPolicy(allow_plaintext_webdav=webdav))
    except InvalidFile:
        return
    # a table that passes routes every case and concern somewhere: never nowhere
    for case in ("12345BG0012345", "99999BG9999999", "123A456789"):
        for concern in CONCERNS:
            route = table.route(parse_case_number(case), concern)
            assert route.url in (table.triage, *table.teams.values())


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(text=st.one_of(st.text(max_size=200), st.text("[]{}=\"'.,\n#abc123 -_:", max_size=80)))
def test_random_text_is_a_problem_never_a_traceback(files: Path, text: str) -> None:
    path = files / "text.toml"
    path.write_text(text)
    check(path)


def _plain(value: Any) -> bool:
    """Values that read back equal (no NaN, no Raw): for the serialiser's own test."""
    if isinstance(value, Raw) or (isinstance(value, float) and math.isnan(value)):
        return False
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(_plain(v) for v in value.values())
    return True


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(doc=st.one_of(kiosk_configs(), routing_tables()))
def test_the_serialiser_writes_toml_that_reads_back(doc: dict[str, Any]) -> None:
    # so that the examples above reach the validators, not only the TOML parser
    if _plain(doc):
        assert tomllib.loads(toml_document(doc)) == doc


# -- shadow warnings agree with first-match-wins -----------------------------------------

OFFICES = ["12345", "12346"]
SERIALS = 9_999_999  # per office: 0000001 to 9999999


def bg(office: str, serial: int) -> str:
    return f"{office}BG{serial:07d}"


serials = st.one_of(st.integers(1, 30), st.sampled_from([9_999_998, 9_999_999]))
bgs = st.builds(bg, st.sampled_from(OFFICES), serials)


@st.composite
def selecting_rules(draw: st.DrawFn) -> dict[str, Any]:
    rule: dict[str, Any] = {"leistung": "a"}
    selectors = draw(st.sets(st.sampled_from(["cases", "bg_office", "bg_range"]), min_size=1))
    if "cases" in selectors:
        rule["cases"] = draw(
            st.lists(bgs | st.sampled_from(["123A456789", "123A456780"]), min_size=1, max_size=3)
        )
    if "bg_office" in selectors:
        rule["bg_office"] = draw(st.sampled_from(OFFICES))
    if "bg_range" in selectors:
        rule["bg_range"] = sorted(draw(st.lists(bgs, min_size=2, max_size=2)))
    return rule


def candidates(rules: list[dict[str, Any]]) -> list[str]:
    """Every place where "already taken" can change: the ends of every selection, +-1.
    Between them, whether earlier rules take a case stays the same."""
    ends: set[int] = set()
    found = {case for rule in rules for case in rule.get("cases", []) if "BG" not in case}
    for rule in rules:
        spans = [(c, c) for c in rule.get("cases", []) if "BG" in c]
        if "bg_office" in rule:
            spans.append((bg(rule["bg_office"], 1), bg(rule["bg_office"], SERIALS)))
        if "bg_range" in rule:
            spans.append(tuple(rule["bg_range"]))
        for low, high in spans:
            for case in (low, high):
                number = int(case[:5]) * SERIALS + int(case[7:]) - 1  # no gap at serial 0
                ends |= {number - 1, number, number + 1}
    for number in ends:
        found.add(bg(f"{number // SERIALS:05d}", number % SERIALS + 1))
    return sorted(found)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(raw_rules=st.lists(selecting_rules(), min_size=1, max_size=5))
def test_shadow_warnings_agree_with_first_match_wins(
    files: Path, raw_rules: list[dict[str, Any]]
) -> None:
    path = files / "shadow.toml"
    doc = {"triage": "file:///t/", "teams": {"a": "file:///a/"}, "case_rules": raw_rules}
    path.write_text(toml_document(doc))
    table = load_routing(path)
    points = [parse_case_number(c) for c in candidates(raw_rules)]
    expected_rules, expected_cases = set(), set()
    for index, rule in enumerate(table.rules):
        mine = [c for c in points if rule.matches(c)]
        if all(any(e.matches(c) for e in table.rules[:index]) for c in mine):
            expected_rules.add(f"case_rules[{index}]")
        for value in rule.cases:
            if any(e.matches(parse_case_number(value)) for e in table.rules[:index]):
                expected_cases.add((index, value))
    warned_rules = {w.key for w in table.warnings if not w.key.endswith(".cases")}
    warned_cases = {
        (int(w.key[11:-7]), w.message.split()[0])
        for w in table.warnings
        if w.key.endswith(".cases")
    }
    assert (warned_rules, warned_cases) == (expected_rules, expected_cases)
