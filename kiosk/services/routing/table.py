"""Case + concern -> the inbox URL of the team that handles it; unknown goes to triage.

The table is data the job centre owns (see deploy/routing.example.toml): which teams
serve which cases, and which kind of team handles which concern.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from msgspec import Meta, Struct

from kiosk.core.cards import TOKEN_PATTERN
from kiosk.core.concerns import CONCERN_KEYS, Concern, TeamKind
from kiosk.core.identity import CaseKind, CaseNumber, InvalidCaseNumber, parse_case_number
from kiosk.services.channels.address import STRICT, InboxPolicy, inbox_problem
from kiosk.services.tomlfile import KeyPath, Problem, TomlFile
from kiosk.services.tomlstruct import convert, problem

VERSION = 1  # the table format this kiosk reads
_KINDS = tuple(k.value for k in TeamKind)

REASON_UNKNOWN_CASE = "unknown_case"
REASON_NO_TEAM = "no_team_for_kind"
TRIAGE = "triage"  # the triage inbox's name in routes and in [max_bytes]
# The smallest size limit an inbox may have: one page scanned at 300 dpi colour still fits.
MIN_MAX_BYTES = 100_000


@dataclass(frozen=True, slots=True)
class Route:
    url: str
    team: str  # team id, or "triage"
    reason: str | None = None  # why it went to triage
    # the most the inbox takes per document (the file, or for smtp:// the whole mail);
    # None: no limit. A larger document is sent in numbered parts (services.submission).
    max_bytes: int | None = None


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
    max_bytes: Mapping[str, int] | None = None  # team id or "triage" -> size limit
    # valid, but likely not meant (a rule that never matches); `kiosk config check` shows them
    warnings: tuple[Problem, ...] = field(default=(), compare=False)

    def case_for_token(self, token: str) -> CaseNumber | None:
        """The case an opaque customer-card token stands for (revocable: drop the line)."""
        return (self.tokens or {}).get(token)

    def route(self, case: CaseNumber, concern: Concern) -> Route:
        kind = (self.concern_kinds or {}).get(concern.key) or concern.team_kind.value
        rule = next((r for r in self.rules if r.matches(case)), None)
        team = (rule.teams.get(kind) if rule else None) or (self.shared or {}).get(kind)
        limits = self.max_bytes or {}
        if team is None:
            reason = REASON_UNKNOWN_CASE if rule is None else REASON_NO_TEAM
            return Route(self.triage, TRIAGE, reason, limits.get(TRIAGE))
        return Route(self.teams[team], team, max_bytes=limits.get(team))


# -- the file: its shape as msgspec Structs (kiosk.services.tomlstruct), in its own words --


def _shown(text: str) -> str:
    """A value from the file, quoted and bounded, for a message."""
    return repr(text if len(text) <= 40 else text[:40] + "...")


def _kind_problem(kind: object) -> str:
    shown = _shown(kind) + " " if isinstance(kind, str) else ""
    return f"unknown team kind {shown}(one of {', '.join(_KINDS)})"


def _office_problem(office: object) -> str:
    if isinstance(office, int) and not isinstance(office, bool) and 0 <= office <= 99999:
        return f'write the office in quotes: bg_office = "{office:05d}"'
    return 'must be the 5-digit office part of a BG-Nummer, e.g. "12345"'


_Version = Annotated[int, problem(f"must be the whole number {VERSION} (the table format)")]
_Inbox = Annotated[str, problem(inbox_problem)]  # the one rule for inbox URLs says what is wrong
_Kind = Annotated[TeamKind, problem(_kind_problem)]
_TeamId = Annotated[str, problem("must be a team id from [teams], in quotes")]
_TeamIds = dict[_Kind, _TeamId]  # [shared_teams], and the team columns of a case rule
_Token = Annotated[
    str,
    Meta(pattern=rf"\A(?:{TOKEN_PATTERN.pattern})\Z"),
    problem("a token is 16-128 letters, digits, - or _"),
]
_MaxBytes = Annotated[
    int,
    Meta(ge=MIN_MAX_BYTES),
    problem(f"must be a whole number of bytes, at least {MIN_MAX_BYTES} (10 MB: 10_000_000)"),
]
_CaseText = Annotated[str, problem('must be a case number in quotes, e.g. "123A456789"')]
_Cases = Annotated[
    list[Annotated[str, problem('case numbers go in quotes, e.g. cases = ["123A456789"]')]],
    problem('must be a list of case numbers, e.g. cases = ["123A456789"]'),
]
_Office = Annotated[str, Meta(pattern=r"\A[0-9]{5}\Z"), problem(_office_problem)]
_Bound = Annotated[str, problem("must be [first, last] as BG-Nummern in quotes")]
_Range = Annotated[
    tuple[_Bound, _Bound],
    problem('must be [first, last], e.g. ["12345BG0000001", "12345BG0049999"]'),
]


class _RuleFile(Struct, frozen=True):
    """A [[case_rules]] table: what it selects. Its other keys are its team columns
    (team kind = team id), read as _TeamIds."""

    cases: _Cases | None = None
    bg_office: _Office | None = None
    bg_range: _Range | None = None


_SELECTORS = _RuleFile.__struct_fields__


class _TableFile(Struct, frozen=True, forbid_unknown_fields=True):
    version: _Version = VERSION
    triage: _Inbox | None = None  # required: _parse says so in its own words
    teams: Annotated[dict[str, _Inbox], problem("must be a table of team id = inbox URL")] = {}
    shared_teams: Annotated[_TeamIds, problem("must be a table of team kind = team id")] = {}
    concerns: Annotated[dict[str, _Kind], problem("must be a table of concern = team kind")] = {}
    case_rules: Annotated[
        list[Annotated[_RuleFile, problem("must be a table ([[case_rules]])")]],
        problem("must be an array of tables ([[case_rules]])"),
    ] = []
    tokens: Annotated[
        dict[_Token, _CaseText], problem("must be a table of token = case number")
    ] = {}
    max_bytes: Annotated[dict[str, _MaxBytes], problem("must be a table of team id = bytes")] = {}


TABLE_KEYS = _TableFile.__struct_fields__


def load_routing(path: Path, policy: InboxPolicy = STRICT) -> RoutingTable:
    """Read and validate a routing table; raises InvalidFile naming key and line.

    ``policy``: what the kiosk's [delivery] allows (``KioskConfig.inbox_policy``). What is
    valid but likely not meant (a rule that never matches) is in ``warnings``.
    """
    file = TomlFile.read(path)
    table = _parse(file, policy)
    file.raise_if_problems()
    assert table is not None
    return table


def _parse(file: TomlFile, policy: InboxPolicy) -> RoutingTable | None:
    found = convert(file, file.data, _TableFile)
    if found is None:
        return None
    if found.version != VERSION:
        shown = found.version if abs(found.version) < 10**6 else "this"
        file.problem(
            ("version",),
            f"version {shown} is unknown: this kiosk reads version {VERSION} tables "
            "(update the kiosk, or write the table for version 1)",
        )
    if found.triage is None:
        if not file.has_problem(("triage",)):
            file.problem(("triage",), "missing: every table needs a triage inbox")
    elif (why := inbox_problem(found.triage, policy)) is not None:
        file.problem(("triage",), why)
    for team, url in found.teams.items():
        if (why := inbox_problem(url, policy)) is not None:
            file.problem(("teams", team), why)
    # every name counts for references from rules, even one whose URL is a problem
    listed = set(_raw(file, "teams", dict))
    shared = _teams_of(found.shared_teams, ("shared_teams",), listed, file)
    for concern in _raw(file, "concerns", dict):  # every one: also one with a bad team kind
        if concern not in CONCERN_KEYS:
            file.problem(
                ("concerns", concern), f"unknown concern (one of {', '.join(CONCERN_KEYS)})"
            )
    rules = _rules(found.case_rules, listed, file)
    tokens = _tokens(found.tokens, file)
    for team in found.max_bytes:
        if team != TRIAGE and team not in listed:
            file.problem(
                ("max_bytes", team), f"{_shown(team)} is neither triage nor a team under [teams]"
            )
    if file.problems or found.triage is None:
        return None
    _warn_shadowed(rules, file)
    return RoutingTable(
        found.triage,
        found.teams,
        tuple(rule for _, rule in rules),
        shared,
        {concern: kind.value for concern, kind in found.concerns.items()},
        tokens,
        found.max_bytes,
        tuple(file.warnings),
    )


def _raw(file: TomlFile, key: str, kind: type[dict[str, Any]] | type[list[Any]]) -> Any:
    """The file's own value of a key, where a value taken out for a problem still counts."""
    value = file.data.get(key)
    return value if isinstance(value, kind) else kind()


