"""Case numbers as clients type or scan them: what is accepted, what is refused and why."""

from __future__ import annotations

import random
import re
import time

import pytest

from kiosk.core import identity
from kiosk.core.identity import (
    CaseKind,
    CaseNumber,
    InvalidCaseNumber,
    parse_case_number,
    pseudonym,
)

BG = CaseKind.BG_NUMMER
KN = CaseKind.KUNDENNUMMER
NBSP = "\u00a0"
KEY = b"k" * 32

# The shapes context.md defines; every accepted value must be one of them, in ASCII.
CANONICAL = {
    BG: re.compile(r"[0-9]{5}BG[0-9]{7}\Z"),
    KN: re.compile(r"[0-9]{3}[A-Z][0-9]{6}\Z"),
}


ACCEPTED = [
    ("12345BG0012345", BG, "12345BG0012345"),
    ("12345//0012345", BG, "12345BG0012345"),
    ("12345bg0012345", BG, "12345BG0012345"),
    ("12345Bg0012345", BG, "12345BG0012345"),
    ("12345 BG 0012345", BG, "12345BG0012345"),
    ("12345 // 0012345", BG, "12345BG0012345"),
    ("12345-BG-0012345", BG, "12345BG0012345"),
    ("1 2 3 4 5 B G 0 0 1 2 3 4 5", BG, "12345BG0012345"),
    (f"12345{NBSP}BG{NBSP}0012345", BG, "12345BG0012345"),
    ("12345\u202fBG\u20130012345", BG, "12345BG0012345"),  # narrow nbsp, en dash
    ("  12345BG0012345\r\n", BG, "12345BG0012345"),  # barcode wedge adds CR LF
    ("\t12345//0012345 ", BG, "12345BG0012345"),
    ("12345BG12345", BG, "12345BG0012345"),
    ("12345//12345", BG, "12345BG0012345"),
    ("12345 bg 1", BG, "12345BG0000001"),
    ("12345BG9999999", BG, "12345BG9999999"),
    ("123A456789", KN, "123A456789"),
    ("123a456789", KN, "123A456789"),
    ("123 A 456 789", KN, "123A456789"),
    ("123-a-456-789", KN, "123A456789"),
    (f"123A{NBSP}456789", KN, "123A456789"),
    ("123Z000001", KN, "123Z000001"),
    # Turkish layout: the I key types a dotless "ı"; the client means the letter I.
    ("123ı456789", KN, "123I456789"),
]


@pytest.mark.parametrize(("raw", "kind", "canonical"), ACCEPTED, ids=[repr(a[0]) for a in ACCEPTED])
def test_accepted_numbers_are_canonicalised(raw: str, kind: CaseKind, canonical: str) -> None:
    case = parse_case_number(raw)
    assert case == CaseNumber(kind, canonical)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        pytest.param("", identity.REASON_EMPTY, id="empty"),
        pytest.param("   ", identity.REASON_EMPTY, id="spaces-only"),
        pytest.param(f"\t\n{NBSP} ", identity.REASON_EMPTY, id="whitespace-mix"),
        pytest.param(" - - ", identity.REASON_EMPTY, id="hyphens-only"),
        pytest.param("12345BG0000000", identity.REASON_BG_ZERO, id="bg-serial-all-zero"),
        pytest.param("12345//0", identity.REASON_BG_ZERO, id="slash-serial-zero"),
        pytest.param("1234BG0012345", identity.REASON_BG_SHAPE, id="bg-office-4-digits"),
        pytest.param("123456BG0012345", identity.REASON_BG_SHAPE, id="bg-office-6-digits"),
        pytest.param("12345BG00123456", identity.REASON_BG_SHAPE, id="bg-serial-8-digits"),
        pytest.param("12345BG", identity.REASON_BG_SHAPE, id="bg-no-serial"),
        pytest.param("BG0012345", identity.REASON_BG_SHAPE, id="bg-no-office"),
        pytest.param("12345/0012345", identity.REASON_BG_SHAPE, id="single-slash"),
        pytest.param("12345///0012345", identity.REASON_BG_SHAPE, id="triple-slash"),
        pytest.param("12345GB0012345", identity.REASON_SHAPE, id="gb-swapped"),
        pytest.param("1234ABG0012345", identity.REASON_BG_SHAPE, id="letter-in-office"),
        pytest.param("12345BG00A2345", identity.REASON_BG_SHAPE, id="letter-in-serial"),
        pytest.param("123A45678", identity.REASON_SHAPE, id="kn-9-chars"),
        pytest.param("123A4567890", identity.REASON_SHAPE, id="kn-11-chars"),
        pytest.param("1234A56789", identity.REASON_SHAPE, id="kn-letter-5th"),
        pytest.param("12A3456789", identity.REASON_SHAPE, id="kn-letter-3rd"),
        pytest.param("A123456789", identity.REASON_SHAPE, id="kn-letter-first"),
        pytest.param("123AB56789", identity.REASON_SHAPE, id="kn-two-letters"),
        pytest.param("1234567890", identity.REASON_SHAPE, id="ten-digits"),
        pytest.param("hello", identity.REASON_SHAPE, id="word"),
        pytest.param("12345.BG.0012345", identity.REASON_CHARACTERS, id="dots"),
        pytest.param("123A456789#", identity.REASON_CHARACTERS, id="hash"),
        pytest.param("١٢٣ب٤٥٦٧٨٩", identity.REASON_CHARACTERS, id="arabic-letter"),
        pytest.param("12345BG001234😀", identity.REASON_CHARACTERS, id="emoji"),
    ],
)
def test_rejected_numbers_say_why(raw: str, reason: str) -> None:
    with pytest.raises(InvalidCaseNumber) as caught:
        parse_case_number(raw)
    assert caught.value.reason == reason
    assert str(caught.value) == reason


