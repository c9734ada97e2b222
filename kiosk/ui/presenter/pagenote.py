"""What the page pipeline found about a page, as the review screen tells it (no Qt)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Pillow and the page pipeline stay off the start screen's first paint
    from kiosk.services.pages.imaging import PageReport

# Readability problems in the order the client is told of them (one at a time).
PROBLEMS = ("dark", "blurred", "cut_edge")


class Ask(StrEnum):
    """The question a page's tile asks until the client answers it."""

    KEEP_BLANK = "keep_blank"  # "Page 4 seems empty. Keep it?" Keep / Remove
    RESCAN = "rescan"  # "Page 2 is hard to read (too dark). Scan this sheet again?"


@dataclass(frozen=True)
class PageNote:
    """What the page pipeline found about one page, as the review screen tells it."""

    blank: bool = False  # flagged: the page seems empty (shown, also once kept)
    problem: str | None = None  # the first readability problem: "dark", "blurred", "cut_edge"
    turned: bool = False  # the pipeline turned it upright (the client can still turn it)
    ask: Ask | None = None  # the open question; None once answered (or nothing to ask)


def note_for(report: PageReport | None, answered: bool) -> PageNote:
    if report is None:
        return PageNote()
    problem = next((p for p in PROBLEMS if p in report.problems), None)
    ask = None
    if not answered:
        ask = Ask.KEEP_BLANK if report.blank else (Ask.RESCAN if problem else None)
    return PageNote(report.blank, problem, report.rotation % 360 != 0, ask)
