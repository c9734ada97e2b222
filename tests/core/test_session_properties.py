"""Long random event streams: step() never raises and the session's invariants always hold."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from kiosk.core import events as ev
from kiosk.core.concerns import CONCERNS
from kiosk.core.events import PageRef
from kiosk.core.identity import parse_case_number
from kiosk.core.session import LANGUAGES, Phase, Session, step
from tests.core.states import NOT_OFFERED, RECEIPT

HOLDS_CASE = {Phase.CONFIRM, Phase.CONCERN, Phase.SCAN, Phase.REVIEW, Phase.SEND}
HOLDS_CONCERN = {Phase.SCAN, Phase.REVIEW, Phase.SEND}
RAWS = ["12345BG0012345", "12345//12345", "123a456789", "12345BG0000000", "", "١٢٣", "x" * 99]
FAULTS = ["jammed", "no_paper", "cover_open", "hung", "io_error"]


@dataclass
class Walk:
    """A client (and the hardware) behaving somewhat sensibly, sometimes not at all."""

    rng: random.Random
    now: float = 0.0
    pages_made: int = 0
    seen_phases: set[Phase] = field(default_factory=set)
    seen_commands: set[type] = field(default_factory=set)

    def page(self) -> PageRef:
        self.pages_made += 1
        return PageRef(f"page-{self.pages_made}")

    def page_id(self, s: Session) -> str:
        return self.rng.choice([p.page_id for p in s.pages] + ["ghost"])

    def sensible(self, s: Session) -> list[Callable[[float], ev.Event]]:
        r = self.rng
        by_phase: dict[Phase, list[Callable[[float], ev.Event]]] = {
            Phase.IDLE: [lambda t: ev.Touched(at=t)],
            Phase.LANGUAGE: [lambda t: ev.LanguageChosen(at=t, language=r.choice(LANGUAGES))],
            Phase.IDENTIFY: [
                lambda t: ev.CaseEntered(at=t, raw=r.choice(RAWS)),
                lambda t: ev.CaseRead(at=t, case=parse_case_number(r.choice(RAWS[:2]))),
            ],
            Phase.CONFIRM: [lambda t: ev.CaseConfirmed(at=t)] * 3
            + [lambda t: ev.CaseRejected(at=t)],
            Phase.CONCERN: [
                lambda t: ev.ConcernChosen(at=t, concern=r.choice([*CONCERNS, *NOT_OFFERED]))
            ],
            Phase.SCAN: [lambda t: ev.ScanRequested(at=t)]
            + [lambda t: ev.PageScanned(at=t, page=self.page())] * 3
            + [lambda t: ev.ScanFinished(at=t)] * 2
            + [
                lambda t: ev.ScanFailed(at=t, fault=r.choice(FAULTS)),
                lambda t: ev.SendRequested(at=t),
                lambda t: ev.ReviewRequested(at=t),
            ],
            Phase.REVIEW: [
                lambda t: ev.PageDeleted(at=t, page_id=self.page_id(s)),
                lambda t: ev.PageRotated(at=t, page_id=self.page_id(s)),
                lambda t: ev.MorePagesRequested(at=t),
                lambda t: ev.RescanRequested(at=t, page_id=self.page_id(s)),
                lambda t: ev.SendRequested(at=t),
                lambda t: ev.PageRestored(at=t),
            ],
            Phase.SEND: [lambda t: ev.Submitted(at=t, receipt=RECEIPT)] * 3
            + [lambda t: ev.SubmitFailed(at=t, error="spool")],
            Phase.RECEIPT: [lambda t: ev.Finished(at=t)],
            Phase.ERROR: [lambda t: ev.Touched(at=t)],
            Phase.OUT_OF_ORDER: [lambda t: ev.BackInOrder(at=t), lambda t: ev.StaffCardShown(at=t)],
            Phase.STAFF: [lambda t: ev.StaffLeft(at=t), lambda t: ev.Touched(at=t)],
        }
        return by_phase[s.phase]

    def anything(self, s: Session) -> list[Callable[[float], ev.Event]]:
        r = self.rng
        events: list[Callable[[float], ev.Event]] = [
            lambda t: ev.Touched(at=t),
            lambda t: ev.Tick(at=t),
            lambda t: ev.Cancelled(at=t),
            lambda t: ev.LanguageChosen(at=t, language=r.choice([*LANGUAGES, "fr"])),
            lambda t: ev.CaseEntered(at=t, raw=r.choice(RAWS)),
            lambda t: ev.CaseRead(at=t, case=parse_case_number(RAWS[0])),
            lambda t: ev.PageScanned(at=t, page=self.page()),
            lambda t: ev.PageDeleted(at=t, page_id=self.page_id(s)),
            lambda t: ev.PageRestored(at=t),
            lambda t: ev.Submitted(at=t, receipt=RECEIPT),
            lambda t: ev.Finished(at=t),
            lambda t: ev.OutOfOrder(at=t, error="scanner"),
            lambda t: ev.BackInOrder(at=t),
            lambda t: ev.StaffCardShown(at=t),
            lambda t: ev.StaffLeft(at=t),
            lambda t: ev.CardRefused(at=t, reason="expired"),
        ]
        events.append(lambda t: ev.FailureOccurred(at=t, error="unexpected"))
        return events

    def next_event(self, s: Session) -> ev.Event:
        r = self.rng
        # Mostly seconds apart, sometimes a long pause that should trigger a timeout.
        self.now += r.choice([0.0, 0.5, 1, 3, 10, 25]) if r.random() < 0.93 else r.uniform(40, 400)
        if r.random() < 0.25:
            return ev.Tick(at=self.now)
        pool = self.sensible(s) if r.random() < 0.85 else self.anything(s)
        return r.choice(pool)(self.now)


def check(before: Session, event: ev.Event, after: Session, commands: tuple[object, ...]) -> None:
    kinds = [type(c) for c in commands]
    where = f"{before.phase} --{type(event).__name__}--> {after.phase} {commands}"
    assert after.language in LANGUAGES, where
    assert (after.case is not None) == (after.phase in HOLDS_CASE), where
    assert (after.concern is not None) == (after.phase in HOLDS_CONCERN), where
    assert after.concern is None or after.concern in CONCERNS, where
    assert (after.receipt is not None) == (after.phase is Phase.RECEIPT), where
    assert not after.pages or after.phase in HOLDS_CONCERN, where
    assert after.phase is not Phase.SEND or after.pages, where
    assert after.phase is not Phase.REVIEW or after.pages or after.deleted, where
    assert not after.deleted or after.phase in (Phase.SCAN, Phase.REVIEW), where
    assert after.replacing is None or after.replacing in {p.page_id for p in after.pages}, where
    deleted_ids = {d.page.page_id for d in after.deleted}
    assert len(deleted_ids) == len(after.deleted), where
    assert not deleted_ids & {p.page_id for p in after.pages}, where
    assert not after.scanning or after.phase is Phase.SCAN, where
    assert len({p.page_id for p in after.pages}) == len(after.pages), where
    assert after.insert_at is None or 0 <= after.insert_at <= len(after.pages), where
    assert not after.card_refused or after.identify_error is not None, where
    assert after.insert_at is None or after.phase is Phase.SCAN, where
    # Pages keep their order: what stays of the old order is still in that order.
    kept = [p.page_id for p in after.pages if p.page_id in {q.page_id for q in before.pages}]
    assert kept == [p.page_id for p in before.pages if p.page_id in set(kept)], where
    assert all(p.rotation in (0, 90, 180, 270) for p in after.pages), where
    if ev.Wipe in kinds:
        assert (after.case, after.pages, after.concern) == (None, (), None), where
        assert not after.scanning and after.identify_error is None, where
        assert kinds[-1] is ev.Wipe, where  # nothing runs after the wipe
    # The scanner is never left running for a session that no longer expects it.
    if (
        before.scanning
        and not after.scanning
        and not isinstance(event, (ev.ScanFinished, ev.ScanFailed))
    ):
        assert kinds[:1] == [ev.CancelScan], where
    if ev.CancelScan in kinds:
        assert before.scanning, where
    # Pages never vanish silently: the runner must hear about every one it should drop,
    # and a page the client deleted stays restorable until the document is sent.
    held = {p.page_id for p in before.pages} | {d.page.page_id for d in before.deleted}
    dropped = held - {p.page_id for p in after.pages} - deleted_ids
    announced = {i for c in commands if isinstance(c, ev.DiscardPages) for i in c.page_ids}
    if dropped and ev.Wipe not in kinds:
        assert dropped <= announced, where
    if isinstance(event, ev.PageDeleted):
        assert not announced, where  # deleting is undoable: nothing is dropped yet
    for c in commands:
        if isinstance(c, ev.Submit):
            assert after.phase is Phase.SEND and before.phase is not Phase.SEND, where
            assert (c.case, c.concern, c.pages) == (after.case, after.concern, after.pages)
        if isinstance(c, ev.StartScan):
            assert after.scanning and not before.scanning, where
        if isinstance(c, ev.WarnTimeout):
            assert after.warned and not before.warned and c.seconds_left > 0, where
    if before.phase is Phase.OUT_OF_ORDER and after.phase is not Phase.OUT_OF_ORDER:
        assert isinstance(event, (ev.BackInOrder, ev.StaffCardShown)), where
    # Staff never see a client's data, and a card held up by mistake throws nobody out.
    if after.phase is Phase.STAFF:
        assert after.receipt is None and after.identify_error is None, where
        assert before.phase is Phase.STAFF or ev.Wipe in kinds, where
    if isinstance(event, ev.StaffCardShown) and (before.case or before.receipt):
        assert (after, commands) == (before, ()), where
    # A slow scanner is not a client walking away: no timeout while the scanner works.
    if before.scanning and isinstance(event, ev.Tick):
        assert (after, commands) == (before, ()), where
    # Nobody is left looking at a stale screen past its limit.
    limit = after.limits.timeout(after.phase)
    if isinstance(event, ev.Tick) and limit is not None and not after.scanning:
        assert event.at - after.last_activity < limit, where


@pytest.mark.parametrize("seed", range(12), ids=lambda s: f"seed-{s}")
def test_random_walks_keep_the_invariants(seed: int) -> None:
    walk = Walk(random.Random(seed))
    session = Session()
    for _ in range(3000):
        event = walk.next_event(session)
        after, commands = step(session, event)
        check(session, event, after, commands)
        walk.seen_phases.add(after.phase)
        walk.seen_commands.update(type(c) for c in commands)
        session = after
    # The walk must have gone everywhere, or the invariants were checked on too little.
    assert walk.seen_phases == set(Phase)
    assert walk.seen_commands == {
        ev.StartScan,
        ev.CancelScan,
        ev.Submit,
        ev.DiscardPages,
        ev.WarnTimeout,
        ev.Wipe,
    }