def test_reasons_are_distinct_and_reason_shape_gives_examples_of_both_kinds() -> None:
    reasons = [
        identity.REASON_EMPTY,
        identity.REASON_TOO_LONG,
        identity.REASON_CHARACTERS,
        identity.REASON_BG_SHAPE,
        identity.REASON_BG_ZERO,
        identity.REASON_SHAPE,
    ]
    assert len(set(reasons)) == len(reasons)
    for example in ("12345", "BG", "123A456789"):
        assert example in identity.REASON_SHAPE


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        pytest.param("١٢٣٤٥BG٠٠١٢٣٤٥", "12345BG0012345", id="arabic-indic-bg"),
        pytest.param("١٢٣٤٥//١٢٣٤٥", "12345BG0012345", id="arabic-indic-slash-short"),
        pytest.param("١٢٣A٤٥٦٧٨٩", "123A456789", id="arabic-indic-kundennummer"),
        pytest.param("۱۲۳۴۵BG۰۰۱۲۳۴۵", "12345BG0012345", id="persian-digits-bg"),
    ],
)
def test_arabic_script_digits_are_read_as_digits(raw: str, canonical: str) -> None:
    assert parse_case_number(raw).value == canonical


ODD_INPUTS = [
    "１２３４５ＢＧ００１２３４５",  # fullwidth digits and letters
    "１２３Ａ４５６７８９",
    "¹²³⁴⁵BG⁰⁰¹²³⁴⁵",  # superscripts are not decimal digits
    "①②③④⑤BG⓪⓪①②③④⑤",
    "12345BG0012345\x00",
    "\u200f12345BG0012345",  # right-to-left mark
    "12345ẞG0012345",
    "ß" * 20,
    "12345ﬀ0012345",
    "🎉",
    "\ud800",  # lone surrogate
    "123\u0410456789",  # Cyrillic А from a Ukrainian keyboard layout
    "12345BG00123\u200b45",  # zero-width space
]


@pytest.mark.parametrize("raw", ODD_INPUTS, ids=[ascii(r) for r in ODD_INPUTS])
def test_odd_unicode_is_either_canonical_ascii_or_refused(raw: str) -> None:
    """Whatever the decision for exotic input, nothing else than these two outcomes."""
    try:
        case = parse_case_number(raw)
    except InvalidCaseNumber as bad:
        assert bad.reason
        return
    assert case.value.isascii()
    assert CANONICAL[case.kind].match(case.value)


def test_random_printable_junk_never_escapes_the_two_outcomes() -> None:
    rng = random.Random(20240601)
    alphabet = "0123456789BGbg/ -A\u00a0#." + "١٢٣" + "Ａ１"
    for _ in range(5000):
        raw = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
        try:
            case = parse_case_number(raw)
        except InvalidCaseNumber:
            continue
        assert CANONICAL[case.kind].match(case.value), raw


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("1" * 10_000, id="digits"),
        pytest.param(" " * 9_986 + "12345BG0012345", id="valid-number-behind-spaces"),
        pytest.param("BG" * 5_000, id="bg-repeated"),
        pytest.param("/" * 10_000, id="slashes"),
        pytest.param("١" * 10_000, id="arabic-digits"),
    ],
)
def test_over_long_input_is_refused_quickly(raw: str) -> None:
    with pytest.raises(InvalidCaseNumber) as caught:
        parse_case_number(raw)
    assert caught.value.reason == identity.REASON_TOO_LONG
    started = time.perf_counter()
    for _ in range(1000):
        with pytest.raises(InvalidCaseNumber):
            parse_case_number(raw)
    # Refusing by length costs about a microsecond; running the separators regex and the
    # character checks over 10,000 digits costs about a millisecond (about 0.7 s here).
    # The bound leaves a wide margin for a slow CI machine and still catches that.
    assert time.perf_counter() - started < 0.1


