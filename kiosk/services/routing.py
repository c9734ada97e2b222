"""Case + concern -> the inbox URL of the team that handles it; unknown goes to triage.

The table is data the job centre owns (see deploy/routing.example.toml): which teams
serve which cases, and which kind of team handles which concern.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from kiosk.core.cards import TOKEN_PATTERN
from kiosk.core.concerns import CONCERN_KEYS, TeamKind, concern_by_key
from kiosk.core.identity import CaseKind, CaseNumber, InvalidCaseNumber, parse_case_number
from kiosk.services.tomlfile import KeyPath, TomlFile

INBOX_SCHEMES = ("file", "https", "webdav", "webdavs", "smtp")
_KINDS = tuple(k.value for k in TeamKind)

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


def check_inbox_url(url: object) -> str | None:
    """Why ``url`` is not a usable inbox address, or None."""
    if not isinstance(url, str) or not url:
        return "must be a URL string"
    parts = urlsplit(url)
    if parts.scheme not in INBOX_SCHEMES:
        return f"scheme must be one of {', '.join(INBOX_SCHEMES)} (http without TLS is refused)"
    if parts.scheme == "file" and (
        parts.netloc not in ("", "localhost") or not parts.path.startswith("/")
    ):
        return "a file:// inbox needs an absolute path, e.g. file:///srv/scans/team-12/"
    if parts.scheme != "file" and not parts.hostname:
        return "needs a host name"
    return None


def load_routing(path: Path) -> RoutingTable:
    """Read and validate a routing table; raises InvalidFile naming key and line."""
    file = TomlFile.read(path)
    table = parse_routing(file.data, file)
    file.raise_if_problems()
    assert table is not None
    return table


def parse_routing(data: Mapping[str, Any], file: TomlFile) -> RoutingTable | None:
    known = {"version", "triage", "teams", "shared_teams", "concerns", "case_rules", "tokens"}
    for key in data:
        if key not in known:
            file.problem((key,), f"unknown key (expected one of {', '.join(sorted(known))})")
    triage = data.get("triage")
    if triage is None:
        file.problem(("triage",), "missing: every table needs a triage inbox")
    elif (why := check_inbox_url(triage)) is not None:
        file.problem(("triage",), why)
    teams = _mapping(data, "teams", file)
    for team, url in teams.items():
        if (why := check_inbox_url(url)) is not None:
            file.problem(("teams", team), why)
    shared = _kind_map(data.get("shared_teams", {}), ("shared_teams",), teams, file)
    concern_kinds = _mapping(data, "concerns", file)
    for concern, kind in concern_kinds.items():
        if concern not in CONCERN_KEYS:
            file.problem(
                ("concerns", concern), f"unknown concern (one of {', '.join(CONCERN_KEYS)})"
            )
        if kind not in _KINDS:
            file.problem(
                ("concerns", concern), f"unknown team kind {kind!r} (one of {', '.join(_KINDS)})"
            )
    rules = []
    raw_rules = data.get("case_rules", [])
    if not isinstance(raw_rules, list):
        file.problem(("case_rules",), "must be an array of tables ([[case_rules]])")
        raw_rules = []
    for index, raw in enumerate(raw_rules):
        rule = _rule(raw, ("case_rules", index), teams, file)
        if rule is not None:
            rules.append(rule)
    tokens = _tokens(data.get("tokens", {}), file)
    if file.problems or not isinstance(triage, str):
        return None
    return RoutingTable(triage, dict(teams), tuple(rules), shared, dict(concern_kinds), tokens)


def _tokens(raw: Any, file: TomlFile) -> dict[str, CaseNumber]:
    found: dict[str, CaseNumber] = {}
    if not isinstance(raw, dict):
        file.problem(("tokens",), "must be a table of token = case number")
        return found
    for token, number in raw.items():
        if not TOKEN_PATTERN.fullmatch(token):
            file.problem(("tokens", token), "a token is 16-128 letters, digits, - or _")
            continue
        try:
            found[token] = parse_case_number(str(number))
        except InvalidCaseNumber:
            file.problem(("tokens", token), f"{number!r} is not a case number")
    return found


def _mapping(data: Mapping[str, Any], key: str, file: TomlFile) -> dict[str, str]:
    value = data.get(key, {})
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        file.problem((key,), "must be a table of strings")
        return {}
    return value


def _kind_map(raw: Any, where: KeyPath, teams: Mapping[str, str], file: TomlFile) -> dict[str, str]:
    found: dict[str, str] = {}
    if not isinstance(raw, dict):
        file.problem(where, "must be a table")
        return found
    for kind, team in raw.items():
        if kind not in _KINDS:
            file.problem((*where, kind), f"unknown team kind (one of {', '.join(_KINDS)})")
        elif team not in teams:
            file.problem((*where, kind), f"team {team!r} is not listed under [teams]")
        else:
            found[kind] = team
    return found


def _canonical_bg(value: Any, where: KeyPath, file: TomlFile) -> str | None:
    try:
        case = parse_case_number(str(value))
    except InvalidCaseNumber:
        case = None
    if case is None or case.kind is not CaseKind.BG_NUMMER:
        file.problem(where, f"{value!r} is not a BG-Nummer")
        return None
    return case.value


def _rule(raw: Any, where: KeyPath, teams: Mapping[str, str], file: TomlFile) -> CaseRule | None:
    if not isinstance(raw, dict):
        file.problem(where, "must be a table")
        return None
    selectors = {"cases", "bg_office", "bg_range"}
    kinds = {k: v for k, v in raw.items() if k not in selectors}
    team_map = _kind_map(kinds, where, teams, file)
    cases: set[str] = set()
    for number in raw.get("cases", []):
        try:
            cases.add(parse_case_number(str(number)).value)
        except InvalidCaseNumber:
            file.problem((*where, "cases"), f"{number!r} is not a case number")
    office = raw.get("bg_office")
    if office is not None and not (
        isinstance(office, str) and len(office) == 5 and office.isdigit()
    ):
        file.problem((*where, "bg_office"), "must be the 5-digit office part of a BG-Nummer")
    bg_range = None
    if "bg_range" in raw:
        bounds = raw["bg_range"]
        if not (isinstance(bounds, list) and len(bounds) == 2):
            file.problem((*where, "bg_range"), "must be [first, last]")
        else:
            low, high = (_canonical_bg(b, (*where, "bg_range"), file) for b in bounds)
            if low and high:
                bg_range = (low, high)
    if not (cases or office or "bg_range" in raw):
        file.problem(where, "a rule needs cases, bg_office or bg_range")
    return CaseRule(team_map, frozenset(cases), office, bg_range)
