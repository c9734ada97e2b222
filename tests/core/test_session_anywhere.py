"""Events that may come on any screen: cancel, language, breakdowns, out of order."""

from __future__ import annotations

import pytest

from kiosk.core import events as ev
from kiosk.core.concerns import concern_by_key
from kiosk.core.events import Wipe
from kiosk.core.records import replace
from kiosk.core.session import LANGUAGES, Phase, step
from tests.core.states import CANCELLABLE, CASE, P3, RECEIPT, STATES, T0, T1, fresh, wipe_commands

ALL = list(STATES)


@pytest.mark.parametrize("name", CANCELLABLE)
def test_cancel_wipes_back_to_the_start(name: str) -> None:
    session, commands = step(STATES[name], ev.Cancelled(at=T1))
    assert session == fresh()
    assert commands == wipe_commands(name)  # CancelScan first when the scanner runs


@pytest.mark.parametrize("name", ["idle", "send", "out-of-order"])
def test_cancel_is_ignored_at_rest_while_sending_and_out_of_order(name: str) -> None:
    assert step(STATES[name], ev.Cancelled(at=T1)) == (STATES[name], ())


def test_cancel_phases_cover_every_phase_but_three() -> None:
    """Guard: the named states really reach every phase a client can cancel from."""
    assert {STATES[n].phase for n in CANCELLABLE} == set(Phase) - {
        Phase.IDLE,
        Phase.SEND,
        Phase.OUT_OF_ORDER,
    }


@pytest.mark.parametrize("name", ALL)
def test_language_can_change_on_every_screen_without_losing_progress(name: str) -> None:
    start = STATES[name]
    session, commands = step(start, ev.LanguageChosen(at=T1, language="en"))
    assert commands == ()
    if start.phase is Phase.OUT_OF_ORDER:
        assert session == start
        return
    phase = Phase.IDENTIFY if start.phase in (Phase.IDLE, Phase.LANGUAGE) else start.phase
    assert session == replace(start, phase=phase, language="en", last_activity=T1, warned=False)


@pytest.mark.parametrize("language", ["fr", "", "EN", "de-DE", "ar_SY", "ru", "fa"], ids=repr)
@pytest.mark.parametrize("name", ALL)
def test_unknown_languages_are_refused(name: str, language: str) -> None:
    assert language not in LANGUAGES
    assert step(STATES[name], ev.LanguageChosen(at=T1, language=language)) == (STATES[name], ())


def test_the_five_languages() -> None:
    assert sorted(LANGUAGES) == ["ar", "de", "en", "tr", "uk"]


@pytest.mark.parametrize("name", [n for n in ALL if n != "staff"])
def test_out_of_order_from_anywhere_wipes(name: str) -> None:
    session, commands = step(STATES[name], ev.OutOfOrder(at=T1, error="storage"))
    assert session == fresh(Phase.OUT_OF_ORDER, error="storage")
    assert commands == wipe_commands(name)


IGNORED_WHILE_OUT_OF_ORDER = [
    ev.Touched(at=T1),
    ev.LanguageChosen(at=T1, language="en"),
    ev.CaseEntered(at=T1, raw="12345BG0012345"),
    ev.CaseConfirmed(at=T1),
    ev.ConcernChosen(at=T1, concern=concern_by_key("sick")),
    ev.ScanRequested(at=T1),
    ev.PageScanned(at=T1, page=P3),
    ev.ScanFinished(at=T1),
    ev.SendRequested(at=T1),
    ev.Submitted(at=T1, receipt=RECEIPT),
    ev.SubmitFailed(at=T1, error="x"),
    ev.Finished(at=T1),
    ev.Cancelled(at=T1),
    ev.Tick(at=T0 + 86_400),
]


@pytest.mark.parametrize(
    "event", IGNORED_WHILE_OUT_OF_ORDER, ids=[type(e).__name__ for e in IGNORED_WHILE_OUT_OF_ORDER]
)
def test_out_of_order_ignores_everything_but_back_in_order(event: ev.Event) -> None:
    start = STATES["out-of-order"]
    assert step(start, event) == (start, ())


def test_back_in_order_starts_fresh() -> None:
    session, commands = step(STATES["out-of-order"], ev.BackInOrder(at=T1))
    assert (session, commands) == (fresh(), ())


def test_a_failure_does_not_bring_an_out_of_order_kiosk_back() -> None:
    start = STATES["out-of-order"]
    session, _ = step(start, ev.FailureOccurred(at=T1, error="unexpected"))
    assert session.phase is Phase.OUT_OF_ORDER


@pytest.mark.parametrize("name", [n for n in ALL if n not in ("out-of-order", "staff")])
def test_a_failure_anywhere_shows_the_error_screen_wiped(name: str) -> None:
    session, commands = step(STATES[name], ev.FailureOccurred(at=T1, error="unexpected"))
    assert session == fresh(Phase.ERROR, error="unexpected")
    assert commands == wipe_commands(name)


def test_a_card_read_on_the_start_screen_starts_a_session() -> None:
    session, commands = step(STATES["idle"], ev.CaseEntered(at=T1, raw="12345//12345"))
    assert (session.phase, session.case, commands) == (Phase.CONFIRM, CASE, ())
    bad, _ = step(STATES["idle"], ev.CaseEntered(at=T1, raw="nonsense"))
    assert bad.phase is Phase.IDENTIFY and bad.identify_error
    read, commands = step(STATES["idle"], ev.CaseRead(at=T1, case=CASE))  # a card: no re-parse
    assert (read.phase, read.case, read.identify_error, commands) == (Phase.CONFIRM, CASE, None, ())


def test_a_receipt_that_arrives_after_a_failure_during_sending_is_still_shown() -> None:
    failed, _ = step(STATES["send"], ev.FailureOccurred(at=T1, error="unexpected"))
    session, commands = step(failed, ev.Submitted(at=T1 + 1, receipt=RECEIPT))
    assert (session.phase, session.receipt, session.case, session.pages) == (
        Phase.RECEIPT,
        RECEIPT,
        None,
        (),
    )
    assert commands == (Wipe(),)


def test_after_a_wipe_the_next_client_starts_in_the_kiosks_home_language() -> None:
    start = replace(STATES["concern"], language="uk", home_language="tr")
    for event in (ev.Cancelled(at=T1), ev.Tick(at=T1 + 10_000), ev.OutOfOrder(at=T1, error="x")):
        session, _ = step(start, event)
        assert (session.language, session.home_language) == ("tr", "tr"), event
    sending = replace(STATES["send"], language="uk", home_language="tr")
    receipt, _ = step(sending, ev.Submitted(at=T1, receipt=RECEIPT))
    assert receipt.language == "uk"  # the client still reads their receipt
    done, _ = step(receipt, ev.Finished(at=T1 + 1))
    assert done.language == "tr"
