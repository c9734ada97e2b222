"""Case numbers as clients type or scan them: what is accepted, what is refused and why."""

from __future__ import annotations

import random
import re
import time
import unicodedata

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


# --- which characters are read as meant, which are refused -----------------------------
# Only what the README lists is mapped: ASCII (any case), Arabic-Indic and Persian digits,
# fullwidth forms, Cyrillic look-alikes (and the Turkish dotless ı the Turkish layout types).
# Everything else inside a number is refused, not silently dropped or "normalised".
# Cases marked "guard" held before the fix too; they keep it from overshooting.

ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"
PERSIAN = "۰۱۲۳۴۵۶۷۸۹"
FULLWIDTH_DIGITS = "０１２３４５６７８９"
CYRILLIC = "АВСЕНІКМОРТХ"
LATIN_TWINS = "ABCEHIKMOPTX"
SEPARATORS = (
    " \u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f"
    "\u3000-\u2010\u2011\u2012\u2013\u2014\u2015\uff0d"
)
# Put around a left-to-right code by right-to-left text (kiosk/ui/i18n/bidi.py): LRI, RLI, FSI,
# PDI, LRM, RLM, ALM. Stripped at either end, refused inside.
BIDI_AT_EDGES = "\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


READ_AS_MEANT = [
    # bidi marks and isolates around the number, as copied from right-to-left text
    pytest.param("\u206612345 BG 0012345\u2069", "12345BG0012345", id="lri-pdi-around"),
    pytest.param("\u2068123A456789\u2069", "123A456789", id="fsi-pdi-around"),
    pytest.param("\u200f123A456789", "123A456789", id="rlm-before"),
    pytest.param("123A456789\u200e", "123A456789", id="lrm-after"),
    pytest.param("\u061c12345//12345", "12345BG0012345", id="alm-before"),
    pytest.param("\u2066123A456789\u2069\r\n", "123A456789", id="isolated-then-enter"),
    pytest.param("  \u2067 12345 BG 1 \u2069 \r\n", "12345BG0000001", id="spaces-and-isolates"),
    # guard: whitespace at the ends
    pytest.param("   12345 BG 0012345   ", "12345BG0012345", id="spaces-around"),
    pytest.param("12345BG0012345\r\n", "12345BG0012345", id="trailing-crlf"),
    pytest.param("123A456789\n", "123A456789", id="trailing-lf"),
    # guard: separators inside
    pytest.param("12345\u2010BG\u20110012345", "12345BG0012345", id="hyphen-nb-hyphen"),
    pytest.param("123\u2012A\u2014456\u2015789", "123A456789", id="figure-em-bar-dash"),
    pytest.param("12345\u2009BG\u20090012345", "12345BG0012345", id="thin-space"),
    pytest.param("12345\u2007BG\u200a0012345", "12345BG0012345", id="figure-hair-space"),
    pytest.param("123\u3000A\u3000456789", "123A456789", id="ideographic-space"),
    pytest.param("12345\u205fBG\u00a00012345", "12345BG0012345", id="math-space-nbsp"),
    pytest.param("12345－BG－0012345", "12345BG0012345", id="fullwidth-hyphen"),
    # guard: digits and fullwidth forms
    pytest.param("۱۲۳A۴۵۶۷۸۹", "123A456789", id="persian-kundennummer"),
    pytest.param("١٢٣٤٥ BG ٠٠١٢٣٤٥", "12345BG0012345", id="arabic-spaced"),
    pytest.param("１２３Ａ４５６７８９", "123A456789", id="fullwidth-kundennummer"),
    pytest.param("１２３４５ｂｇ００１２３４５", "12345BG0012345", id="fullwidth-lower-bg"),
    pytest.param("１２３４５／／００１２３４５", "12345BG0012345", id="fullwidth-solidus"),
    pytest.param("12345ＢＧ0012345", "12345BG0012345", id="fullwidth-bg-only"),
    pytest.param("12345／/12345", "12345BG0012345", id="mixed-solidus"),
    # guard: Cyrillic look-alikes, either case
    pytest.param("123М456789", "123M456789", id="cyrillic-EM"),
    pytest.param("123а456789", "123A456789", id="cyrillic-lower-a"),
    pytest.param("12345вg0012345", "12345BG0012345", id="cyrillic-lower-ve"),
    pytest.param("123х456789", "123X456789", id="cyrillic-lower-ha"),
    pytest.param("123і456789", "123I456789", id="ukrainian-lower-i"),
]


