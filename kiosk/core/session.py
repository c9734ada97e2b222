"""The client's session as data, and the one pure function that moves it on.

``step(session, event) -> (session, commands)``: the UI and the headless runner feed
events in and carry out the returned commands; nothing here does I/O or reads a clock
(time arrives inside events as ``at``, in seconds of a monotonic clock).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

import msgspec
from msgspec import Struct

from kiosk.core.concerns import CONCERNS, Concern
from kiosk.core.faults import Fault
from kiosk.core.identity import CaseNumber, InvalidCaseNumber, parse_case_number
from kiosk.core.lazy import lazy
from kiosk.core.receipt import Receipt
from kiosk.core.records import replace

# The events (37 classes) load with the first step, not with the session: the start screen
# is drawn from a session before anything has happened (kiosk run's first paint).
if TYPE_CHECKING:
    from kiosk.core import events as ev
    from kiosk.core.events import Command, PageRef
else:
    ev = lazy("kiosk.core.events", globals(), "ev")

LANGUAGES = ("de", "uk", "ar", "tr", "en")
DEFAULT_LANGUAGE = "de"


class Phase(StrEnum):
    IDLE = "idle"
    LANGUAGE = "language"
    IDENTIFY = "identify"
    CONFIRM = "confirm"
    CONCERN = "concern"
    SCAN = "scan"
    REVIEW = "review"
    SEND = "send"
    RECEIPT = "receipt"
    ERROR = "error"
    OUT_OF_ORDER = "out_of_order"
    STAFF = "staff"  # office staff or field support at the kiosk (staff card)


class Limits(Struct, frozen=True):
    """Seconds of inactivity each phase allows; ``None``: the phase never times out."""

    per_phase: dict[Phase, float | None] = msgspec.field(
        default_factory=lambda: {
            Phase.IDLE: None,
            Phase.LANGUAGE: 60.0,
            Phase.IDENTIFY: 90.0,
            Phase.CONFIRM: 60.0,
            Phase.CONCERN: 90.0,
            Phase.SCAN: 120.0,
            Phase.REVIEW: 120.0,
            # The kiosk is working, not the client: no warning, but never stuck forever
            # with a case and pages in memory (the outbox has its own, shorter deadline).
            Phase.SEND: 300.0,
            Phase.RECEIPT: 60.0,
            Phase.ERROR: 15.0,  # the failsafe: an error screen clears itself
            Phase.OUT_OF_ORDER: None,  # until staff or a health check say otherwise
            Phase.STAFF: 300.0,  # a staff card left in the kiosk must not leave it open
        }
    )
    warn_before: float = 20.0  # EN 301 549: warn, and let one touch extend by >= 20 s
    max_pages: int | None = None  # pages in one submission ([scanner] max_pages); None: any

    def timeout(self, phase: Phase) -> float | None:
        return self.per_phase.get(phase)


class Deleted(Struct, frozen=True):
    """A page the client deleted, and where it was: "Undo" puts it back there."""

    page: PageRef
    index: int


class Session(Struct, frozen=True):
    phase: Phase = Phase.IDLE
    language: str = DEFAULT_LANGUAGE
    case: CaseNumber | None = None
    identify_error: str | None = None  # client-facing reason, untranslated
    card_refused: bool = False  # identify_error is a card's refusal, not a typing mistake
    concern: Concern | None = None
    pages: tuple[PageRef, ...] = ()
    scanning: bool = False
    scan_problem: Fault | None = None
    insert_at: int | None = None  # a page is scanned again: new pages go here, not at the end
    replacing: str | None = None  # the page a rescan replaces: kept until a new one arrives
    deleted: tuple[Deleted, ...] = ()  # restorable until the document is sent (last = newest)
    receipt: Receipt | None = None
    error: str | None = None  # message key for the error phases (set by the runner)
    last_activity: float = 0.0
    warned: bool = False
    limits: Limits = msgspec.field(default_factory=Limits)
    home_language: str = DEFAULT_LANGUAGE  # what the next client sees first (config)


Result = tuple[Session, tuple["Command", ...]]


def step(session: Session, event: ev.Event) -> Result:
    """Apply one event; return the new session and the commands to carry out, in order."""
    if isinstance(event, ev.Tick):
        return _tick(session, event.at)
    if session.phase is Phase.STAFF:
        return _in_staff_mode(session, event)
    if isinstance(event, ev.StaffCardShown):
        return _staff(session, event)
    if isinstance(event, ev.OutOfOrder):
        return _wiped(session, Phase.OUT_OF_ORDER, event.at, error=event.error)
    if session.phase is Phase.OUT_OF_ORDER:
        # Only staff or a health check put the kiosk back in service, not a failure's
        # self-clearing error screen.
        if isinstance(event, ev.BackInOrder):
            return _fresh(session, last_activity=event.at), ()
        return session, ()
    if isinstance(event, ev.FailureOccurred):
        return _wiped(session, Phase.ERROR, event.at, error=event.error)
    if isinstance(event, ev.Cancelled) and session.phase not in (Phase.IDLE, Phase.SEND):
        # Not while sending: the document is being stored and the client gets a receipt.
        return _wiped(session, Phase.IDLE, event.at)
    if isinstance(event, ev.LanguageChosen) and event.language in LANGUAGES:
        # The language can change on every screen without losing progress.
        nxt = Phase.IDENTIFY if session.phase in (Phase.IDLE, Phase.LANGUAGE) else session.phase
        return _active(session, event.at, phase=nxt, language=event.language), ()
    handler = _HANDLERS.get(session.phase)
    result = handler(session, event) if handler else None
    if result is not None:
        return result
    if isinstance(event, ev.Touched) and session.phase is not Phase.IDLE:
        return _active(session, event.at), ()
    return session, ()  # an event that means nothing in this phase changes nothing


def _fresh(session: Session, **fields: Any) -> Session:
    """A session holding nothing of the last client: the kiosk's settings carry over."""
    home = session.home_language
    return Session(language=home, home_language=home, limits=session.limits, **fields)


