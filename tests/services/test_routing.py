"""Routing: case + concern -> inbox URL, with triage as the floor; table validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.core.identity import parse_case_number
from kiosk.services.routing import REASON_NO_TEAM, REASON_UNKNOWN_CASE, load_routing
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
    route = table.route(parse_case_number(case), concern)
    assert (route.team, route.reason) == (team, None)
    assert route.url == table.teams[team]


def test_an_unknown_case_goes_to_triage_not_nowhere(table) -> None:  # type: ignore[no-untyped-def]
    route = table.route(parse_case_number("99999BG0000001"), "renewal")
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
    route = load_routing(path).route(parse_case_number("12345BG1"), "sick")
    assert (route.url, route.reason) == ("file:///t/", REASON_NO_TEAM)


def test_concern_overrides_change_the_team_kind(tmp_path: Path) -> None:
    path = tmp_path / "r.toml"
    path.write_text(
        'triage = "file:///t/"\n[teams]\na = "file:///a/"\nb = "file:///b/"\n'
        '[concerns]\nsick = "leistung"\n'
        '[[case_rules]]\nbg_office = "12345"\nleistung = "a"\nvermittlung = "b"\n'
    )
    assert load_routing(path).route(parse_case_number("12345BG1"), "sick").team == "a"


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
