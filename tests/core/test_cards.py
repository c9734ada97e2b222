"""Card payloads: every accepted form, and hostile or wrong input refused with a reason."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.core import card_signing as signing
from kiosk.core import cards
from kiosk.core.cards import CardKind, CardRejected, CardRules, Carrier, read_card
from kiosk.core.records import replace

CASE_KEY = b"client-card-key-0123456789abcdef"
STAFF_KEY = b"staff-card-key-0123456789abcdef!"
TODAY = date(2026, 11, 21)
RULES = CardRules(case_key=CASE_KEY, staff_key=STAFF_KEY, letter_codes=True)


def signed_case(
    case: str = "12345BG0012345", expires: date = date(2027, 3, 31), key: bytes = CASE_KEY
) -> str:
    return signing.sign(signing.PREFIX_SIGNED, case, expires, key)


def staff(
    staff_id: str = "mueller.a", expires: date = date(2027, 1, 1), key: bytes = STAFF_KEY
) -> str:
    return signing.sign(signing.PREFIX_STAFF, staff_id, expires, key)


def flip_last(text: str) -> str:
    return text[:-1] + ("B" if text[-1] != "B" else "C")


ACCEPTED = [
    # text, identifier kind, canonical value, carrier
    ("12345BG0012345", "bg-nummer", "12345BG0012345", Carrier.PLAIN),
    ("12345//0012345", "bg-nummer", "12345BG0012345", Carrier.PLAIN),
    ("12345 BG 12345", "bg-nummer", "12345BG0012345", Carrier.PLAIN),
    ("123a456789", "kundennummer", "123A456789", Carrier.PLAIN),
    ("https://jobcenter.example/k?bg=12345BG0012345", "bg-nummer", "12345BG0012345", Carrier.URL),
    (
        "HTTPS://jobcenter.example/k?lang=de&BG=12345%2F%2F0012345#top",
        "bg-nummer",
        "12345BG0012345",
        Carrier.URL,
    ),
    ("https://jobcenter.example:8443/?kdnr=123A456789", "kundennummer", "123A456789", Carrier.URL),
    (
        "JC1:T:ABCDEFGHIJKLMNOPQRSTUVWXYZ234567",
        "token",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567",
        Carrier.TOKEN,
    ),
    ("JC1:T:aZ09_-aZ09_-aZ09_-", "token", "aZ09_-aZ09_-aZ09_-", Carrier.TOKEN),
    (signed_case(), "bg-nummer", "12345BG0012345", Carrier.SIGNED),
    (signed_case("123A456789"), "kundennummer", "123A456789", Carrier.SIGNED),
    (signed_case(expires=TODAY), "bg-nummer", "12345BG0012345", Carrier.SIGNED),  # last day
    (staff(), "staff", "mueller.a", Carrier.STAFF),
    ("B#012345BG0012345", "bg-nummer", "12345BG0012345", Carrier.LETTER),
    ("B#012345//0012345", "bg-nummer", "12345BG0012345", Carrier.LETTER),
]


@pytest.mark.parametrize(("text", "kind", "value", "via"), ACCEPTED)
def test_accepted(text: str, kind: str, value: str, via: Carrier) -> None:
    payload = read_card(text, RULES, TODAY)
    assert (payload.identifier_kind, payload.value, payload.via) == (kind, value, via)
    assert value not in repr(payload)  # never a case number or token in a log line


REJECTED = [
    # text, code, reason
    ("x" * 10_000, "too-long", cards.REASON_TOO_LONG),
    ("1" * 513, "too-long", cards.REASON_TOO_LONG),
    ("12345BG0012345\x00", "control-character", cards.REASON_CHARACTERS),
    ("12345BG0012345\r\n", "control-character", cards.REASON_CHARACTERS),
    ("12345BG\n0012345", "control-character", cards.REASON_CHARACTERS),
    ("\x1b[2J12345BG0012345", "control-character", cards.REASON_CHARACTERS),
    ("12345BG0012345\x85", "control-character", cards.REASON_CHARACTERS),
    ("\u202e5432100GB54321", "bidi-control", cards.REASON_CHARACTERS),
    ("12345BG\u20660012345\u2069", "bidi-control", cards.REASON_CHARACTERS),
    ("12345BG0012345\u200f", "bidi-control", cards.REASON_CHARACTERS),
    (bytes(range(256)).decode("latin-1"), "control-character", cards.REASON_CHARACTERS),
    ("\ufffd\ufffd\ufffd", "not-ascii", cards.REASON_CHARACTERS),
    ("１２３４５BG0012345", "not-ascii", cards.REASON_CHARACTERS),
    ("../../etc/passwd", "path-traversal", cards.REASON_CHARACTERS),
    ("JC1:T:..\\..\\windows", "path-traversal", cards.REASON_CHARACTERS),
    ("https://jobcenter.example/k?bg=..%2F..%2Fetc", "path-traversal", cards.REASON_CHARACTERS),
    ("", "empty", cards.REASON_NOT_OURS),
    ("   ", "empty", cards.REASON_NOT_OURS),
    ("hello world, buy our product", "not-ours", cards.REASON_NOT_OURS),
    ("<script>alert(1)</script>", "not-ours", cards.REASON_NOT_OURS),
    ("12345XX0012345", "not-a-case-number", None),  # parse_case_number's own reason
    ("https://jobcenter.example/k?q=12345BG0012345", "foreign-parameter", cards.REASON_NOT_OURS),
    ("https://jobcenter.example/k", "malformed", cards.REASON_NOT_OURS),
    ("http://jobcenter.example/k?bg=12345BG0012345", "malformed", cards.REASON_NOT_OURS),
    (
        "https://jobcenter.example/k?bg=12345BG0012345&bg=54321BG0012345",
        "ambiguous",
        cards.REASON_NOT_OURS,
    ),
    ("https://jobcenter.example/k?bg=12345BG00%0A12345", "malformed", cards.REASON_NOT_OURS),
    ("https://jobcenter.example/k?bg=hello", "not-a-case-number", cards.REASON_NOT_OURS),
    ("https://user@jobcenter.example/k?bg=12345BG0012345", "malformed", cards.REASON_NOT_OURS),
    ("JC1:T:short", "malformed", cards.REASON_DAMAGED),
    ("JC1:T:" + "A" * 129, "malformed", cards.REASON_DAMAGED),
    ("JC1:T:ABCDEFGHIJKLMNOP/QRS", "malformed", cards.REASON_DAMAGED),
    ("JC1:X:whatever", "unknown-format", cards.REASON_NOT_HERE),
    (signed_case(expires=date(2026, 11, 20)), "expired", cards.REASON_EXPIRED),
    (flip_last(signed_case()), "bad-signature", cards.REASON_NOT_GENUINE),
    (
        signed_case(key=b"another-key-of-enough-length-xx"),
        "bad-signature",
        cards.REASON_NOT_GENUINE,
    ),
    (
        signed_case().replace("12345BG0012345", "12345BG0012346"),
        "bad-signature",
        cards.REASON_NOT_GENUINE,
    ),
    (signed_case().replace("20270331", "20991231"), "bad-signature", cards.REASON_NOT_GENUINE),
    (signed_case()[:-3], "malformed", cards.REASON_DAMAGED),
    (staff(expires=date(2026, 1, 1)), "expired", cards.REASON_EXPIRED),
    (flip_last(staff()), "bad-signature", cards.REASON_NOT_GENUINE),
    (staff(key=CASE_KEY), "bad-signature", cards.REASON_NOT_GENUINE),  # client key: no staff
    # a staff signature moved onto a client payload: the prefix is part of what is signed
    (
        "JC1:S:" + staff("12345BG0012345")[len("JC1:STAFF:") :],
        "bad-signature",
        cards.REASON_NOT_GENUINE,
    ),
    ("B#0123A456789", "not-a-case-number", cards.REASON_LETTER_OFF),
    ("B#0hello", "not-a-case-number", cards.REASON_LETTER_OFF),
]


@pytest.mark.parametrize(("text", "code", "reason"), REJECTED)
def test_rejected(text: str, code: str, reason: str | None) -> None:
    with pytest.raises(CardRejected) as caught:
        read_card(text, RULES, TODAY)
    assert caught.value.code == code
    if reason is not None:
        assert caught.value.reason == reason
    assert caught.value.reason  # always something to tell the client


def test_letter_codes_only_when_enabled() -> None:
    rules = replace(RULES, letter_codes=False)
    with pytest.raises(CardRejected) as caught:
        read_card("B#012345BG0012345", rules, TODAY)
    assert (caught.value.code, caught.value.reason) == ("letters-disabled", cards.REASON_LETTER_OFF)


def test_signed_cards_refused_without_a_key() -> None:
    rules = CardRules()
    for text in (signed_case(), staff()):
        with pytest.raises(CardRejected) as caught:
            read_card(text, rules, TODAY)
        assert caught.value.code == "no-key"


@pytest.mark.parametrize(
    ("params", "hosts", "text", "ok"),
    [
        (("case",), (), "https://a.example/?case=12345BG0012345", True),
        (("case",), (), "https://a.example/?bg=12345BG0012345", False),  # default name not allowed
        (("bg",), ("jobcenter.example",), "https://JobCenter.example/k?bg=12345BG0012345", True),
        (("bg",), ("jobcenter.example",), "https://evil.example/k?bg=12345BG0012345", False),
    ],
)
def test_url_rules_are_configurable(
    params: tuple[str, ...], hosts: tuple[str, ...], text: str, ok: bool
) -> None:
    rules = CardRules(url_parameters=params, url_hosts=hosts)
    if ok:
        assert read_card(text, rules, TODAY).value == "12345BG0012345"
    else:
        with pytest.raises(CardRejected):
            read_card(text, rules, TODAY)


def test_short_keys_are_a_configuration_error() -> None:
    with pytest.raises(ValueError):
        CardRules(case_key=b"short")
    with pytest.raises(ValueError):
        signing.sign(signing.PREFIX_SIGNED, "12345BG0012345", TODAY, b"short")


def test_signed_payload_format_is_as_documented() -> None:
    text = signed_case()
    prefix, kind, case, day, signature = text.split(":")
    assert (prefix, kind, case, day, len(signature)) == (
        "JC1",
        "S",
        "12345BG0012345",
        "20270331",
        43,
    )
    payload = read_card(text, RULES, TODAY)
    assert payload.kind is CardKind.CASE and payload.expires == date(2027, 3, 31)


def test_signed_case_must_be_canonical() -> None:
    text = signing.sign(signing.PREFIX_SIGNED, "12345BG12345", date(2027, 1, 1), CASE_KEY)
    with pytest.raises(CardRejected) as caught:
        read_card(text, RULES, TODAY)
    assert caught.value.code == "malformed"


def test_all_reasons_are_marked_for_translation() -> None:
    source = (cards.__file__ or "").replace(".pyc", ".py")
    with open(source, encoding="utf-8") as handle:
        text = handle.read()
    for name in dir(cards):
        if name.startswith("REASON_"):
            assert f"{name} = N_(" in text, name
