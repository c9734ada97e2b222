"""Events (past tense: something happened) and commands (what the runner must do next)."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.core.concerns import Concern
from kiosk.core.faults import Fault
from kiosk.core.identity import CaseNumber
from kiosk.core.receipt import Receipt


@dataclass(frozen=True, slots=True)
class PageRef:
    """A scanned page as the session knows it: an id into the presenter's page store."""

    page_id: str
    rotation: int = 0  # degrees clockwise, 0/90/180/270


# --- events ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    at: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Touched(Event):
    """Any touch or key press: the client is still there."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LanguageChosen(Event):
    language: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseEntered(Event):
    raw: str  # what was typed on the keypad or keyboard, not yet validated


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseRead(Event):
    """A card or letter code named a case number (already validated, or a token resolved)."""

    case: CaseNumber


@dataclass(frozen=True, slots=True, kw_only=True)
class CardRefused(Event):
    """A card or letter code was read but is not a usable identifier."""

    reason: str  # client-facing (untranslated), from kiosk.core.cards


@dataclass(frozen=True, slots=True, kw_only=True)
class StaffCardShown(Event):
    """A valid staff card: staff mode, unless a client's session holds their data."""


@dataclass(frozen=True, slots=True, kw_only=True)
class StaffLeft(Event):
    """Staff closed staff mode: the kiosk goes back to the start screen."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseConfirmed(Event):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseRejected(Event):
    """The client says the number shown back is not theirs."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ConcernChosen(Event):
    concern: Concern


@dataclass(frozen=True, slots=True, kw_only=True)
class ScanRequested(Event):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class PageScanned(Event):
    page: PageRef


@dataclass(frozen=True, slots=True, kw_only=True)
class ScanFinished(Event):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class ScanFailed(Event):
    fault: Fault  # pages scanned before it stay


@dataclass(frozen=True, slots=True, kw_only=True)
class PageDeleted(Event):
    page_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PageRestored(Event):
    """Undo the last delete: the page comes back where it was."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PageRotated(Event):
    page_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class MorePagesRequested(Event):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class ReviewRequested(Event):
    """After a stop or a fault: look at the pages kept so far (and send them from there)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RescanRequested(Event):
    """Scan this page again: what is scanned next takes its place; until then it stays."""

    page_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SendRequested(Event):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class Submitted(Event):
    receipt: Receipt


@dataclass(frozen=True, slots=True, kw_only=True)
class SubmitFailed(Event):
    error: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Finished(Event):
    """The client is done with the receipt."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Cancelled(Event):
    pass


@dataclass(frozen=True, slots=True, kw_only=True)
class Tick(Event):
    """The clock moved; drives warnings and timeouts."""


@dataclass(frozen=True, slots=True, kw_only=True)
class FailureOccurred(Event):
    """Something unexpected broke; the client sees a calm message, never a traceback."""

    error: str


@dataclass(frozen=True, slots=True, kw_only=True)
class OutOfOrder(Event):
    error: str  # e.g. "scanner" or "storage"


@dataclass(frozen=True, slots=True, kw_only=True)
class BackInOrder(Event):
    pass


# --- commands (what the runner must do) -------------------------------------------------


@dataclass(frozen=True, slots=True)
class StartScan:
    max_pages: int | None = None  # the batch ends after this many pages; None: the feeder's


@dataclass(frozen=True, slots=True)
class CancelScan:
    pass


@dataclass(frozen=True, slots=True)
class Submit:
    case: CaseNumber
    concern: Concern
    pages: tuple[PageRef, ...]


@dataclass(frozen=True, slots=True)
class DiscardPages:
    page_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class WarnTimeout:
    seconds_left: float


@dataclass(frozen=True, slots=True)
class Wipe:
    """Forget everything of the session: pages, caches, anything on screen."""


Command = StartScan | CancelScan | Submit | DiscardPages | WarnTimeout | Wipe