def _tokens(raw: Mapping[str, str], file: TomlFile) -> dict[str, CaseNumber]:
    found: dict[str, CaseNumber] = {}
    for token, number in raw.items():
        try:
            found[token] = parse_case_number(number)
        except InvalidCaseNumber:
            file.problem(("tokens", token), f"{_shown(number)} is not a case number")
    return found


def _teams_of(
    columns: Mapping[TeamKind, str], where: KeyPath, listed: set[str], file: TomlFile
) -> dict[str, str]:
    """Team kind -> team id, each team listed under [teams]."""
    found: dict[str, str] = {}
    for kind, team in columns.items():
        if team not in listed:
            file.problem((*where, kind.value), f"team {_shown(team)} is not listed under [teams]")
        else:
            found[kind.value] = team
    return found


def _rules(rules: list[_RuleFile], listed: set[str], file: TomlFile) -> list[tuple[int, CaseRule]]:
    found = []
    for index, (rule, raw) in enumerate(zip(rules, _raw(file, "case_rules", list), strict=False)):
        if not isinstance(raw, dict):
            continue  # named already: not a table
        where: KeyPath = ("case_rules", index)
        columns = {key: value for key, value in raw.items() if key not in _SELECTORS}
        teams = _teams_of(convert(file, columns, _TeamIds, at=where) or {}, where, listed, file)
        cases = _cases(rule.cases or [], where, file)
        bg_range = _range(rule.bg_range, where, file) if rule.bg_range is not None else None
        if not any(key in raw for key in _SELECTORS):
            file.problem(where, "a rule needs cases, bg_office or bg_range")
        elif raw.get("cases") == [] and "bg_office" not in raw and "bg_range" not in raw:
            file.problem((*where, "cases"), "is empty: list the case numbers this rule is for")
        found.append((index, CaseRule(teams, cases, rule.bg_office, bg_range)))
    return found


def _cases(numbers: list[str], where: KeyPath, file: TomlFile) -> frozenset[str]:
    found: set[str] = set()
    for number in numbers:
        try:
            found.add(parse_case_number(number).value)
        except InvalidCaseNumber:
            file.problem((*where, "cases"), f"{_shown(number)} is not a case number")
    return frozenset(found)


def _range(bounds: tuple[str, str], where: KeyPath, file: TomlFile) -> tuple[str, str] | None:
    low, high = (_canonical_bg(bound, (*where, "bg_range"), file) for bound in bounds)
    if low is None or high is None:
        return None
    if low > high:
        message = "first is after last: the range never matches (write [first, last])"
        file.problem((*where, "bg_range"), message)
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
