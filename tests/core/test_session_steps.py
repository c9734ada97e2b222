"""step(): one event in one phase, the whole expected session and commands out."""

from __future__ import annotations

from typing import Any
from unittest.mock import ANY

import pytest

from kiosk.core import events as ev
from kiosk.core import identity
from kiosk.core.concerns import concern_by_key
from kiosk.core.events import DiscardPages, PageRef, StartScan, Submit, Wipe
from kiosk.core.records import replace
from kiosk.core.session import Deleted, Phase, Session, step
from tests.core.states import CASE, NOT_OFFERED, P1, P2, P3, RECEIPT, SICK, STATES, T0, T1, fresh

UNCHANGED = object()  # the event means nothing here: the very same session, no commands


def act(**changes: Any) -> dict[str, Any]:
    """A client action: the inactivity clock restarts and any warning is cleared."""
    return {"last_activity": T1, "warned": False, **changes}


# (start state, event, expected session: changes to the start | a fresh session | UNCHANGED,
#  expected commands)
ROWS: list[tuple[str, ev.Event, Any, tuple[Any, ...]]] = [
    ("idle", ev.Touched(at=T1), act(phase=Phase.LANGUAGE), ()),
    (
        "language",
        ev.LanguageChosen(at=T1, language="uk"),
        act(phase=Phase.IDENTIFY, language="uk"),
        (),
    ),
    (
        "identify",
        ev.CaseEntered(at=T1, raw="12345 // 12345"),
        act(phase=Phase.CONFIRM, case=CASE),
        (),
    ),
    ("identify", ev.CaseRead(at=T1, case=CASE), act(phase=Phase.CONFIRM, case=CASE), ()),
    (
        "identify-after-bad-entry",
        ev.CaseRead(at=T1, case=CASE),
        act(phase=Phase.CONFIRM, case=CASE, identify_error=None),
        (),
    ),
    (
        "identify-after-bad-entry",
        ev.CaseEntered(at=T1, raw="12345bg0012345"),
        act(phase=Phase.CONFIRM, case=CASE, identify_error=None),
        (),
    ),
    (
        "identify",
        ev.CaseEntered(at=T1, raw="12345BG0000000"),
        act(identify_error=identity.REASON_BG_ZERO),
        (),
    ),
    ("identify", ev.CaseEntered(at=T1, raw=""), act(identify_error=identity.REASON_EMPTY), ()),
    (
        "identify",
        ev.CaseEntered(at=T1, raw="x" * 10_000),
        act(identify_error=identity.REASON_TOO_LONG),
        (),
    ),
    (
        "identify-holding-case",
        ev.CaseEntered(at=T1, raw="123A45678"),
        act(case=None, identify_error=identity.REASON_SHAPE),
        (),
    ),
    ("confirm", ev.CaseConfirmed(at=T1), act(phase=Phase.CONCERN), ()),
    ("confirm", ev.CaseRejected(at=T1), act(phase=Phase.IDENTIFY, case=None), ()),
    (
        "concern",
        ev.ConcernChosen(at=T1, concern=concern_by_key("objection")),
        act(phase=Phase.SCAN, concern=concern_by_key("objection")),
        (),
    ),
    *(("concern", ev.ConcernChosen(at=T1, concern=c), UNCHANGED, ()) for c in NOT_OFFERED),
    ("scan-empty", ev.ScanRequested(at=T1), act(scanning=True), (StartScan(),)),
    (
        "scan-with-pages",
        ev.ScanRequested(at=T1),
        act(scanning=True, scan_problem=None),
        (StartScan(),),
    ),
    ("scanning", ev.ScanRequested(at=T1), UNCHANGED, ()),  # never two scans at once
    ("scanning", ev.PageScanned(at=T1, page=P3), act(pages=(P3,)), ()),
    ("scanning-with-pages", ev.PageScanned(at=T1, page=P3), act(pages=(P1, P3)), ()),
    # a late page after a stop is not kept, and its image is dropped from the page store
    ("scan-empty", ev.PageScanned(at=T1, page=P3), UNCHANGED, (DiscardPages((P3.page_id,)),)),
    ("scanning-with-pages", ev.ScanFinished(at=T1), act(phase=Phase.REVIEW, scanning=False), ()),
    # nothing came: stay, and tell the client why
    ("scanning", ev.ScanFinished(at=T1), act(scanning=False, scan_problem="no_paper"), ()),
    (
        "scanning-with-pages",
        ev.ScanFailed(at=T1, fault="jammed"),
        act(scanning=False, scan_problem="jammed"),
        (),
    ),
    (
        "scanning",
        ev.ScanFailed(at=T1, fault="no_paper"),
        act(scanning=False, scan_problem="no_paper"),
        (),
    ),
    ("scan-empty", ev.ScanFailed(at=T1, fault="jammed"), UNCHANGED, ()),  # no scan running
    # A deleted page waits, restorable, until the document is sent (issue 11).
    (
        "review",
        ev.PageDeleted(at=T1, page_id="p1"),
        act(pages=(P2,), deleted=(Deleted(P1, 0),)),
        (),
    ),
    (
        "review-one-page",
        ev.PageDeleted(at=T1, page_id="p1"),
        act(pages=(), deleted=(Deleted(P1, 0),)),  # stays on review: "Undo" is there
        (),
    ),
    (
        "scan-with-pages",
        ev.PageDeleted(at=T1, page_id="p2"),
        act(pages=(P1,), deleted=(Deleted(P2, 1),)),
        (),
    ),
    ("review", ev.PageRestored(at=T1), UNCHANGED, ()),  # nothing deleted: nothing to undo
    (
        "review-after-delete",
        ev.PageRestored(at=T1),
        act(pages=(P1, P2), deleted=()),
        (),
    ),
    (
        "review-after-delete",
        ev.SendRequested(at=T1),
        act(phase=Phase.SEND, deleted=()),
        (DiscardPages(("p1",)), Submit(CASE, SICK, (P2,))),
    ),
    ("review", ev.PageDeleted(at=T1, page_id="p9"), UNCHANGED, ()),
    ("review", ev.PageRotated(at=T1, page_id="p1"), act(pages=(PageRef("p1", 90), P2)), ()),
    ("review", ev.PageRotated(at=T1, page_id="p2"), act(pages=(P1, PageRef("p2", 180))), ()),
    ("review", ev.MorePagesRequested(at=T1), act(phase=Phase.SCAN), ()),
    ("review", ev.ScanRequested(at=T1), UNCHANGED, ()),  # "more pages" first
    ("review", ev.SendRequested(at=T1), act(phase=Phase.SEND), (Submit(CASE, SICK, (P1, P2)),)),
    (
        "scan-with-pages",
        ev.SendRequested(at=T1),
        act(phase=Phase.SEND),
        (Submit(CASE, SICK, (P1, P2)),),
    ),
    ("scan-empty", ev.SendRequested(at=T1), UNCHANGED, ()),  # nothing to send
    ("scanning-with-pages", ev.SendRequested(at=T1), UNCHANGED, ()),  # not mid-scan
    (
        "send",
        ev.Submitted(at=T1, receipt=RECEIPT),
        Session(phase=Phase.RECEIPT, language="tr", receipt=RECEIPT, last_activity=T1),
        (Wipe(),),
    ),
    (
        "send",
        ev.SubmitFailed(at=T1, error="spool full"),
        Session(phase=Phase.ERROR, error=ANY, last_activity=T1),
        (Wipe(),),
    ),
    ("send", ev.SendRequested(at=T1), UNCHANGED, ()),  # no second Submit
    ("receipt", ev.Finished(at=T1), fresh(), (Wipe(),)),
    ("receipt", ev.Touched(at=T1), act(), ()),
    ("error", ev.Touched(at=T1), fresh(), (Wipe(),)),
    ("error", ev.Finished(at=T1), fresh(), (Wipe(),)),
    ("out-of-order", ev.BackInOrder(at=T1), fresh(), ()),
    ("review", ev.BackInOrder(at=T1), UNCHANGED, ()),
    ("idle", ev.Finished(at=T1), UNCHANGED, ()),
    ("idle", ev.CaseConfirmed(at=T1), UNCHANGED, ()),
    ("confirm", ev.ConcernChosen(at=T1, concern=SICK), UNCHANGED, ()),  # no skipping
    ("concern", ev.ScanRequested(at=T1), UNCHANGED, ()),
]

