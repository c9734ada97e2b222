"""Receipt numbers: easy to read out over the phone, unique enough, checkable."""

from __future__ import annotations

import random
import re

import pytest

from kiosk.core.receipt import is_receipt_id, receipt_id_from

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base 32: no I, L, O, U
SHAPE = re.compile(r"[0-9A-HJKMNP-TV-Z]{3}-[0-9A-HJKMNP-TV-Z]{3}-[0-9A-HJKMNP-TV-Z]{3}\Z")


def _random_entropies(count: int, seed: int = 7) -> list[bytes]:
    rng = random.Random(seed)
    return [rng.randbytes(6) for _ in range(count)]


@pytest.mark.parametrize(
    "entropy",
    [bytes(6), b"\xff" * 6, b"\x01\x02\x03\x04\x05\x06", b"abcdefghijkl", bytes(range(32))],
    ids=["zeros", "ones", "counting", "twelve-bytes", "thirty-two-bytes"],
)
def test_shape_is_three_groups_of_three_crockford_characters(entropy: bytes) -> None:
    receipt_id = receipt_id_from(entropy)
    assert SHAPE.match(receipt_id), receipt_id
    assert receipt_id == receipt_id_from(bytes(entropy))  # deterministic


def test_ids_use_the_whole_alphabet_and_never_confusable_letters() -> None:
    seen = set("".join(receipt_id_from(e) for e in _random_entropies(2000)).replace("-", ""))
    assert seen == set(CROCKFORD)
    assert not seen & set("ILOU")


def test_different_random_bytes_give_different_ids() -> None:
    entropies = set(_random_entropies(20_000))
    ids = {receipt_id_from(e) for e in entropies}
    assert len(ids) == len(entropies)


@pytest.mark.parametrize("bit", range(45), ids=lambda b: f"bit-{b}")
def test_every_one_of_the_45_used_bits_changes_the_id(bit: int) -> None:
    base = bytes.fromhex("5a5a5a5a5a5a")
    flipped = (int.from_bytes(base, "big") ^ (1 << bit)).to_bytes(6, "big")
    assert receipt_id_from(flipped) != receipt_id_from(base)


@pytest.mark.parametrize("length", range(6), ids=lambda n: f"{n}-bytes")
def test_too_little_entropy_is_refused(length: int) -> None:
    with pytest.raises(ValueError):
        receipt_id_from(b"\x7f" * length)


@pytest.mark.parametrize("entropy", _random_entropies(50, seed=11) + [bytes(6), b"\xff" * 6])
def test_every_generated_id_is_recognised(entropy: bytes) -> None:
    assert is_receipt_id(receipt_id_from(entropy))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "ABC-DEF-GH",
        "ABC-DEF-GHJK",
        "ABCDEFGHJ",
        "ABC-DEF-GHJ-",
        "-ABC-DEF-GHJ",
        "ABC--DEF-GHJ",
        "ABC_DEF_GHJ",
        "ABC DEF GHJ",
        " ABC-DEF-GHJ",
        "ABC-DEF-GHJ\n",
        "ABC-DEF-GHI",
        "ABC-DEF-GHL",
        "ABC-DEF-GHO",
        "ABC-DEF-GHU",
        "ABC-DEF-GH*",
        "ＡＢＣ-ＤＥＦ-ＧＨＪ",
        "AB-CDEF-GHJ",
        "ABC-DEF-GHJ-KMN",
    ],
    ids=repr,
)
def test_things_that_are_not_receipt_ids(text: str) -> None:
    assert not is_receipt_id(text)