def test_generous_separators_up_to_the_limit_are_fine() -> None:
    padded = "12345 BG 0012345".center(identity.MAX_INPUT_LENGTH)
    assert parse_case_number(padded).value == "12345BG0012345"
    with pytest.raises(InvalidCaseNumber) as caught:
        parse_case_number(padded + " ")
    assert caught.value.reason == identity.REASON_TOO_LONG


# --- masking and grouping ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "grouped"),
    [
        ("12345BG0012345", "12345 BG 0012345"),
        ("98765//7654321", "98765 BG 7654321"),
        ("123A456789", "123A 456789"),
    ],
)
def test_grouped_reads_back_the_full_number_with_spaces(raw: str, grouped: str) -> None:
    case = parse_case_number(raw)
    assert case.grouped() == grouped
    assert parse_case_number(case.grouped()) == case  # what is read back parses again


@pytest.mark.parametrize(
    "raw", ["12345BG0012345", "98765BG7654321", "00001BG0000001", "123A456789", "999Z999999"]
)
def test_masked_form_never_contains_the_full_number(raw: str) -> None:
    case = parse_case_number(raw)
    masked = case.masked()
    digits = re.sub(r"\D", "", case.value)
    shown = re.sub(r"\D", "", masked)
    assert case.value not in masked
    assert digits not in shown
    assert len(shown) <= len(digits) - 3  # at least three digits hidden
    assert case.value[-2:] == shown[-2:]  # the client recognises the tail of the number
    assert "•" in masked


def test_masked_forms_of_cases_differing_in_the_tail_differ() -> None:
    first, second = parse_case_number("12345BG0012345"), parse_case_number("12345BG0012346")
    assert first.masked() != second.masked()


# --- pseudonyms for logs --------------------------------------------------------------


CASES = [
    parse_case_number(r)
    for r in ("12345BG0012345", "12345BG0012346", "54321BG0012345", "123A456789", "123B456789")
]


def test_pseudonym_is_stable_and_follows_the_canonical_number() -> None:
    a = pseudonym(parse_case_number("12345BG0012345"), KEY)
    assert pseudonym(parse_case_number("12345BG0012345"), KEY) == a
    assert pseudonym(parse_case_number("12345 // 12345"), KEY) == a


def test_pseudonym_differs_across_cases_and_keys() -> None:
    tags = {pseudonym(c, KEY) for c in CASES}
    assert len(tags) == len(CASES)
    other_key = {pseudonym(c, b"x" * 32) for c in CASES}
    assert tags.isdisjoint(other_key)


@pytest.mark.parametrize("case", CASES, ids=[c.value for c in CASES])
def test_pseudonym_never_contains_the_number(case: CaseNumber) -> None:
    tag = pseudonym(case, KEY)
    for visible in (case.value, case.value.lower(), case.value[-6:], case.value[:5]):
        assert visible not in tag
    assert re.fullmatch(r"case-[0-9a-f]{16}", tag)


@pytest.mark.parametrize("length", [0, 1, 8, 15])
def test_pseudonym_rejects_short_keys(length: int) -> None:
    with pytest.raises(ValueError):
        pseudonym(CASES[0], b"k" * length)


def test_pseudonym_accepts_a_16_byte_key() -> None:
    assert pseudonym(CASES[0], b"k" * 16) != pseudonym(CASES[0], b"k" * 17)


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        pytest.param("123А456789", "123A456789", id="cyrillic-A-kundennummer"),
        pytest.param("12345ВG0012345", "12345BG0012345", id="cyrillic-VE-for-B"),
        pytest.param("１２３４５ＢＧ００１２３４５", "12345BG0012345", id="fullwidth"),
    ],
)
def test_lookalike_letters_and_fullwidth_forms_are_read_as_meant(raw: str, canonical: str) -> None:
    assert identity.parse_case_number(raw).value == canonical