EXTRA = {
    "identify-holding-case": replace(STATES["identify"], case=CASE),
    "review-after-delete": replace(STATES["review"], pages=(P2,), deleted=(Deleted(P1, 0),)),
}


def _row_id(row: tuple[str, ev.Event, Any, tuple[Any, ...]]) -> str:
    name, event, _, _ = row
    fields: dict[type[ev.Event], str] = {
        ev.CaseEntered: "raw",
        ev.CaseRead: "at",
        ev.ConcernChosen: "concern",
        ev.PageDeleted: "page_id",
        ev.PageRotated: "page_id",
        ev.ScanFailed: "fault",
    }
    detail = fields.get(type(event))
    suffix = f"({str(getattr(event, detail))[:16]!r})" if detail else ""
    return f"{name}-{type(event).__name__}{suffix}"


@pytest.mark.parametrize(
    ("name", "event", "expected", "commands"), ROWS, ids=[_row_id(r) for r in ROWS]
)
def test_step(name: str, event: ev.Event, expected: Any, commands: tuple[Any, ...]) -> None:
    start = EXTRA.get(name) or STATES[name]
    session, emitted = step(start, event)
    if expected is UNCHANGED:
        assert session == start
    elif isinstance(expected, Session):
        assert session == expected
    else:
        assert session == replace(start, **expected)
    assert emitted == commands