@pytest.mark.parametrize(("raw", "canonical"), READ_AS_MEANT)
def test_documented_characters_and_separators_are_read_as_meant(raw: str, canonical: str) -> None:
    assert parse_case_number(raw).value == canonical


REFUSED_CHARACTERS = [
    # control characters inside the number: a scanner or a paste went wrong, not a separator
    pytest.param("12345\tBG0012345", id="tab"),
    pytest.param("12345BG\n0012345", id="newline"),
    pytest.param("123A\r456789", id="carriage-return"),
    pytest.param("12345\r\nBG0012345", id="crlf-inside"),
    pytest.param("12345BG00\x0b12345", id="vertical-tab"),
    pytest.param("12345BG00\x0c12345", id="form-feed"),
    pytest.param("12345\x1cBG0012345", id="file-separator"),
    pytest.param("123A4567\x1f89", id="unit-separator"),
    pytest.param("123A\x85456789", id="next-line"),
    pytest.param("123A\u2028456789", id="line-separator"),
    pytest.param("123A\u2029456789", id="paragraph-separator"),
    pytest.param("123A\u1680456789", id="ogham-space-mark"),
    pytest.param("12345BG00\x0012345", id="nul"),  # guard, as the two below
    pytest.param("123A45678\x7f9", id="delete"),
    # guard: format characters, invisible, so the client cannot see what they typed
    pytest.param("12345BG00\u200b12345", id="zero-width-space"),
    pytest.param("123A\u200c456789", id="zero-width-non-joiner"),
    pytest.param("123A\u200d456789", id="zero-width-joiner"),
    pytest.param("123A\u2060456789", id="word-joiner"),
    pytest.param("123A\ufeff456789", id="byte-order-mark-inside"),
    pytest.param("\ufeff123A456789", id="byte-order-mark-before"),
    pytest.param("123A45\u00ad6789", id="soft-hyphen"),
    pytest.param("12345\u200eBG0012345", id="lrm-inside"),
    pytest.param("123A\u200f456789", id="rlm-inside"),
    pytest.param("12345 \u2066BG\u2069 0012345", id="isolate-inside"),
    pytest.param("\u202e123A456789", id="rtl-override-before"),
    pytest.param("123A456789\u202c", id="pop-embedding-after"),
    # other scripts' digits and compatibility forms: not what the README promises
    pytest.param("१२३४५BG००१२३४५", id="devanagari-digits"),
    pytest.param("১২৩৪৫BG০০১২৩৪৫", id="bengali-digits"),
    pytest.param("๑๒๓๔๕BG๐๐๑๒๓๔๕", id="thai-digits"),
    pytest.param("①②③④⑤BG⓪⓪①②③④⑤", id="circled-digits"),
    pytest.param("¹²³⁴⁵BG⁰⁰¹²³⁴⁵", id="superscript-digits"),
    pytest.param("₁₂₃A₄₅₆₇₈₉", id="subscript-digits"),
    pytest.param("𝟏𝟐𝟑A𝟒𝟓𝟔𝟕𝟖𝟗", id="math-bold-digits"),
    pytest.param("12345BGⅫ", id="roman-numeral-twelve"),
    pytest.param("123Ⅰ456789", id="roman-numeral-one"),
    pytest.param("12345𝐁𝐆0012345", id="math-bold-letters"),
    pytest.param("123𝐀456789", id="math-bold-capital-a"),
    pytest.param("123\u212a456789", id="kelvin-sign"),
    pytest.param("123ſ456789", id="long-s"),
    pytest.param("123ß456789", id="sharp-s"),
    pytest.param("12345ﬀ0012345", id="ff-ligature"),
    pytest.param("12345ΒG0012345", id="greek-capital-beta"),  # guard, as the two below
    pytest.param("123α456789", id="greek-alpha"),
    pytest.param("123A456789＃", id="fullwidth-number-sign"),
]


