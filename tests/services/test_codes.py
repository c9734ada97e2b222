"""A code's meaning for the session: case, refusal with its reason, staff; logs stay clean."""

from __future__ import annotations

import logging
from datetime import date, timedelta

import pytest

from kiosk.core import cards
from kiosk.core.card_signing import PREFIX_SIGNED, PREFIX_STAFF, sign
from kiosk.core.identity import parse_case_number
from kiosk.services.channels import TlsSettings
from kiosk.services.codes import CardOutcome, TokenResolver, interpret
from kiosk.services.routing.table import RoutingTable
from tests.tlsutil import Pki

TODAY = date(2026, 11, 21)
CASE_KEY, STAFF_KEY = b"c" * 32, b"s" * 32
RULES = cards.CardRules(case_key=CASE_KEY, staff_key=STAFF_KEY)
TOKEN = "Zq8x_TOKEN-from-card-4711"
CASE = parse_case_number("12345BG0012345")
TABLE = RoutingTable("file:///triage/", {}, tokens={TOKEN: CASE})
NO_TOKENS = TokenResolver()


@pytest.mark.parametrize(
    "text",
    [
        "12345BG0012345",
        "https://jobcenter.example/k?bg=12345BG0012345",
        sign(PREFIX_SIGNED, "12345BG0012345", TODAY, CASE_KEY),
        f"{cards.PREFIX_TOKEN}{TOKEN}",
    ],
    ids=["plain", "url", "signed", "token"],
)
def test_every_way_of_carrying_the_number_gives_the_case(text: str) -> None:
    assert interpret(text, RULES, TODAY, TokenResolver(TABLE)) == CardOutcome(case=CASE)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("https://example.com/holiday-offer", cards.REASON_NOT_OURS),
        (
            sign(PREFIX_SIGNED, "12345BG0012345", TODAY - timedelta(days=1), CASE_KEY),
            cards.REASON_EXPIRED,
        ),
        (sign(PREFIX_SIGNED, "12345BG0012345", TODAY, b"x" * 32), cards.REASON_NOT_GENUINE),
        ("12345BG0012345\x1b[2J", cards.REASON_CHARACTERS),
        (f"{cards.PREFIX_TOKEN}unknown-token-000000", cards.REASON_UNKNOWN_CARD),
        ("B#012345BG0012345", cards.REASON_LETTER_OFF),
    ],
    ids=["foreign", "expired", "forged", "escape", "unknown-token", "letter-off"],
)
def test_refusals_carry_the_reason_the_client_reads(text: str, reason: str) -> None:
    assert interpret(text, RULES, TODAY, TokenResolver(TABLE)) == CardOutcome(refused=reason)


def test_a_staff_card_is_staff_and_needs_the_staff_key() -> None:
    card = sign(PREFIX_STAFF, "field-support-7", TODAY, STAFF_KEY)
    assert interpret(card, RULES, TODAY, NO_TOKENS) == CardOutcome(staff=True)
    no_key = cards.CardRules(case_key=CASE_KEY)
    assert interpret(card, no_key, TODAY, NO_TOKENS).refused == cards.REASON_NOT_HERE


def test_a_lookup_that_cannot_answer_asks_for_the_number_instead(pki: Pki) -> None:
    resolver = TokenResolver(None, "https://127.0.0.1:9/lookup", TlsSettings(pki.ca_cert))
    outcome = interpret(f"{cards.PREFIX_TOKEN}{TOKEN}", RULES, TODAY, resolver)
    assert outcome == CardOutcome(refused=cards.REASON_CHECK_LATER)


def test_nothing_of_the_code_reaches_the_log(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    texts = [
        "12345BG0012345",
        f"{cards.PREFIX_TOKEN}{TOKEN}",
        "https://x.example/?bg=12345BG0012345",
    ]
    outcomes = [interpret(t, RULES, TODAY, TokenResolver(TABLE)) for t in texts]
    logged = caplog.text + " ".join(repr(o) for o in outcomes)
    assert caplog.records  # something is logged, for field support
    for secret in ("12345", "0012345", TOKEN):
        assert secret not in logged
