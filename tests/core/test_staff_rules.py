"""Staff rules: PINs, the lockout schedule, and staff cards with a signed role."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.core import cards
from kiosk.core.card_signing import PREFIX_SIGNED, PREFIX_STAFF, SignatureProblem, sign, verify
from kiosk.core.staff import FREE_ATTEMPTS, MAX_LOCKOUT, Strikes, lockout_seconds, pin_problem

KEY = b"s" * 32
TODAY = date(2026, 11, 21)


@pytest.mark.parametrize(
    ("pin", "ok"),
    [
        ("4711", True), ("80235", True), ("13572468", True), ("0815", True),
        ("123", False), ("123456789", False), ("12a4", False), ("١٢٣٤", False), (" 4711", False),
        ("0000", False), ("1234", False), ("9876", False), ("8901", False), ("", False),
    ],
)  # fmt: skip
def test_a_pin_is_four_to_eight_digits_and_not_the_first_ones_anyone_tries(
    pin: str, ok: bool
) -> None:
    assert (pin_problem(pin) is None) is ok


def test_five_wrong_pins_are_free_then_the_lockout_doubles_from_15_s() -> None:
    schedule = [lockout_seconds(n) for n in range(1, 12)]
    assert schedule == [0, 0, 0, 0, 15, 30, 60, 120, 240, 480, 960]
    assert lockout_seconds(49) == MAX_LOCKOUT == lockout_seconds(10_000)


def test_strikes_count_attempts_left_and_lock_from_the_fifth() -> None:
    strikes, now = Strikes(), 1000.0
    for n in range(1, FREE_ATTEMPTS):
        strikes = strikes.failed(now)
        assert strikes.locked(now) is None and strikes.attempts_left == FREE_ATTEMPTS - n
    strikes = strikes.failed(now)
    assert strikes.locked(now) == now + 15 and strikes.locked(now + 15) is None


def test_a_lock_further_off_than_its_schedule_counts_from_now() -> None:
    """The clock was set back by a day: the lockout is still 15 s, not a day and 15 s."""
    assert Strikes(5, locked_until=90_015.0).locked(now=15.0) == 30.0


def test_a_staff_card_carries_a_signed_role_and_the_first_form_stays_valid() -> None:
    rules = cards.CardRules(staff_key=KEY)
    with_role = sign(PREFIX_STAFF, "kmqxrtvw", TODAY, KEY, role="office")
    assert with_role.startswith("JC1:STAFF:kmqxrtvw:office:20261121:")
    payload = cards.read_card(with_role, rules, TODAY)
    assert (payload.kind, payload.value, payload.role) == (
        cards.CardKind.STAFF,
        "kmqxrtvw",
        "office",
    )
    first_form = cards.read_card(sign(PREFIX_STAFF, "field-support-7", TODAY, KEY), rules, TODAY)
    assert (first_form.value, first_form.role) == ("field-support-7", None)


def test_a_role_cannot_be_changed_on_a_card_nor_put_on_a_client_card() -> None:
    card = sign(PREFIX_STAFF, "kmqxrtvw", TODAY, KEY, role="office")
    with pytest.raises(SignatureProblem, match="bad-signature"):
        verify(card.replace(":office:", ":support:"), PREFIX_STAFF, KEY, TODAY)
    with pytest.raises(ValueError, match="only a staff card"):
        sign(PREFIX_SIGNED, "12345BG0012345", TODAY, KEY, role="office")
    forged = sign(PREFIX_STAFF, "12345BG0012345", TODAY, KEY, role="office")
    as_client = forged.replace(PREFIX_STAFF, PREFIX_SIGNED, 1)
    with pytest.raises(SignatureProblem):
        verify(as_client, PREFIX_SIGNED, KEY, TODAY)
    with pytest.raises(ValueError):
        sign(PREFIX_STAFF, "kmqxrtvw", TODAY, KEY, role="admin")