@pytest.mark.parametrize("raw", REFUSED_CHARACTERS)
def test_other_characters_inside_are_refused_not_dropped_or_mapped(raw: str) -> None:
    with pytest.raises(InvalidCaseNumber) as caught:
        parse_case_number(raw)
    assert caught.value.reason == identity.REASON_CHARACTERS


def _documented() -> set[str]:
    """Every character the README allows inside a number (plus the Turkish ı)."""
    allowed = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz/")
    allowed |= set(ARABIC_INDIC + PERSIAN + SEPARATORS + CYRILLIC + CYRILLIC.lower() + "ı")
    allowed |= {chr(ord(c) + 0xFEE0) for c in allowed if c.isascii() and c != " "}
    return allowed


def test_every_other_character_inside_a_number_is_refused() -> None:
    """Exhaustive over the BMP and the mathematical and enclosed alphanumerics."""
    documented = _documented()
    planes = [range(0x10000), range(0x1D400, 0x1D800), range(0x1F100, 0x1F200)]
    accepted = []
    for code in (code for plane in planes for code in plane):
        char = chr(code)
        if char in documented:
            continue
        try:
            parse_case_number(f"123A45{char}6789")
        except InvalidCaseNumber as bad:
            if bad.reason == identity.REASON_CHARACTERS:
                continue
        accepted.append(f"U+{code:04X}")
    assert accepted == []


def _spell(canonical: str, rng: random.Random, edges: bool = True) -> str:
    """The canonical number as a client might type, paste or scan it."""
    variants = {
        str(d): [str(d), ARABIC_INDIC[d], PERSIAN[d], FULLWIDTH_DIGITS[d]] for d in range(10)
    }
    for latin in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        fullwidth = chr(ord(latin) + 0xFEE0)
        variants[latin] = [latin, latin.lower(), fullwidth, chr(ord(fullwidth) + 0x20)]
    for cyrillic, latin in zip(CYRILLIC, LATIN_TWINS, strict=True):
        variants[latin] += [cyrillic, cyrillic.lower()]
    if canonical[5:7] == "BG" and rng.random() < 0.5:
        canonical = canonical[:5] + rng.choice(["//", "／／", "/／"]) + canonical[7:].lstrip("0")
    spelled = ""
    for char in canonical:
        spelled += rng.choice(variants.get(char, [char]))
        if rng.random() < 0.15:
            spelled += rng.choice(SEPARATORS)
    if not edges:
        return spelled.rstrip(SEPARATORS)
    before = "".join(rng.choice(" \t\r\n\u00a0" + BIDI_AT_EDGES) for _ in range(rng.randint(0, 3)))
    return before + spelled + rng.choice(["", "\r\n", "\n", " ", "\u2069", "\u2069\r\n"])


def _random_canonical(rng: random.Random) -> str:
    digits = "".join(rng.choice("0123456789") for _ in range(12))
    if rng.random() < 0.5:
        return f"{digits[:5]}BG{digits[5:11]}{rng.choice('123456789')}"
    return f"{digits[:3]}{rng.choice('ABCDEFGHIJKLMNOPQRSTUVWXYZ')}{digits[3:9]}"


def test_any_documented_spelling_of_a_number_reads_as_that_number() -> None:
    rng = random.Random(20240602)
    for _ in range(3000):
        canonical = _random_canonical(rng)
        raw = _spell(canonical, rng)
        assert len(raw) <= identity.MAX_INPUT_LENGTH, ascii(raw)
        assert parse_case_number(raw).value == canonical, ascii(raw)


def test_a_control_or_format_character_anywhere_inside_is_refused() -> None:
    rng = random.Random(20240603)
    invisible = [
        chr(c) for c in range(0x10000) if unicodedata.category(chr(c)) in ("Cc", "Cf", "Zl", "Zp")
    ]
    for _ in range(3000):
        spelled = _spell(_random_canonical(rng), rng, edges=False)
        at = rng.randint(1, len(spelled) - 1)
        raw = spelled[:at] + rng.choice(invisible) + spelled[at:]
        with pytest.raises(InvalidCaseNumber) as caught:
            parse_case_number(raw)
        assert caught.value.reason == identity.REASON_CHARACTERS, ascii(raw)