def _active(session: Session, at: float, **changes: object) -> Session:
    """Any client action resets the inactivity clock and clears a timeout warning."""
    return replace(session, last_activity=at, warned=False, **changes)


def _wiped(session: Session, phase: Phase, at: float, error: str | None = None) -> Result:
    commands: list[Command] = []
    if session.scanning:
        commands.append(ev.CancelScan())
    commands.append(ev.Wipe())
    fresh = _fresh(session, phase=phase, error=error, last_activity=at)
    return fresh, tuple(commands)


def _tick(session: Session, now: float) -> Result:
    limit = session.limits.timeout(session.phase)
    if limit is None or session.scanning:
        return session, ()
    idle_for = now - session.last_activity
    if idle_for >= limit:
        return _wiped(session, Phase.IDLE, now)
    left = limit - idle_for
    # The client can extend everywhere they act; not where the kiosk is working or
    # merely showing an error that clears itself.
    if (
        left <= session.limits.warn_before
        and not session.warned
        and session.phase
        not in (
            Phase.ERROR,
            Phase.SEND,
        )
    ):
        return replace(session, warned=True), (ev.WarnTimeout(seconds_left=left),)
    return session, ()


def _idle(s: Session, e: ev.Event) -> Result | None:
    if isinstance(e, ev.Touched):
        return _active(s, e.at, phase=Phase.LANGUAGE), ()
    if isinstance(e, (ev.CaseEntered, ev.CaseRead, ev.CardRefused)):
        # A card held to the camera on the start screen starts a session right away.
        return _identify(replace(s, phase=Phase.IDENTIFY), e)
    return None


def _identify(s: Session, e: ev.Event) -> Result | None:
    if isinstance(e, ev.CardRefused):
        return _active(s, e.at, identify_error=e.reason, card_refused=True, case=None), ()
    if isinstance(e, ev.CaseRead):
        return _confirming(s, e.at, e.case)
    if isinstance(e, ev.CaseEntered):
        try:
            case = parse_case_number(e.raw)
        except InvalidCaseNumber as bad:
            return _active(s, e.at, identify_error=bad.reason, card_refused=False, case=None), ()
        return _confirming(s, e.at, case)
    return None


def _confirming(s: Session, at: float, case: CaseNumber) -> Result:
    """A number typed or read goes back to the client for confirmation."""
    confirming = _active(s, at, phase=Phase.CONFIRM, case=case, identify_error=None)
    return replace(confirming, card_refused=False), ()


