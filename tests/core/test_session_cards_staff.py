"""Cards that are refused, and the staff card: staff mode never meets a client's data."""

from __future__ import annotations

import pytest

from kiosk.core import cards, identity
from kiosk.core import events as ev
from kiosk.core.events import CancelScan, Wipe
from kiosk.core.session import Phase, step
from tests.core.states import STATES, T0, T1, fresh

REFUSED = ev.CardRefused(at=T1, reason=cards.REASON_EXPIRED)


def test_a_refused_card_on_the_start_screen_opens_identify_with_the_reason() -> None:
    session, commands = step(STATES["idle"], REFUSED)
    assert (session.phase, session.identify_error, commands) == (
        Phase.IDENTIFY,
        cards.REASON_EXPIRED,
        (),
    )
    assert session.last_activity == T1


def test_a_refused_card_on_identify_shows_the_reason_and_the_next_entry_clears_it() -> None:
    session, _ = step(STATES["identify"], REFUSED)
    assert (session.phase, session.identify_error, session.card_refused, session.language) == (
        Phase.IDENTIFY,
        cards.REASON_EXPIRED,
        True,  # shown by the camera, not by the number field
        "uk",  # the client's language stays
    )
    typo, _ = step(session, ev.CaseEntered(at=T1 + 1, raw="12345BG0000000"))
    assert (typo.identify_error, typo.card_refused) == (identity.REASON_BG_ZERO, False)
    after, _ = step(session, ev.CaseEntered(at=T1 + 1, raw="12345BG0012345"))
    assert (after.phase, after.identify_error, after.card_refused) == (Phase.CONFIRM, None, False)


@pytest.mark.parametrize("name", ["confirm", "concern", "review", "send", "receipt", "staff"])
def test_a_refused_card_elsewhere_changes_nothing(name: str) -> None:
    assert step(STATES[name], REFUSED) == (STATES[name], ())


@pytest.mark.parametrize("name", ["idle", "language", "identify", "error", "out-of-order"])
def test_a_staff_card_opens_staff_mode_from_a_session_without_client_data(name: str) -> None:
    session, commands = step(STATES[name], ev.StaffCardShown(at=T1))
    assert session == fresh(Phase.STAFF)
    assert commands == (Wipe(),)


def test_a_staff_card_wipes_a_number_half_typed_on_identify() -> None:
    start = STATES["identify-after-bad-entry"]
    session, commands = step(start, ev.StaffCardShown(at=T1))
    assert (session.phase, session.identify_error, commands) == (Phase.STAFF, None, (Wipe(),))


@pytest.mark.parametrize(
    "name",
    [
        "confirm",
        "concern",
        "scan-empty",
        "scanning",
        "scan-with-pages",
        "review",
        "send",
        "receipt",
    ],
)
def test_a_staff_card_never_throws_a_client_out(name: str) -> None:
    assert step(STATES[name], ev.StaffCardShown(at=T1)) == (STATES[name], ())


@pytest.mark.parametrize("event", [ev.StaffLeft(at=T1), ev.Cancelled(at=T1)], ids=repr)
def test_leaving_staff_mode_goes_back_to_the_start_wiped(event: ev.Event) -> None:
    session, commands = step(STATES["staff"], event)
    assert (session, commands) == (fresh(), (Wipe(),))


@pytest.mark.parametrize(
    "event",
    [
        ev.OutOfOrder(at=T1, error="scanner"),
        ev.BackInOrder(at=T1),
        ev.FailureOccurred(at=T1, error="unexpected"),
        ev.CaseEntered(at=T1, raw="12345BG0012345"),
        REFUSED,
        ev.ScanRequested(at=T1),
        ev.Finished(at=T1),
    ],
    ids=lambda e: type(e).__name__,
)
def test_staff_mode_stays_until_staff_leave(event: ev.Event) -> None:
    """Health reports and stray client input wait; the state shows on the staff screen."""
    assert step(STATES["staff"], event) == (STATES["staff"], ())


def test_staff_mode_keeps_touches_and_language_and_times_out() -> None:
    for event in (ev.Touched(at=T1), ev.StaffCardShown(at=T1)):
        touched, commands = step(STATES["staff"], event)
        assert (touched.phase, touched.last_activity, commands) == (Phase.STAFF, T1, ())
    german, _ = step(STATES["staff"], ev.LanguageChosen(at=T1, language="de"))
    assert (german.phase, german.language) == (Phase.STAFF, "de")
    limit = STATES["staff"].limits.timeout(Phase.STAFF)
    assert limit is not None
    warned, commands = step(STATES["staff"], ev.Tick(at=T0 + limit - 5))
    assert warned.warned and isinstance(commands[0], ev.WarnTimeout)
    gone, commands = step(warned, ev.Tick(at=T0 + limit))
    assert (gone, commands) == (fresh(at=T0 + limit), (Wipe(),))


def test_the_scanner_is_never_running_in_staff_mode() -> None:
    """A staff card during a scan is ignored, so no CancelScan is ever needed for it."""
    session, commands = step(STATES["scanning"], ev.StaffCardShown(at=T1))
    assert session.scanning and CancelScan() not in commands
