"""[max_bytes] in the routing table: each inbox's size limit, validated like its other keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.core.concerns import concern_by_key
from kiosk.core.identity import parse_case_number
from kiosk.services.routing.table import load_routing
from kiosk.services.tomlfile import InvalidFile

EXAMPLE = Path(__file__).resolve().parents[2] / "deploy" / "routing.example.toml"
TABLE = """triage = "file:///t/"
[teams]
a = "file:///a/"
[shared_teams]
forderung = "a"
"""  # lines 1-5


def routed(tmp_path: Path, text: str, case: str = "12345BG0012345", concern: str = "repayment"):  # type: ignore[no-untyped-def]
    path = tmp_path / "r.toml"
    path.write_text(text)
    return load_routing(path).route(parse_case_number(case), concern_by_key(concern))


def test_a_route_carries_its_inbox_limit(tmp_path: Path) -> None:
    route = routed(tmp_path, TABLE + "[max_bytes]\na = 10_000_000\ntriage = 200_000\n")
    assert (route.team, route.max_bytes) == ("a", 10_000_000)
    triage = routed(tmp_path, TABLE + "[max_bytes]\ntriage = 200_000\n", concern="sick")
    assert (triage.team, triage.max_bytes) == ("triage", 200_000)


def test_no_limit_unless_the_table_says_so(tmp_path: Path) -> None:
    assert routed(tmp_path, TABLE).max_bytes is None


def test_the_example_limits_one_inbox() -> None:
    table = load_routing(EXAMPLE)
    case = parse_case_number("12345BG0012345")
    assert table.route(case, concern_by_key("repayment")).max_bytes == 10_000_000
    assert table.route(case, concern_by_key("sick")).max_bytes is None


BROKEN = [
    ("[max_bytes]\nb = 10_000_000\n", "max_bytes.b", 7, "neither triage nor a team"),
    ("[max_bytes]\na = 99_999\n", "max_bytes.a", 7, "at least 100000"),
    ("[max_bytes]\na = -1\n", "max_bytes.a", 7, "at least 100000"),
    ('[max_bytes]\na = "10 MB"\n', "max_bytes.a", 7, "whole number of bytes"),
    ("[max_bytes]\na = 1.5e7\n", "max_bytes.a", 7, "whole number of bytes"),
    ("[max_bytes]\na = true\n", "max_bytes.a", 7, "whole number of bytes"),
    ('max_bytes = "a"\n', "max_bytes", 1, "table of team id = bytes"),  # put first
]


@pytest.mark.parametrize("text,key,line,words", BROKEN, ids=[f"{b[1]}-{b[3]}" for b in BROKEN])
def test_a_bad_limit_names_key_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, key: str, line: int, words: str
) -> None:
    path = tmp_path / "r.toml"
    path.write_text(text + TABLE if text.startswith("max_bytes =") else TABLE + text)
    with pytest.raises(InvalidFile) as caught:
        load_routing(path)
    problem = next(p for p in caught.value.problems if p.key == key)
    assert (problem.line, words in problem.message) == (line, True), problem
    assert main(["config", "check", str(path)]) == 4
    assert f"line {line}: {key}: " in capsys.readouterr().err