def _confirm(s: Session, e: ev.Event) -> Result | None:
    if isinstance(e, ev.CaseConfirmed):
        return _active(s, e.at, phase=Phase.CONCERN), ()
    if isinstance(e, ev.CaseRejected):
        return _active(s, e.at, phase=Phase.IDENTIFY, case=None), ()
    return None


def _concern(s: Session, e: ev.Event) -> Result | None:
    if isinstance(e, ev.ConcernChosen) and e.concern in CONCERNS:
        return _active(s, e.at, phase=Phase.SCAN, concern=e.concern), ()
    return None


def _scan(s: Session, e: ev.Event) -> Result | None:
    if isinstance(e, ev.ScanRequested) and not s.scanning:
        room = pages_left(s)
        if room is not None and room <= 0:
            return None  # the review screen says so; the scanner draws in no sheet
        return _active(s, e.at, scanning=True, scan_problem=None), (ev.StartScan(room),)
    if isinstance(e, ev.PageScanned):
        if not s.scanning:  # late, after a cancel or fault: drop its image too
            return s, (ev.DiscardPages((e.page.page_id,)),)
        old = _index(s.pages, s.replacing)
        if old is not None:  # the first page of a rescan takes the old page's place
            pages = (*s.pages[:old], e.page, *s.pages[old + 1 :])
            done = _active(s, e.at, pages=pages, insert_at=old + 1, replacing=None)
            return done, (ev.DiscardPages((s.pages[old].page_id,)),)
        if s.insert_at is None:
            return _active(s, e.at, pages=(*s.pages, e.page)), ()
        at = s.insert_at  # a rescan: the new page takes the old one's place, in order
        pages = (*s.pages[:at], e.page, *s.pages[at:])
        return _active(s, e.at, pages=pages, insert_at=at + 1), ()
    if isinstance(e, ev.ScanFinished) and s.scanning:
        if not s.pages or s.replacing is not None:  # ended without a page: say why
            return _active(s, e.at, scanning=False, scan_problem=Fault.NO_PAPER), ()
        return _back_to_review(s, e.at, scanning=False)
    if isinstance(e, ev.ScanFailed) and s.scanning:
        # Pages scanned before the failure stay; the client fixes the cause and goes on.
        return _active(s, e.at, scanning=False, scan_problem=e.fault), ()
    if isinstance(e, ev.SendRequested) and s.pages and not s.scanning:
        return _send(s, e)
    if isinstance(e, ev.ReviewRequested) and (s.pages or s.deleted) and not s.scanning:
        # Backing out of a rescan keeps the page that was to be replaced.
        return _back_to_review(s, e.at, scan_problem=None)
    return _review(s, e) if not s.scanning and (s.pages or s.deleted) else None


def pages_left(s: Session) -> int | None:
    """How many more pages this submission takes (a page being scanned again makes room
    for its replacement); None: no limit."""
    limit = s.limits.max_pages
    if limit is None:
        return None
    return limit - len(s.pages) + (1 if s.replacing is not None else 0)


def _back_to_review(s: Session, at: float, **changes: object) -> Result:
    return _active(s, at, phase=Phase.REVIEW, insert_at=None, replacing=None, **changes), ()


def _index(pages: tuple[PageRef, ...], page_id: str | None) -> int | None:
    return next((i for i, p in enumerate(pages) if p.page_id == page_id), None)


