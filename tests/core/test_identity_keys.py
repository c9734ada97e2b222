"""Typing a number key by key: the rule the keypad and the keyboard follow (allowed_next)
agrees with parse_case_number. Every number it accepts can be typed; no key the rule refuses
could still lead to a number; no key it offers leads into a dead end."""

from __future__ import annotations

import itertools
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.core.identity import (
    KEYS,
    CaseKind,
    InvalidCaseNumber,
    Step,
    allowed_next,
    is_case_prefix,
    parse_case_number,
    progress,
    read_key,
)

# Every shape a canonical number can have, with 1 for each digit and A for the letter: a text
# t can still become a number exactly when t + the rest of one of these parses (t decides
# the characters it holds; the template's 1s make a serial non-zero).
TEMPLATES = [
    *(f"11111{sep}{'1' * n}" for sep in ("BG", "//") for n in range(1, 8)),
    "111A111111",
]


def accepted(text: str) -> bool:
    try:
        parse_case_number(text)
    except InvalidCaseNumber:
        return False
    return True


def completable(text: str) -> bool:
    """The oracle: some way to go on from ``text`` ends in a number parse_case_number takes."""
    return any(accepted(text + t[len(text) :]) for t in TEMPLATES if len(t) >= len(text))


def keys_of(value: str) -> list[str]:
    """A typed number as keypad keys: BG and // are one key each."""
    keys, i = [], 0
    while i < len(value):
        step = 2 if value[i : i + 2] in ("BG", "//") else 1
        keys.append(value[i : i + step])
        i += step
    return keys


digits = st.text(string.digits, min_size=1, max_size=1)
bg_numbers = st.builds(
    lambda office, sep, serial: office + sep + serial,
    st.text(string.digits, min_size=5, max_size=5),
    st.sampled_from(["BG", "//"]),
    st.text(string.digits, min_size=1, max_size=7).filter(lambda s: int(s) != 0),
)
customer_numbers = st.builds(
    lambda head, letter, tail: head + letter + tail,
    st.text(string.digits, min_size=3, max_size=3),
    st.sampled_from(string.ascii_uppercase),
    st.text(string.digits, min_size=6, max_size=6),
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(bg_numbers, customer_numbers))
def test_every_number_parse_accepts_can_be_typed_key_by_key(number: str) -> None:
    assert accepted(number)
    typed = ""
    for key in keys_of(number):
        assert key in allowed_next(typed), (typed, key)
        typed += key
    found = progress(typed)
    assert found is not None and found.accepted


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_a_key_is_offered_exactly_when_a_number_can_still_follow(data: st.DataObject) -> None:
    """A walk over offered keys, as a client taps: at each step every key of the keypad is
    offered exactly when the oracle finds a way on to a number, refused otherwise."""
    typed = ""
    for _ in range(16):
        offered = allowed_next(typed)
        for key in KEYS:
            assert (key in offered) == completable(typed + key), (typed, key)
        if not offered:
            assert accepted(typed)  # nothing more can come: it is a whole number
            break
        typed += data.draw(st.sampled_from(sorted(offered)))
    assert is_case_prefix(typed)


REPRESENTATIVE = ["0", "1", "A", "B", "G", "BG", "//", "/"]  # what the rule tells apart


@pytest.mark.parametrize(
    "length",
    [*range(5), pytest.param(5, marks=pytest.mark.slow)],
)
def test_every_short_input_is_judged_as_the_oracle_judges_it(length: int) -> None:
    """Exhaustive over the keys that behave differently, ``length`` of them."""
    for keys in itertools.product(REPRESENTATIVE, repeat=length):
        text = "".join(keys)
        assert is_case_prefix(text) == completable(text), text
        assert (progress(text) is None) == (not completable(text)), text


@settings(max_examples=500, deadline=None)
@given(st.text("0123456789ABGZ/ -", max_size=18))
def test_any_text_is_a_prefix_exactly_when_it_can_become_a_number(text: str) -> None:
    canonical = text.replace(" ", "").replace("-", "")
    assert is_case_prefix(text) == completable(canonical)
    if accepted(text):
        assert is_case_prefix(text)


@pytest.mark.parametrize(
    ("typed", "refused"),
    [
        pytest.param("12345BG0012345", set(KEYS), id="an-8th-digit-after-BG"),
        pytest.param("12345//", {"BG", "//", "A"}, id="BG-after-slashes"),
        pytest.param("12345BG", {"BG", "//"}, id="a-second-BG"),
        pytest.param("1234", {"BG", "//", "A"}, id="BG-before-5-digits"),
        pytest.param("123", {"BG", "//"}, id="BG-after-3-digits"),
        pytest.param("", {"BG", "//", "A"}, id="nothing-before-a-digit"),
        pytest.param("12345", {"0", "9", "A"}, id="a-6th-digit"),
        pytest.param("123A", set(string.ascii_uppercase) | {"BG", "//"}, id="a-second-letter"),
        pytest.param("123A456789", set(KEYS), id="after-a-whole-Kundennummer"),
        pytest.param("12345BG000000", {"0"}, id="a-7th-zero"),
    ],
)
def test_keys_that_cannot_come_next_are_not_offered(typed: str, refused: set[str]) -> None:
    assert refused.isdisjoint(allowed_next(typed))


@pytest.mark.parametrize(
    ("typed", "step", "count", "whole"),
    [
        ("", Step.START, 0, False),
        ("12", Step.OFFICE, 2, False),
        ("123", Step.OFFICE_OR_LETTER, 3, False),
        ("12345", Step.SEPARATOR, 5, False),
        ("12345BG", Step.SERIAL, 0, False),
        ("12345//001", Step.SERIAL, 3, True),
        ("12345BG0", Step.SERIAL, 1, False),
        ("123A45", Step.CUSTOMER, 2, False),
        ("12345BG0012345", Step.COMPLETE, 0, True),
        ("123A456789", Step.COMPLETE, 0, True),
    ],
)
def test_progress_says_what_is_still_missing(
    typed: str, step: Step, count: int, whole: bool
) -> None:
    found = progress(typed)
    assert found is not None
    assert (found.step, found.typed, found.accepted) == (step, count, whole)


def test_progress_refuses_what_cannot_become_a_number() -> None:
    for typed in ("BG", "1234BG", "12345BG00123456", "1A", "x", "12345BG0000000"):
        assert progress(typed) is None and not allowed_next(typed)


@pytest.mark.parametrize(
    ("char", "read"),
    [
        ("7", "7"),
        ("b", "B"),
        ("ı", "I"),  # Turkish layout
        ("٣", "3"),  # Arabic-Indic
        ("۵", "5"),  # Persian
        ("ｇ", "G"),  # fullwidth
        ("／", "/"),
        ("В", "B"),  # Cyrillic look-alike
        (" ", ""),  # separators: ignored
        ("-", ""),
        ("é", None),
        ("#", None),
        ("\t", None),
        ("ab", None),
        ("", None),
    ],
)
def test_a_typed_character_is_read_as_parse_case_number_reads_it(
    char: str, read: str | None
) -> None:
    assert read_key(char) == read


def test_keyboard_characters_read_as_meant_type_the_same_number() -> None:
    typed = "".join(read_key(c) or "" for c in "١٢٣٤٥ вg ٠٠١٢٣٤٥")
    assert typed == "12345BG0012345" and parse_case_number(typed).kind is CaseKind.BG_NUMMER
