"""What a code from the camera or a USB code reader means for the kiosk, in one place.

``interpret`` classifies the text (kiosk.core.cards), resolves an opaque card token to
a case (routing table, then the lookup endpoint: may block for seconds, so never call
it on the GUI thread) and says what the session should hear: a case number, a refusal
with its client-facing reason, or a staff card (checked against the staff register when
``staff`` is given: kiosk.services.staff.login). Logs name the kind, never the text.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from kiosk.core import cards
from kiosk.core.identity import CaseNumber
from kiosk.core.log_events import emit
from kiosk.core.staff import CardAccepted, CardRefused
from kiosk.services.channels import TlsSettings
from kiosk.services.routing.table import RoutingTable
from kiosk.services.routing.tokens import TokenLookupError, resolve_token

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CardOutcome:
    case: CaseNumber | None = None
    refused: str | None = None  # the reason to show (untranslated)
    staff: bool = False
    # With a staff register: the card's id, role and whether its PIN must follow.
    staff_card: CardAccepted | None = None

    def __repr__(self) -> str:  # never a case number in a log
        kind = "case" if self.case else "staff" if self.staff else "refused"
        return f"CardOutcome({kind})"


@dataclass(frozen=True, slots=True)
class TokenResolver:
    """Where opaque tokens are looked up: the routing table's [tokens], then an endpoint."""

    table: RoutingTable | None = None
    lookup_url: str | None = None
    tls: TlsSettings | None = None


StaffCheck = Callable[[cards.CardPayload], CardAccepted | CardRefused]


def interpret(
    text: str,
    rules: cards.CardRules,
    today: date,
    tokens: TokenResolver,
    staff: StaffCheck | None = None,
) -> CardOutcome:
    try:
        payload = cards.read_card(text, rules, today)
    except cards.CardRejected as why:
        emit(log, "card.refused", code=why.code)
        return CardOutcome(refused=why.reason)
    if payload.kind is cards.CardKind.STAFF:
        verdict = staff(payload) if staff is not None else None
        if isinstance(verdict, CardRefused):  # logged and audited by the staff login
            return CardOutcome(refused=cards.REASON_UNKNOWN_CARD)
        emit(log, "card.staff")
        return CardOutcome(staff=True, staff_card=verdict)
    if payload.kind is cards.CardKind.CASE:
        emit(log, "card.read", kind=payload.identifier_kind, via=payload.via)
        return CardOutcome(case=payload.case)
    try:
        case = resolve_token(payload.value, tokens.table, tokens.lookup_url, tokens.tls)
    except TokenLookupError as err:
        emit(log, "card.lookup_failed", detail=str(err))
        return CardOutcome(refused=cards.REASON_CHECK_LATER)
    if case is None:
        emit(log, "card.unknown_token")
        return CardOutcome(refused=cards.REASON_UNKNOWN_CARD)
    emit(log, "card.token_resolved", kind=case.kind.value)
    return CardOutcome(case=case)