def _review(s: Session, e: ev.Event) -> Result | None:
    if isinstance(e, ev.RescanRequested):
        index = _index(s.pages, e.page_id)
        if index is None:
            return None
        # The page stays until a new one takes its place: backing out loses nothing.
        rescan = _active(s, e.at, phase=Phase.SCAN, insert_at=index, replacing=e.page_id)
        return replace(rescan, scan_problem=None), ()
    if isinstance(e, ev.PageDeleted):
        index = _index(s.pages, e.page_id)
        if index is None:
            return None
        kept = s.pages[:index] + s.pages[index + 1 :]
        deleted = (*s.deleted, Deleted(s.pages[index], index))  # "Undo" until it is sent
        insert_at = s.insert_at
        if insert_at is not None and index < insert_at:
            insert_at -= 1
        replacing = None if s.replacing == e.page_id else s.replacing
        if replacing is None and s.replacing is not None:
            insert_at = None  # the page to be replaced is gone: new pages go at the end
        return _active(
            s, e.at, pages=kept, deleted=deleted, insert_at=insert_at, replacing=replacing
        ), ()
    if isinstance(e, ev.PageRestored) and s.deleted:
        last = s.deleted[-1]
        index = min(last.index, len(s.pages))
        pages = (*s.pages[:index], last.page, *s.pages[index:])
        insert_at = s.insert_at
        if insert_at is not None and index < insert_at:
            insert_at += 1
        return _active(s, e.at, pages=pages, deleted=s.deleted[:-1], insert_at=insert_at), ()
    if isinstance(e, ev.PageRotated):
        pages = tuple(
            replace(p, rotation=(p.rotation + 90) % 360) if p.page_id == e.page_id else p
            for p in s.pages
        )
        return _active(s, e.at, pages=pages), ()
    if isinstance(e, ev.MorePagesRequested) and pages_left(s) != 0:
        more = _active(s, e.at, phase=Phase.SCAN, scan_problem=None, insert_at=None)
        return replace(more, replacing=None), ()
    if isinstance(e, ev.SendRequested) and s.pages:
        return _send(s, e)
    return None


def _send(s: Session, e: ev.Event) -> Result:
    assert s.case is not None and s.concern is not None  # guaranteed by the phase order
    sending = _active(s, e.at, phase=Phase.SEND, insert_at=None, replacing=None, deleted=())
    # Sent: the deleted pages can no longer come back, so their images go now.
    gone = tuple(d.page.page_id for d in s.deleted)
    discard = (ev.DiscardPages(gone),) if gone else ()
    return sending, (*discard, ev.Submit(s.case, s.concern, s.pages))


def _sending(s: Session, e: ev.Event) -> Result | None:
    if isinstance(e, ev.Submitted):
        # The receipt replaces everything else the session held.
        fresh = _fresh(s, phase=Phase.RECEIPT, receipt=e.receipt, last_activity=e.at)
        fresh = replace(fresh, language=s.language)  # the client still reads the receipt
        return fresh, (ev.Wipe(),)
    if isinstance(e, ev.SubmitFailed):
        return _wiped(s, Phase.ERROR, e.at, error=e.error)
    return None


def staff_mode_possible(s: Session) -> bool:
    """Staff mode replaces an empty session only: a client's data is never shown to staff,
    and a client in the middle of their session is not thrown out by a card held up by
    mistake (nor asked for a staff PIN)."""
    holds_client_data = (
        s.case is not None or s.pages or s.scanning or s.receipt is not None
    ) or s.phase is Phase.SEND
    return not holds_client_data and s.phase is not Phase.STAFF


def _staff(s: Session, e: ev.StaffCardShown) -> Result:
    if not staff_mode_possible(s):
        return s, ()
    return _wiped(s, Phase.STAFF, e.at)


def _in_staff_mode(s: Session, e: ev.Event) -> Result:
    if isinstance(e, (ev.StaffLeft, ev.Cancelled)):
        return _wiped(s, Phase.IDLE, e.at)
    if isinstance(e, (ev.Touched, ev.StaffCardShown)):
        return _active(s, e.at), ()
    if isinstance(e, ev.LanguageChosen) and e.language in LANGUAGES:
        return _active(s, e.at, language=e.language), ()
    # Health reports, cards and client input wait: staff see the kiosk's state on their
    # screen, and the start screen (or out of order) comes back when they leave.
    return s, ()


def _receipt(s: Session, e: ev.Event) -> Result | None:
    if isinstance(e, ev.Finished):
        return _wiped(s, Phase.IDLE, e.at)
    return None


def _error(s: Session, e: ev.Event) -> Result | None:
    if isinstance(e, (ev.Touched, ev.Finished)):
        return _wiped(s, Phase.IDLE, e.at)
    if isinstance(e, ev.Submitted):
        # A failure interrupted sending, but the document was stored: the client still
        # gets the receipt.
        return _sending(s, e)
    return None


_HANDLERS = {
    Phase.IDLE: _idle,
    Phase.IDENTIFY: _identify,
    Phase.CONFIRM: _confirm,
    Phase.CONCERN: _concern,
    Phase.SCAN: _scan,
    Phase.REVIEW: _review,
    Phase.SEND: _sending,
    Phase.RECEIPT: _receipt,
    Phase.ERROR: _error,
}
