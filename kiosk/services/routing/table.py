"""Case + concern -> the inbox URL of the team that handles it; unknown goes to triage.

The table is data the job centre owns (see deploy/routing.example.toml): which teams
serve which cases, and which kind of team handles which concern.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.core.cards import TOKEN_PATTERN
from kiosk.core.concerns import CONCERN_KEYS, TeamKind, concern_by_key
from kiosk.core.identity import CaseKind, CaseNumber, InvalidCaseNumber, parse_case_number
from kiosk.services.channels.address import STRICT, InboxPolicy, inbox_problem
from kiosk.services.tomlfile import KeyPath, Problem, TomlFile

VERSION = 1  # the table format this kiosk reads
TABLE_KEYS = ("version", "triage", "teams", "shared_teams", "concerns", "case_rules", "tokens")
_KINDS = tuple(k.value for k in TeamKind)
_SELECTORS = ("cases", "bg_office", "bg_range")
_OFFICE = re.compile(r"[0-9]{5}")

REASON_UNKNOWN_CASE = "unknown_case"
REASON_NO_TEAM = "no_team_for_kind"


@dataclass(frozen=True, slots=True)
class Route:
    url: str
    team: str  # team id, or "triage"
    reason: str | None = None  # why it went to triage


@dataclass(frozen=True, slots=True)
class CaseRule:
    teams: Mapping[str, str]  # team kind -> team id
    cases: frozenset[str] = frozenset()
    bg_office: str | None = None
    bg_range: tuple[str, str] | None = None

    def matches(self, case: CaseNumber) -> bool:
        if case.value in self.cases:
            return True
        if case.kind is not CaseKind.BG_NUMMER:
            return False
        if self.bg_office is not None and case.value.startswith(self.bg_office + "BG"):
            return True
        return self.bg_range is not None and self.bg_range[0] <= case.value <= self.bg_range[1]


@dataclass(frozen=True, slots=True)
class RoutingTable:
    triage: str
    teams: Mapping[str, str]  # team id -> inbox URL
    rules: tuple[CaseRule, ...] = ()
    shared: Mapping[str, str] | None = None  # team kind -> team id, for every case
    concern_kinds: Mapping[str, str] | None = None  # overrides of kiosk.core.concerns
    tokens: Mapping[str, CaseNumber] | None = None  # opaque card token -> case
    # valid, but likely not meant (a rule that never matches); `kiosk config check` shows them
    warnings: tuple[Problem, ...] = field(default=(), compare=False)

    def case_for_token(self, token: str) -> CaseNumber | None:
        """The case an opaque customer-card token stands for (revocable: drop the line)."""
        return (self.tokens or {}).get(token)

    def route(self, case: CaseNumber, concern: str) -> Route:
        kind = (self.concern_kinds or {}).get(concern) or concern_by_key(concern).team_kind.value
        rule = next((r for r in self.rules if r.matches(case)), None)
        team = (rule.teams.get(kind) if rule else None) or (self.shared or {}).get(kind)
        if team is None:
            reason = REASON_UNKNOWN_CASE if rule is None else REASON_NO_TEAM
            return Route(self.triage, "triage", reason)
        return Route(self.teams[team], team)


def load_routing(path: Path, policy: InboxPolicy = STRICT) -> RoutingTable:
    """Read and validate a routing table; raises InvalidFile naming key and line.

    ``policy``: what the kiosk's [delivery] allows (``KioskConfig.inbox_policy``). What is
    valid but likely not meant (a rule that never matches) is in ``warnings``.
    """
    file = TomlFile.read(path)
    table = parse_routing(file.data, file, policy)
    file.raise_if_problems()
    assert table is not None
    return table


def parse_routing(
    data: Mapping[str, Any], file: TomlFile, policy: InboxPolicy = STRICT
) -> RoutingTable | None:
    for key in data:
        if key not in TABLE_KEYS:
            file.problem((key,), f"unknown key (expected one of {', '.join(sorted(TABLE_KEYS))})")
    _version(data, file)
    triage = data.get("triage")
    if triage is None:
        file.problem(("triage",), "missing: every table needs a triage inbox")
    elif (why := inbox_problem(triage, policy)) is not None:
        file.problem(("triage",), why)
    teams = _teams(data.get("teams", {}), file, policy)
    shared = _kind_map(data.get("shared_teams", {}), ("shared_teams",), teams, file)
    concern_kinds = _concerns(data.get("concerns", {}), file)
    rules = _rules(data.get("case_rules", []), teams, file)
    tokens = _tokens(data.get("tokens", {}), file)
    if file.problems or not isinstance(triage, str):
        return None
    _warn_shadowed(rules, file)
    return RoutingTable(
        triage,
        teams,
        tuple(rule for _, rule in rules),
        shared,
        concern_kinds,
        tokens,
        tuple(file.warnings),
    )


def _version(data: Mapping[str, Any], file: TomlFile) -> None:
    if "version" not in data:
        return
    version = data["version"]
    if isinstance(version, bool) or not isinstance(version, int):
        file.problem(("version",), f"must be the whole number {VERSION} (the table format)")
    elif version != VERSION:
        shown = version if abs(version) < 10**6 else "this"
        file.problem(
            ("version",),
            f"version {shown} is unknown: this kiosk reads version {VERSION} tables "
            "(update the kiosk, or write the table for version 1)",
        )


def _shown(text: str) -> str:
    """A value from the file, quoted and bounded, for a message."""
    return repr(text if len(text) <= 40 else text[:40] + "...")


def _teams(raw: Any, file: TomlFile, policy: InboxPolicy) -> dict[str, str]:
    if not isinstance(raw, dict):
        file.problem(("teams",), "must be a table of team id = inbox URL")
        return {}
    for team, url in raw.items():
        if (why := inbox_problem(url, policy)) is not None:
            file.problem(("teams", team), why)
    # every name counts for references from rules, even one whose URL is a problem
    return {team: url if isinstance(url, str) else "" for team, url in raw.items()}


def _concerns(raw: Any, file: TomlFile) -> dict[str, str]:
    if not isinstance(raw, dict):
        file.problem(("concerns",), "must be a table of concern = team kind")
        return {}
    for concern, kind in raw.items():
        if concern not in CONCERN_KEYS:
            file.problem(
                ("concerns", concern), f"unknown concern (one of {', '.join(CONCERN_KEYS)})"
            )
        if not isinstance(kind, str) or kind not in _KINDS:
            shown = _shown(kind) + " " if isinstance(kind, str) else ""
            file.problem(
                ("concerns", concern), f"unknown team kind {shown}(one of {', '.join(_KINDS)})"
            )
    return {concern: kind for concern, kind in raw.items() if isinstance(kind, str)}


def _tokens(raw: Any, file: TomlFile) -> dict[str, CaseNumber]:
    found: dict[str, CaseNumber] = {}
    if not isinstance(raw, dict):
        file.problem(("tokens",), "must be a table of token = case number")
        return found
    for token, number in raw.items():
        if not TOKEN_PATTERN.fullmatch(token):
            file.problem(("tokens", token), "a token is 16-128 letters, digits, - or _")
        elif not isinstance(number, str):
            file.problem(("tokens", token), 'must be a case number in quotes, e.g. "123A456789"')
        else:
            try:
                found[token] = parse_case_number(number)
            except InvalidCaseNumber:
                file.problem(("tokens", token), f"{_shown(number)} is not a case number")
    return found


def _kind_map(raw: Any, where: KeyPath, teams: Mapping[str, str], file: TomlFile) -> dict[str, str]:
    found: dict[str, str] = {}
    if not isinstance(raw, dict):
        file.problem(where, "must be a table of team kind = team id")
        return found
    for kind, team in raw.items():
        if kind not in _KINDS:
            file.problem((*where, kind), f"unknown team kind (one of {', '.join(_KINDS)})")
        elif not isinstance(team, str):
            file.problem((*where, kind), "must be a team id from [teams], in quotes")
        elif team not in teams:
            file.problem((*where, kind), f"team {_shown(team)} is not listed under [teams]")
        else:
            found[kind] = team
    return found


def _rules(raw: Any, teams: Mapping[str, str], file: TomlFile) -> list[tuple[int, CaseRule]]:
    if not isinstance(raw, list):
        file.problem(("case_rules",), "must be an array of tables ([[case_rules]])")
        return []
    rules = []
    for index, item in enumerate(raw):
        rule = _rule(item, ("case_rules", index), teams, file)
        if rule is not None:
            rules.append((index, rule))
    return rules


def _rule(raw: Any, where: KeyPath, teams: Mapping[str, str], file: TomlFile) -> CaseRule | None:
    if not isinstance(raw, dict):
        file.problem(where, "must be a table ([[case_rules]])")
        return None
    kinds = {k: v for k, v in raw.items() if k not in _SELECTORS}
    team_map = _kind_map(kinds, where, teams, file)
    cases = _cases(raw["cases"], (*where, "cases"), file) if "cases" in raw else frozenset()
    office = _office(raw["bg_office"], (*where, "bg_office"), file) if "bg_office" in raw else None
    bg_range = _range(raw["bg_range"], (*where, "bg_range"), file) if "bg_range" in raw else None
    if not any(key in raw for key in _SELECTORS):
        file.problem(where, "a rule needs cases, bg_office or bg_range")
    elif raw.get("cases") == [] and "bg_office" not in raw and "bg_range" not in raw:
        file.problem((*where, "cases"), "is empty: list the case numbers this rule is for")
    return CaseRule(team_map, cases, office, bg_range)


def _cases(raw: Any, where: KeyPath, file: TomlFile) -> frozenset[str]:
    if not isinstance(raw, list):
        file.problem(where, 'must be a list of case numbers, e.g. cases = ["123A456789"]')
        return frozenset()
    found: set[str] = set()
    for number in raw:
        if not isinstance(number, str):
            file.problem(where, 'case numbers go in quotes, e.g. cases = ["123A456789"]')
            continue
        try:
            found.add(parse_case_number(number).value)
        except InvalidCaseNumber:
            file.problem(where, f"{_shown(number)} is not a case number")
    return frozenset(found)


def _office(raw: Any, where: KeyPath, file: TomlFile) -> str | None:
    if isinstance(raw, int) and not isinstance(raw, bool) and 0 <= raw <= 99999:
        file.problem(where, f'write the office in quotes: bg_office = "{raw:05d}"')
    elif not (isinstance(raw, str) and _OFFICE.fullmatch(raw)):
        file.problem(where, 'must be the 5-digit office part of a BG-Nummer, e.g. "12345"')
    else:
        return raw
    return None


def _range(raw: Any, where: KeyPath, file: TomlFile) -> tuple[str, str] | None:
    if not (isinstance(raw, list) and len(raw) == 2):
        file.problem(where, 'must be [first, last], e.g. ["12345BG0000001", "12345BG0049999"]')
        return None
    if not all(isinstance(bound, str) for bound in raw):
        file.problem(where, "must be [first, last] as BG-Nummern in quotes")
        return None
    low, high = (_canonical_bg(bound, where, file) for bound in raw)
    if low is None or high is None:
        return None
    if low > high:
        file.problem(where, "first is after last: the range never matches (write [first, last])")
        return None
    return low, high


def _canonical_bg(value: str, where: KeyPath, file: TomlFile) -> str | None:
    try:
        case = parse_case_number(value)
    except InvalidCaseNumber:
        case = None
    if case is None or case.kind is not CaseKind.BG_NUMMER:
        file.problem(where, f"{_shown(value)} is not a BG-Nummer")
        return None
    return case.value


# -- rules that an earlier rule shadows (first match wins) -------------------------------

# BG-Nummern as numbers without gaps (serial 0 does not exist): office * _SERIALS + serial - 1
_SERIALS = 9_999_999
Span = tuple[int, int]


def _bg_number(value: str) -> int:
    return int(value[:5]) * _SERIALS + int(value[7:]) - 1


def _selection(rule: CaseRule) -> tuple[list[Span], frozenset[str]]:
    """The BG-Nummern (as spans) and the other case numbers a rule selects."""
    spans = [(_bg_number(v), _bg_number(v)) for v in rule.cases if v[5:7] == "BG"]
    if rule.bg_office is not None:
        base = int(rule.bg_office) * _SERIALS
        spans.append((base, base + _SERIALS - 1))
    if rule.bg_range is not None:
        spans.append((_bg_number(rule.bg_range[0]), _bg_number(rule.bg_range[1])))
    return spans, frozenset(v for v in rule.cases if v[5:7] != "BG")


def _merged(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for low, high in sorted(spans):
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


def _overlaps(one: list[Span], other: list[Span]) -> bool:
    return any(a <= d and c <= b for a, b in one for c, d in other)


def _warn_shadowed(rules: list[tuple[int, CaseRule]], file: TomlFile) -> None:
    """Warn of cases, and whole rules, that earlier rules already take: valid, but the
    team named here never gets them."""
    earlier: list[tuple[int, list[Span], frozenset[str]]] = []
    for index, rule in rules:
        where: KeyPath = ("case_rules", index)
        spans, others = _selection(rule)
        for value in sorted(rule.cases):
            case = parse_case_number(value)
            taker = next((j for j, rule_j in rules[: len(earlier)] if rule_j.matches(case)), None)
            if taker is not None:
                message = f"{value} is already taken by case_rules[{taker}] (first match wins)"
                file.warning((*where, "cases"), message)
        covered = _merged([span for _, taken, _ in earlier for span in taken])
        every = frozenset().union(*(taken for _, _, taken in earlier))
        inside = all(any(a <= low and high <= b for a, b in covered) for low, high in spans)
        if earlier and inside and others <= every:
            takers = [
                f"case_rules[{j}]"
                for j, taken, taken_others in earlier
                if _overlaps(taken, spans) or taken_others & others
            ]
            file.warning(
                where,
                f"never matches: {', '.join(takers)} already take every case it selects "
                "(first match wins): move it up or remove it",
            )
        earlier.append((index, spans, others))
