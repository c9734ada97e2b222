"""Inactivity: warn once, let a touch extend, and at the limit wipe back to the start."""

from __future__ import annotations

import pytest

from kiosk.core import events as ev
from kiosk.core.events import WarnTimeout, Wipe
from kiosk.core.records import replace
from kiosk.core.session import Limits, Phase, Session, step
from tests.core.states import SCANNING, STATES, T0, WARNING_STATES, fresh, wipe_commands

LIMITS = Limits()
WARN = LIMITS.warn_before


def assert_warns(commands: tuple[object, ...], seconds_left: float) -> None:
    """Exactly one warning, telling how long is left (float arithmetic: approximately)."""
    assert [type(c) for c in commands] == [WarnTimeout]
    assert isinstance(commands[0], WarnTimeout)
    assert commands[0].seconds_left == pytest.approx(seconds_left)


def _limit(name: str) -> float:
    limit = LIMITS.timeout(STATES[name].phase)
    assert limit is not None
    return limit


@pytest.mark.parametrize(
    "phase",
    [
        Phase.LANGUAGE,
        Phase.IDENTIFY,
        Phase.CONFIRM,
        Phase.CONCERN,
        Phase.SCAN,
        Phase.REVIEW,
        Phase.RECEIPT,
        Phase.ERROR,
    ],
)
def test_every_phase_showing_something_of_a_client_has_a_limit(phase: Phase) -> None:
    assert LIMITS.timeout(phase) is not None


@pytest.mark.parametrize("phase", [Phase.IDLE, Phase.OUT_OF_ORDER])
def test_resting_phases_have_no_limit(phase: Phase) -> None:
    assert LIMITS.timeout(phase) is None


def test_warning_gives_at_least_20_seconds_and_comes_after_some_quiet_time() -> None:
    """EN 301 549: warn, and let one action extend by at least 20 s."""
    assert WARN >= 20
    for name in WARNING_STATES:
        assert _limit(name) >= 2 * WARN, name


@pytest.mark.parametrize("name", WARNING_STATES)
def test_quiet_time_before_the_warning_window_changes_nothing(name: str) -> None:
    start = STATES[name]
    assert step(start, ev.Tick(at=T0 + _limit(name) - WARN - 0.5)) == (start, ())


@pytest.mark.parametrize("name", WARNING_STATES)
def test_warning_comes_once_inside_the_window(name: str) -> None:
    start = STATES[name]
    first_at = T0 + _limit(name) - WARN + 1
    warned, commands = step(start, ev.Tick(at=first_at))
    assert_warns(commands, WARN - 1)
    assert warned == replace(start, warned=True)  # a warning is not activity
    for later in (first_at + 1, first_at + 10, T0 + _limit(name) - 0.01):
        assert step(warned, ev.Tick(at=later)) == (warned, ())


@pytest.mark.parametrize("name", WARNING_STATES)
def test_a_touch_after_the_warning_clears_it_and_extends(name: str) -> None:
    limit = _limit(name)
    warned, _ = step(STATES[name], ev.Tick(at=T0 + limit - 5))
    touch_at = T0 + limit - 2
    touched, commands = step(warned, ev.Touched(at=touch_at))
    assert commands == ()
    assert touched == replace(STATES[name], last_activity=touch_at, warned=False)
    # At least 20 s more than the original deadline, with nothing lost.
    assert step(touched, ev.Tick(at=T0 + limit + 20)) == (touched, ())
    # And the next quiet spell warns again instead of timing out silently.
    _, again = step(touched, ev.Tick(at=touch_at + limit - WARN + 1))
    assert_warns(again, WARN - 1)


@pytest.mark.parametrize("late", [0.0, 0.01, 1000.0], ids=["at", "just-after", "long-after"])
@pytest.mark.parametrize("name", [*WARNING_STATES, "review-warned", "receipt", "error"])
def test_at_the_limit_the_session_is_wiped_back_to_idle(name: str, late: float) -> None:
    now = T0 + _limit(name) + late
    assert step(STATES[name], ev.Tick(at=now)) == (fresh(at=now), wipe_commands(name))


@pytest.mark.parametrize("name", SCANNING)
def test_no_timeout_while_the_scanner_is_working(name: str) -> None:
    start = STATES[name]
    for now in (T0 + _limit(name) - WARN + 1, T0 + _limit(name), T0 + 100 * _limit(name)):
        assert step(start, ev.Tick(at=now)) == (start, ())


@pytest.mark.parametrize("name", ["idle", "out-of-order"])
def test_resting_phases_never_time_out(name: str) -> None:
    assert step(STATES[name], ev.Tick(at=T0 + 86_400)) == (STATES[name], ())


def test_sending_is_not_aborted_by_a_slow_inbox() -> None:
    start = STATES["send"]
    assert step(start, ev.Tick(at=T0 + 120)) == (start, ())


def test_error_screen_clears_itself_without_a_warning() -> None:
    """The failsafe: nothing to keep on an error screen, so no warning, just back to start."""
    start = STATES["error"]
    limit = _limit("error")
    for now in (T0 + 0.5, T0 + limit / 2, T0 + limit - 0.01):
        assert step(start, ev.Tick(at=now)) == (start, ())
    assert step(start, ev.Tick(at=T0 + limit)) == (fresh(at=T0 + limit), (Wipe(),))
    assert step(start, ev.Touched(at=T0 + 1)) == (fresh(at=T0 + 1), (Wipe(),))


def test_receipt_screen_warns_before_it_disappears() -> None:
    start = STATES["receipt"]
    _, commands = step(start, ev.Tick(at=T0 + _limit("receipt") - WARN + 1))
    assert_warns(commands, WARN - 1)


def test_receipt_screen_is_extended_by_a_touch() -> None:
    limit = _limit("receipt")
    touched, _ = step(STATES["receipt"], ev.Touched(at=T0 + limit - 1))
    assert step(touched, ev.Tick(at=T0 + limit + 20)) == (touched, ())
    assert touched.receipt == STATES["receipt"].receipt


def test_a_scan_that_ends_restarts_the_clock() -> None:
    """A long scan must not leave the client with an instant timeout when it ends."""
    limit = _limit("scanning-with-pages")
    end = T0 + 3 * limit
    done, _ = step(STATES["scanning-with-pages"], ev.ScanFinished(at=end))
    assert done.phase is Phase.REVIEW
    assert step(done, ev.Tick(at=end + 1)) == (done, ())


def test_custom_limits_are_honoured() -> None:
    limits = Limits(per_phase={**Limits().per_phase, Phase.IDENTIFY: 300.0}, warn_before=30.0)
    start = Session(phase=Phase.IDENTIFY, last_activity=T0, limits=limits)
    assert step(start, ev.Tick(at=T0 + 269)) == (start, ())
    _, commands = step(start, ev.Tick(at=T0 + 271))
    assert_warns(commands, 29)
    wiped, commands = step(start, ev.Tick(at=T0 + 300))
    assert (wiped.phase, commands) == (Phase.IDLE, (Wipe(),))
    assert wiped.limits is limits  # the configuration survives the wipe


def test_sending_never_warns_the_client_but_cannot_hang_forever() -> None:
    start = STATES["send"]
    limit = _limit("send")
    assert limit is not None
    assert step(start, ev.Tick(at=T0 + limit - WARN + 1)) == (start, ())  # no warning
    session, commands = step(start, ev.Tick(at=T0 + limit))
    assert session.phase is Phase.IDLE and session.case is None and Wipe() in commands