def test_submit_failure_still_tells_the_client_what_went_wrong() -> None:
    session, _ = step(STATES["send"], ev.SubmitFailed(at=T1, error="spool full"))
    assert session.error  # the error screen needs a message key


@pytest.mark.parametrize("start", [0, 90, 180, 270])
def test_rotation_cycles_through_quarter_turns(start: int) -> None:
    session = replace(STATES["review"], pages=(PageRef("p1", start),))
    seen = []
    for i in range(4):
        session, commands = step(session, ev.PageRotated(at=T1 + i, page_id="p1"))
        assert commands == ()
        seen.append(session.pages[0].rotation)
    assert seen == [(start + 90 * k) % 360 for k in range(1, 5)]
    assert seen[-1] == start


def test_more_pages_after_review_then_scanning_appends_after_the_kept_pages() -> None:
    session, _ = step(STATES["review"], ev.MorePagesRequested(at=T1))
    session, commands = step(session, ev.ScanRequested(at=T1 + 1))
    assert commands == (StartScan(),)
    session, _ = step(session, ev.PageScanned(at=T1 + 2, page=P3))
    session, _ = step(session, ev.ScanFinished(at=T1 + 3))
    assert (session.phase, session.pages) == (Phase.REVIEW, (P1, P2, P3))


HAPPY_PATH: list[tuple[ev.Event, Phase, tuple[Any, ...]]] = [
    (ev.Touched(at=1), Phase.LANGUAGE, ()),
    (ev.LanguageChosen(at=2, language="ar"), Phase.IDENTIFY, ()),
    (ev.CaseEntered(at=3, raw="12345 // 12345"), Phase.CONFIRM, ()),
    (ev.CaseConfirmed(at=4), Phase.CONCERN, ()),
    (ev.ConcernChosen(at=5, concern=SICK), Phase.SCAN, ()),
    (ev.ScanRequested(at=6), Phase.SCAN, (StartScan(),)),
    (ev.PageScanned(at=7, page=P1), Phase.SCAN, ()),
    (ev.PageScanned(at=8, page=PageRef("p2")), Phase.SCAN, ()),
    (ev.ScanFinished(at=9), Phase.REVIEW, ()),
    (ev.PageRotated(at=10, page_id="p2"), Phase.REVIEW, ()),
    (ev.SendRequested(at=11), Phase.SEND, (Submit(CASE, SICK, (P1, PageRef("p2", 90))),)),
    (ev.Submitted(at=12, receipt=RECEIPT), Phase.RECEIPT, (Wipe(),)),
    (ev.Finished(at=13), Phase.IDLE, (Wipe(),)),
]


def test_happy_path_from_idle_to_receipt_and_back() -> None:
    session = Session()
    for event, phase, commands in HAPPY_PATH:
        session, emitted = step(session, event)
        assert (session.phase, emitted) == (phase, commands), type(event).__name__
        assert session.language == ("de" if phase in (Phase.IDLE, Phase.LANGUAGE) else "ar")
        if phase is Phase.RECEIPT:
            assert session.receipt == RECEIPT
            assert (session.case, session.pages, session.concern) == (None, (), None)
    assert session == Session(last_activity=13)  # the next client finds a fresh kiosk


def test_named_states_start_from_t0() -> None:
    """Guard for the tables above: they rely on every named state's clock being T0."""
    assert {s.last_activity for s in STATES.values()} == {T0}
