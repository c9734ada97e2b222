"""What every check yields: an id, PASS / WARN / FAIL, what was found, and what to do."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"


@dataclass(frozen=True, slots=True)
class Check:
    id: str  # e.g. "storage", "delivery:leistung-1"
    status: Status
    detail: str  # what was found (never client data)
    fix: str = ""  # one line: what to do (empty when it passes)


def worst(statuses: list[Status]) -> Status:
    if Status.FAIL in statuses:
        return Status.FAIL
    return Status.WARN if Status.WARN in statuses else Status.PASS
