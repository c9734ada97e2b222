"""Routing: case + concern -> inbox URL, with triage as the floor; table validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.core.concerns import concern_by_key
from kiosk.core.identity import parse_case_number
from kiosk.services.channels.address import InboxPolicy
from kiosk.services.routing.table import (
    REASON_NO_TEAM,
    REASON_UNKNOWN_CASE,
    TABLE_KEYS,
    load_routing,
)
from kiosk.services.tomlfile import InvalidFile

EXAMPLE = Path(__file__).resolve().parents[2] / "deploy" / "routing.example.toml"
INBOX = "file:///srv/kiosk/inbox/"


@pytest.fixture(scope="module")
def table():  # type: ignore[no-untyped-def]
    return load_routing(EXAMPLE)


@pytest.mark.parametrize(
    "case,concern,team",
    [
        ("12345BG0012345", "renewal", "leistung-12"),  # in the range rule
        ("12345//12345", "sick", "vermittlung-3"),  # other notation, same case
        ("12345BG0050000", "renewal", "leistung-14"),  # past the range: the office rule
        ("123a456789", "travel", "u25"),  # exact Kundennummer rule
        ("12345BG0012345", "education", "but-buero"),  # shared team
        ("12345BG0012345", "objection", "widerspruchsstelle"),
        ("12345BG0012345", "other", "eingangszone"),
    ],
)
def test_cases_reach_their_team(table, case: str, concern: str, team: str) -> None:  # type: ignore[no-untyped-def]
    route = table.route(parse_case_number(case), concern_by_key(concern))
    assert (route.team, route.reason) == (team, None)
    assert route.url == table.teams[team]


def test_an_unknown_case_goes_to_triage_not_nowhere(table) -> None:  # type: ignore[no-untyped-def]
    route = table.route(parse_case_number("99999BG0000001"), concern_by_key("renewal"))
    assert (route.url, route.team, route.reason) == (
        INBOX + "eingangszone/",
        "triage",
        REASON_UNKNOWN_CASE,
    )


def test_a_known_case_without_that_kind_of_team_goes_to_triage(tmp_path: Path) -> None:
    path = tmp_path / "r.toml"
    path.write_text(
        'triage = "file:///t/"\n[teams]\na = "file:///a/"\n'
        '[[case_rules]]\nbg_office = "12345"\nleistung = "a"\n'
    )
    route = load_routing(path).route(parse_case_number("12345BG1"), concern_by_key("sick"))
    assert (route.url, route.reason) == ("file:///t/", REASON_NO_TEAM)


def test_concern_overrides_change_the_team_kind(tmp_path: Path) -> None:
    path = tmp_path / "r.toml"
    path.write_text(
        'triage = "file:///t/"\n[teams]\na = "file:///a/"\nb = "file:///b/"\n'
        '[concerns]\nsick = "leistung"\n'
        '[[case_rules]]\nbg_office = "12345"\nleistung = "a"\nvermittlung = "b"\n'
    )
    assert (
        load_routing(path).route(parse_case_number("12345BG1"), concern_by_key("sick")).team == "a"
    )


BROKEN = [
    ('[teams]\na = "file:///a/"\n', "triage", None, "missing"),  # absent: no line
    ('triage = "http://dms.local/in"\n', "triage", 1, "http without TLS"),
    ('triage = "file://relative/path"\n', "triage", 1, "absolute path"),
    ('triage = "file:///t/"\n[teams]\na = "ftp://x/"\n', "teams.a", 3, "scheme"),
    (
        'triage = "file:///t/"\n[teams]\na = "file:///a/"\n\n'
        '[[case_rules]]\nbg_office = "1234"\nleistung = "a"\n',
        "case_rules[0].bg_office",
        6,
        "5-digit",
    ),
    (
        'triage = "file:///t/"\n[teams]\na = "file:///a/"\n[[case_rules]]\nbg_office = "12345"\n'
        '[[case_rules]]\nbg_office = "12346"\nleistung = "nosuch"\n',
        "case_rules[1].leistung",
        8,
        "not listed",
    ),
    (
        'triage = "file:///t/"\n[[case_rules]]\nbg_range = ["12345BG1", "x"]\n',
        "case_rules[0].bg_range",
        3,
        "not a BG-Nummer",
    ),
    (
        'triage = "file:///t/"\n[[case_rules]]\nleistung_team = "a"\n',
        "case_rules[0]",
        2,
        "needs cases",
    ),
    (
        'triage = "file:///t/"\n[concerns]\nholiday = "leistung"\n',
        "concerns.holiday",
        3,
        "unknown concern",
    ),
    ('triage = "file:///t/"\ntriage_inbox = "x"\n', "triage_inbox", 2, "unknown key"),
    ('triage = "file:///t/\n', "(syntax)", 1, ""),
]


@pytest.mark.parametrize("text,key,line,words", BROKEN, ids=[b[1] + "-" + b[3] for b in BROKEN])
def test_problems_name_key_and_line(
    tmp_path: Path, text: str, key: str, line: int | None, words: str
) -> None:
    path = tmp_path / "r.toml"
    path.write_text(text)
    with pytest.raises(InvalidFile) as caught:
        load_routing(path)
    problem = next(p for p in caught.value.problems if p.key == key)
    assert problem.line == line and words in problem.message


T = 'triage = "file:///t/"\n'
TEAM = T + '[teams]\na = "file:///a/"\n'  # lines 1-3

# Issue 9: tables that `kiosk config check` passed (or crashed on) and the kiosk cannot use.
REFUSED = [
    (
        TEAM + '[[case_rules]]\nbg_range = ["12345BG0049999", "12345BG0000001"]\nleistung = "a"\n',
        "case_rules[0].bg_range",
        5,
        "never matches",
    ),
    (T + '[teams]\na = "https://dms.local:99999/in"\n', "teams.a", 3, "port"),
    (T + '[teams]\na = "https://dms.local:abc/in"\n', "teams.a", 3, "port"),
    (T + '[teams]\na = "webdavs://scan:s3cret@dms.local/dav/"\n', "teams.a", 3, "credentials"),
    (T + '[teams]\na = "smtp://relay.local/"\n', "teams.a", 3, "recipient"),
    (T + '[teams]\na = "webdav://dms.local/dav/"\n', "teams.a", 3, "unencrypted"),
    ("version = 99\n" + T, "version", 1, "version 99 is unknown"),
    ('version = "one"\n' + T, "version", 1, "whole number 1"),
    ("version = true\n" + T, "version", 1, "whole number 1"),
    ('triage = "https://[::1/x"\n', "triage", 1, "IPv6"),
    ("triage = 5\n", "triage", 1, "URL string"),
    (TEAM + "[[case_rules]]\ncases = 5\n", "case_rules[0].cases", 5, "list of case numbers"),
    (
        TEAM + '[[case_rules]]\ncases = "12345BG0012345"\n',
        "case_rules[0].cases",
        5,
        "list of case numbers",
    ),
    (TEAM + "[[case_rules]]\ncases = [12345]\n", "case_rules[0].cases", 5, "in quotes"),
    (TEAM + "[[case_rules]]\ncases = []\n", "case_rules[0].cases", 5, "is empty"),
    (TEAM + "[[case_rules]]\nbg_range = [1, 2]\n", "case_rules[0].bg_range", 5, "in quotes"),
    (TEAM + '[[case_rules]]\nbg_range = ["12345BG1"]\n', "case_rules[0].bg_range", 5, "[first"),
    (
        TEAM + "[[case_rules]]\nbg_office = 12345\n",
        "case_rules[0].bg_office",
        5,
        'quotes: bg_office = "12345"',
    ),
    (TEAM + "[[case_rules]]\nbg_office = 1234\n", "case_rules[0].bg_office", 5, '"01234"'),
    (TEAM + '[[case_rules]]\nbg_office = "１２３４５"\n', "case_rules[0].bg_office", 5, "5-digit"),
    (TEAM + "[[case_rules]]\nbg_office = true\n", "case_rules[0].bg_office", 5, "5-digit"),
    (T + "[teams]\na = 5\n", "teams.a", 3, "URL string"),
    (T + '[teams]\na = ["file:///a/"]\n', "teams.a", 3, "URL string"),
    (T + 'teams = "file:///a/"\n', "teams", 2, "table of team id"),
    (T + "case_rules = [1, 2]\n", "case_rules[0]", 2, "must be a table"),
    (T + "[case_rules]\nbg_office = 1\n", "case_rules", 2, "array of tables"),
    (
        TEAM + '[[case_rules]]\nbg_office = "12345"\nleistung = ["a"]\n',
        "case_rules[0].leistung",
        6,
        "team id",
    ),
    (TEAM + "[shared_teams]\nbut = 5\n", "shared_teams.but", 5, "team id"),
    (T + 'shared_teams = "a"\n', "shared_teams", 2, "table"),
    (T + "[concerns]\nsick = 5\n", "concerns.sick", 3, "team kind"),
    (T + "[tokens]\nAbCdEfGhIjKlMnOpQr = 12345\n", "tokens.AbCdEfGhIjKlMnOpQr", 3, "in quotes"),
    (T + "[tokens]\nAbCdEfGhIjKlMnOpQr = [1]\n", "tokens.AbCdEfGhIjKlMnOpQr", 3, "in quotes"),
    (T + 'tokens = "x"\n', "tokens", 2, "table of token"),
]


@pytest.mark.parametrize("text,key,line,words", REFUSED, ids=[f"{r[1]}-{r[3]}" for r in REFUSED])
def test_what_the_kiosk_cannot_use_is_a_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, key: str, line: int, words: str
) -> None:
    path = tmp_path / "r.toml"
    path.write_text(text)
    with pytest.raises(InvalidFile) as caught:
        load_routing(path)
    problem = next(p for p in caught.value.problems if p.key == key)
    assert (problem.line, words in problem.message) == (line, True), problem
    assert "s3cret" not in str(caught.value)
    assert main(["config", "check", str(path)]) == 4
    err = capsys.readouterr().err
    assert f"line {line}: {key}: " in err and "Traceback" not in err and "s3cret" not in err


def test_plain_webdav_teams_only_with_the_policy(tmp_path: Path) -> None:
    path = tmp_path / "r.toml"
    path.write_text(T + '[teams]\na = "webdav://dms.local/dav/"\n')
    with pytest.raises(InvalidFile):
        load_routing(path)
    table = load_routing(path, InboxPolicy(allow_plaintext_webdav=True))
    assert table.teams == {"a": "webdav://dms.local/dav/"}


def test_version_1_is_the_table_format(tmp_path: Path) -> None:
    path = tmp_path / "r.toml"
    path.write_text("version = 1\n" + T)
    assert load_routing(path).triage == "file:///t/"


# -- rules an earlier rule shadows: warnings, not errors (first match wins) ---------------

RULE = '[[case_rules]]\n{selector}\nleistung = "a"\n'  # 3 lines each, the first at line 4


def rules(*selectors: str) -> str:
    return TEAM + "".join(RULE.format(selector=s) for s in selectors)


SHADOWED = [
    (
        rules('bg_office = "12345"', 'bg_range = ["12345BG0000001", "12345BG0049999"]'),
        [("case_rules[1]", 7, "case_rules[0] already take every case")],
    ),
    (
        rules(
            'bg_range = ["12345BG0000001", "12345BG0049999"]',
            'bg_range = ["12345BG1", "12345//49999"]',  # the same range, other notation
        ),
        [("case_rules[1]", 7, "never matches")],
    ),
    (
        rules(
            'bg_range = ["12345BG0000001", "12345BG0000100"]',
            'bg_range = ["12345BG0000101", "12345BG0000200"]',
            'bg_range = ["12345BG0000050", "12345BG0000150"]',  # together the first two take it
        ),
        [("case_rules[2]", 10, "case_rules[0], case_rules[1] already take")],
    ),
    (
        rules('cases = ["123A456789", "12345BG7"]', 'cases = ["12345bg0000007", "123a456789"]'),
        [
            ("case_rules[1].cases", 8, "12345BG0000007 is already taken by case_rules[0]"),
            ("case_rules[1].cases", 8, "123A456789 is already taken by case_rules[0]"),
            ("case_rules[1]", 7, "never matches"),
        ],
    ),
    (
        rules('bg_office = "12345"', 'cases = ["12345BG0000007", "123A456789"]'),
        [("case_rules[1].cases", 8, "12345BG0000007 is already taken by case_rules[0]")],
    ),
    (
        rules('bg_office = "12345"', 'bg_office = "12345"'),
        [("case_rules[1]", 7, "never matches")],
    ),
    (  # across two offices: no BG-Nummer ends in 0000000, so nothing is left in between
        rules(
            'bg_office = "12346"',
            'bg_office = "12345"',
            'bg_range = ["12345BG0000001", "12346BG0000001"]',
        ),
        [("case_rules[2]", 10, "case_rules[0], case_rules[1] already take")],
    ),
]


@pytest.mark.parametrize("text,expected", SHADOWED)
def test_rules_that_earlier_rules_shadow_are_warned_of(
    tmp_path: Path, text: str, expected: list[tuple[str, int, str]]
) -> None:
    path = tmp_path / "r.toml"
    path.write_text(text)
    warnings = load_routing(path).warnings
    assert len(warnings) == len(expected), warnings
    for warning, (key, line, words) in zip(warnings, expected, strict=True):
        assert (warning.key, warning.line) == (key, line) and words in warning.message, warning


@pytest.mark.parametrize(
    "text",
    [
        rules('bg_range = ["12345BG0000001", "12345BG0049999"]', 'bg_office = "12345"'),
        rules('bg_office = "12345"', 'bg_office = "12346"'),
        rules(
            'bg_range = ["12345BG0000001", "12345BG0000100"]',
            'bg_range = ["12345BG100", "12345BG200"]',
        ),
        rules('cases = ["123A456789"]', 'cases = ["123A456780"]'),
        rules('bg_office = "12345"', 'cases = ["123A456789"]'),  # a Kundennummer: no office
    ],
)
def test_rules_that_still_match_something_are_not_warned_of(tmp_path: Path, text: str) -> None:
    path = tmp_path / "r.toml"
    path.write_text(text)
    assert load_routing(path).warnings == ()


def test_the_example_has_no_warnings(table) -> None:  # type: ignore[no-untyped-def]
    # its bg_office = "12345" after a narrower range in 12345 still takes the rest of 12345
    assert table.warnings == ()


def test_config_check_prints_warnings_and_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "r.toml"
    path.write_text(SHADOWED[0][0])
    assert main(["config", "check", str(path)]) == 0
    out, err = capsys.readouterr()
    assert "routing table OK (1 teams, 2 rules)" in out
    assert "warning: line 7: case_rules[1]: never matches" in err
    assert main(["config", "check", str(EXAMPLE)]) == 0
    assert "warning" not in capsys.readouterr().err


def test_wrong_types_deep_in_the_table_name_their_key_and_line_all_at_once(
    tmp_path: Path,
) -> None:
    path = tmp_path / "r.toml"
    path.write_text(
        TEAM  # lines 1-3
        + "b = 5\n"  # 4
        + '[shared_teams]\nleistung = "a"\nholiday = "a"\n'  # 5-7
        + '[[case_rules]]\nbg_office = "12345"\nleistung = "a"\n'  # 8-10
        + '[[case_rules]]\ncases = [1, "x", 2]\nvermittlung = 5\n'  # 11-13
        + "[tokens]\nAbCdEfGhIjKlMnOpQr = 5\n"  # 14-15
    )
    with pytest.raises(InvalidFile) as caught:
        load_routing(path)
    assert [(p.key, p.line, p.message.split(" (")[0]) for p in caught.value.problems] == [
        ("teams.b", 4, "must be a URL string"),
        ("shared_teams.holiday", 7, "unknown team kind 'holiday'"),
        ("case_rules[1].cases", 12, 'case numbers go in quotes, e.g. cases = ["123A456789"]'),
        ("case_rules[1].cases", 12, "'x' is not a case number"),  # the other items still count
        ("case_rules[1].vermittlung", 13, "must be a team id from [teams], in quotes"),
        ("tokens.AbCdEfGhIjKlMnOpQr", 15, 'must be a case number in quotes, e.g. "123A456789"'),
    ]


def test_table_keys_are_the_files_keys() -> None:
    # `kiosk config check` tells a routing table from a configuration by them
    assert set(TABLE_KEYS) == {
        "version", "triage", "teams", "shared_teams", "concerns", "case_rules", "tokens",
        "max_bytes",
    }  # fmt: skip
