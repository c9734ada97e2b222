"""Scanning one page again: the new page takes the old one's place, not the end; until it
arrives the old page stays (backing out loses nothing)."""

from __future__ import annotations

from kiosk.core import events as ev
from kiosk.core.events import DiscardPages, PageRef, StartScan
from kiosk.core.records import replace
from kiosk.core.session import Phase, Session, step
from tests.core.states import P1, P2, P3, STATES, T1

P4, P5 = PageRef("p4"), PageRef("p5")


def review_of(*pages: PageRef) -> Session:
    return replace(STATES["review"], pages=pages)


def run(session: Session, *events: ev.Event) -> Session:
    for event in events:
        session, _ = step(session, event)
    return session


def test_rescanning_the_second_page_puts_the_new_scan_second() -> None:
    session, commands = step(review_of(P1, P2, P3), ev.RescanRequested(at=T1, page_id="p2"))
    assert (session.phase, session.pages, session.insert_at) == (Phase.SCAN, (P1, P2, P3), 1)
    assert (session.replacing, commands) == ("p2", ())
    session, commands = step(session, ev.ScanRequested(at=T1))
    assert commands == (StartScan(),)
    session, commands = step(session, ev.PageScanned(at=T1, page=P4))
    assert (session.pages, session.replacing, commands) == (
        (P1, P4, P3),
        None,
        (DiscardPages(("p2",)),),
    )
    session = run(session, ev.ScanFinished(at=T1))
    assert (session.phase, session.pages, session.insert_at) == (Phase.REVIEW, (P1, P4, P3), None)


def test_a_rescan_of_two_sheets_keeps_them_in_feeder_order_in_place() -> None:
    session = run(
        review_of(P1, P2, P3),
        ev.RescanRequested(at=T1, page_id="p1"),
        ev.ScanRequested(at=T1),
        ev.PageScanned(at=T1, page=P4),
        ev.PageScanned(at=T1, page=P5),
        ev.ScanFinished(at=T1),
    )
    assert session.pages == (P4, P5, P2, P3)


def test_a_jam_during_a_rescan_keeps_the_place_for_the_next_try() -> None:
    session = run(
        review_of(P1, P2, P3),
        ev.RescanRequested(at=T1, page_id="p2"),
        ev.ScanRequested(at=T1),
        ev.ScanFailed(at=T1, fault="jammed"),
    )
    assert (session.scan_problem, session.insert_at) == ("jammed", 1)
    session = run(
        session, ev.ScanRequested(at=T1), ev.PageScanned(at=T1, page=P4), ev.ScanFinished(at=T1)
    )
    assert session.pages == (P1, P4, P3)


def test_adding_pages_after_a_rescan_appends_again() -> None:
    session = run(review_of(P1, P2), ev.RescanRequested(at=T1, page_id="p1"))
    session = run(session, ev.ScanRequested(at=T1), ev.PageScanned(at=T1, page=P3))
    session = run(session, ev.ScanFinished(at=T1), ev.MorePagesRequested(at=T1))
    assert session.insert_at is None
    session = run(session, ev.ScanRequested(at=T1), ev.PageScanned(at=T1, page=P4))
    assert session.pages == (P3, P2, P4)


def test_deleting_a_page_before_the_gap_moves_the_gap_with_it() -> None:
    session = run(
        review_of(P1, P2, P3),
        ev.RescanRequested(at=T1, page_id="p3"),  # p3 is replaced, after p2
        ev.PageDeleted(at=T1, page_id="p1"),  # on the scan screen, before scanning again
    )
    assert (session.pages, session.insert_at, session.replacing) == ((P2, P3), 1, "p3")
    session = run(session, ev.ScanRequested(at=T1), ev.PageScanned(at=T1, page=P4))
    assert session.pages == (P2, P4)


def test_rescanning_a_page_that_is_not_there_changes_nothing() -> None:
    start = review_of(P1, P2)
    assert step(start, ev.RescanRequested(at=T1, page_id="ghost")) == (start, ())


def test_after_a_jam_the_kept_pages_can_be_checked_before_sending() -> None:
    jammed = run(
        review_of(P1, P2, P3),
        ev.RescanRequested(at=T1, page_id="p2"),
        ev.ScanRequested(at=T1),
        ev.ScanFailed(at=T1, fault="jammed"),
    )
    session, commands = step(jammed, ev.ReviewRequested(at=T1))
    assert (session.phase, session.pages, session.scan_problem, session.insert_at) == (
        Phase.REVIEW,
        (P1, P2, P3),  # p2 was to be replaced; no new page came, so it stays
        None,
        None,
    )
    assert commands == ()
    scanning = replace(jammed, scanning=True)
    assert step(scanning, ev.ReviewRequested(at=T1)) == (scanning, ())  # not mid-scan
    empty = replace(jammed, pages=())
    assert step(empty, ev.ReviewRequested(at=T1)) == (empty, ())  # nothing to check


TEN = tuple(PageRef(f"p{n}") for n in range(1, 11))


def test_backing_out_of_a_rescan_keeps_the_page() -> None:
    """Issue 11: "Scan again" on page 3, then "check pages and send" without scanning: 10
    pages stayed 9."""
    rescan = step(review_of(*TEN), ev.RescanRequested(at=T1, page_id="p3"))[0]
    for back in (ev.ReviewRequested(at=T1), ev.SendRequested(at=T1)):
        session, commands = step(rescan, back)
        assert session.pages == TEN and session.replacing is None
        assert not any(isinstance(c, DiscardPages) for c in commands)


def test_a_rescan_that_brings_no_page_keeps_the_old_one_and_says_why() -> None:
    session = run(
        review_of(P1, P2),
        ev.RescanRequested(at=T1, page_id="p1"),
        ev.ScanRequested(at=T1),
        ev.ScanFinished(at=T1),  # the feeder was empty
    )
    assert (session.phase, session.pages, session.scan_problem) == (
        Phase.SCAN,
        (P1, P2),
        "no_paper",
    )


def test_deleted_pages_come_back_in_their_places_newest_first() -> None:
    session = run(
        review_of(P1, P2, P3),
        ev.PageDeleted(at=T1, page_id="p2"),
        ev.PageDeleted(at=T1, page_id="p3"),
        ev.PageDeleted(at=T1, page_id="p1"),
    )
    assert (session.phase, session.pages) == (Phase.REVIEW, ())
    session = run(session, ev.PageRestored(at=T1))
    assert session.pages == (P1,)
    session = run(session, ev.PageRestored(at=T1), ev.PageRestored(at=T1))
    assert (session.pages, session.deleted) == ((P1, P2, P3), ())


def test_a_deleted_page_is_gone_for_good_once_the_document_is_sent() -> None:
    session = run(review_of(P1, P2, P3), ev.PageDeleted(at=T1, page_id="p2"))
    session, commands = step(session, ev.SendRequested(at=T1))
    assert commands[0] == DiscardPages(("p2",)) and commands[1].pages == (P1, P3)  # type: ignore[attr-defined]
    assert session.deleted == ()
