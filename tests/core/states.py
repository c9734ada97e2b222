"""Named sessions in every phase, shared by the session tests (built directly, not by step)."""

from __future__ import annotations

from kiosk.core.concerns import Concern, TeamKind, concern_by_key
from kiosk.core.events import CancelScan, Command, PageRef, Wipe
from kiosk.core.identity import parse_case_number
from kiosk.core.receipt import Receipt, ReceiptStatus
from kiosk.core.records import replace
from kiosk.core.session import Phase, Session

T0 = 1000.0  # last activity of every named session
T1 = T0 + 5.0  # when the event under test happens
CASE = parse_case_number("12345BG0012345")
SICK = concern_by_key("sick")
# Concerns the kiosk does not offer: a session never takes them, whatever they look like.
NOT_OFFERED = (
    Concern(
        "holiday", "I want to go on holiday", "Ortsabwesenheit", "Urlaub", TeamKind.VERMITTLUNG
    ),
    replace(SICK, key=""),
    replace(SICK, key="SICK"),
    replace(SICK, team_kind=TeamKind.EINGANGSZONE),
)
P1 = PageRef("p1")
P2 = PageRef("p2", rotation=90)
P3 = PageRef("p3")
RECEIPT = Receipt(
    receipt_id="K7M-4QX-9TB",
    created_at="2024-06-03T10:15:00+02:00",
    concern=SICK,
    page_count=2,
    masked_case=CASE.masked(),
    status=ReceiptStatus.DELIVERED,
)


def at(phase: Phase, **fields: object) -> Session:
    return replace(Session(phase=phase, last_activity=T0), **fields)  # type: ignore[arg-type]


_HELD = {"case": CASE, "concern": SICK}

STATES: dict[str, Session] = {
    "idle": at(Phase.IDLE),
    "language": at(Phase.LANGUAGE),
    "identify": at(Phase.IDENTIFY, language="uk"),
    "identify-after-bad-entry": at(Phase.IDENTIFY, identify_error="Please enter your number."),
    "confirm": at(Phase.CONFIRM, case=CASE),
    "concern": at(Phase.CONCERN, case=CASE, language="ar"),
    "scan-empty": at(Phase.SCAN, **_HELD),
    "scanning": at(Phase.SCAN, scanning=True, **_HELD),
    "scanning-with-pages": at(Phase.SCAN, scanning=True, pages=(P1,), **_HELD),
    "scan-with-pages": at(Phase.SCAN, pages=(P1, P2), scan_problem="jammed", **_HELD),
    "review": at(Phase.REVIEW, pages=(P1, P2), **_HELD),
    "review-one-page": at(Phase.REVIEW, pages=(P1,), **_HELD),
    "review-warned": at(Phase.REVIEW, pages=(P1, P2), warned=True, **_HELD),
    "send": at(Phase.SEND, pages=(P1, P2), language="tr", **_HELD),
    "receipt": at(Phase.RECEIPT, receipt=RECEIPT, language="tr"),
    "error": at(Phase.ERROR, error="unexpected", language="ar"),
    "out-of-order": at(Phase.OUT_OF_ORDER, error="scanner"),
    "staff": at(Phase.STAFF, language="en"),
}

# The states a client may leave with "Cancel" (all but the start, sending and out of order).
CANCELLABLE = [
    n for n, s in STATES.items() if s.phase not in (Phase.IDLE, Phase.SEND, Phase.OUT_OF_ORDER)
]
SCANNING = [n for n, s in STATES.items() if s.scanning]
# Phases that warn before timing out, and those whose screen simply clears itself.
WARNING_STATES = [
    n
    for n, s in STATES.items()
    if s.phase
    in (Phase.LANGUAGE, Phase.IDENTIFY, Phase.CONFIRM, Phase.CONCERN, Phase.SCAN, Phase.REVIEW)
    and not s.scanning
    and not s.warned
]


def fresh(phase: Phase = Phase.IDLE, at: float = T1, error: str | None = None) -> Session:
    """What a wiped session must look like: nothing of the client left, German again."""
    return Session(phase=phase, error=error, last_activity=at)


def wipe_commands(name: str) -> tuple[Command, ...]:
    """A wipe while the scanner runs stops the scanner first."""
    return (CancelScan(), Wipe()) if STATES[name].scanning else (Wipe(),)
