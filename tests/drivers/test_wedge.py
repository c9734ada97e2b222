"""HID wedge: bursts ending in Enter are scans; a person's keys pass through unchanged."""

from __future__ import annotations

import random
from collections.abc import Iterable

import pytest

from drivers.codes.wedge import Scanned, Typed, WedgeRecogniser, WedgeTiming

CODE = "12345BG0012345"


def keys(text: str, start: float, gaps: Iterable[float]) -> list[tuple[str, float]]:
    """``text`` typed from ``start`` with the given gaps between consecutive keys."""
    at, events = start, []
    gap_iter = iter(gaps)
    for index, char in enumerate(text):
        if index:
            at += next(gap_iter)
        events.append((char, at))
    return events


def scanner(text: str, start: float = 10.0, gap: float = 0.004) -> list[tuple[str, float]]:
    return keys(text + "\r", start, [gap] * len(text))


def person(
    text: str, start: float, rng: random.Random, low: float = 0.15, high: float = 0.4
) -> list[tuple[str, float]]:
    return keys(text, start, [rng.uniform(low, high) for _ in text])


def run(
    events: list[tuple[str, float]], timing: WedgeTiming | None = None, end: float | None = None
) -> tuple[str, list[str]]:
    """Feed events, then flush at ``end``: (what was typed through, the scans)."""
    wedge = WedgeRecogniser(timing)
    out: list[Typed | Scanned] = []
    for char, at in events:
        out += wedge.feed(char, at)
    out += wedge.flush(end if end is not None else events[-1][1] + 1.0)
    typed = "".join(o.char for o in out if isinstance(o, Typed))
    return typed, [o.text for o in out if isinstance(o, Scanned)]


def test_a_fast_burst_ending_in_enter_is_a_scan() -> None:
    assert run(scanner(CODE)) == ("", [CODE])


@pytest.mark.parametrize("gap", [0.001, 0.01, 0.03])
def test_reader_speeds(gap: float) -> None:
    assert run(scanner(CODE, gap=gap)) == ("", [CODE])


@pytest.mark.parametrize("seed", range(5))
def test_a_person_typing_then_enter_is_not_a_scan(seed: int) -> None:
    rng = random.Random(seed)
    events = person(CODE + "\r", 5.0, rng)
    assert run(events) == (CODE + "\r", [])


def test_a_fast_typist_then_a_quick_enter_is_not_a_scan() -> None:
    events = keys(CODE + "\r", 5.0, [0.06, 0.05, 0.08, 0.045, 0.07] * 2 + [0.05] * 4)
    assert run(events) == (CODE + "\r", [])


def test_a_short_fast_burst_is_typing() -> None:
    events = scanner("12", gap=0.003)  # two keys hit at once, then Enter
    assert run(events) == ("12\r", [])


def test_a_burst_without_enter_is_released_as_typing_at_the_deadline() -> None:
    wedge = WedgeRecogniser()
    out: list[Typed | Scanned] = []
    for char, at in keys(CODE, 1.0, [0.004] * len(CODE)):
        out += wedge.feed(char, at)
    assert out == []  # held back: it might still become a scan
    deadline = wedge.deadline
    assert deadline is not None
    assert wedge.flush(deadline - 0.001) == []
    released = wedge.flush(deadline + 0.001)
    assert "".join(t.char for t in released) == CODE
    assert wedge.deadline is None


def test_a_slow_enter_after_a_burst_is_not_a_scan() -> None:
    events = keys(CODE + "\r", 1.0, [0.004] * (len(CODE) - 1) + [0.3])
    assert run(events) == (CODE + "\r", [])


def test_key_auto_repeat_is_not_a_scan() -> None:
    events = keys("a" * 20 + "\r", 1.0, [0.03] * 20)
    assert run(events) == ("a" * 20 + "\r", [])


def test_person_then_scan_then_person() -> None:
    rng = random.Random(7)
    before = person("Hallo", 1.0, rng)
    scan = scanner(CODE, start=before[-1][1] + 0.5)
    after = person("ok\r", scan[-1][1] + 0.6, rng)
    assert run(before + scan + after) == ("Hallook\r", [CODE])


def test_a_person_key_just_before_a_scan_stays_typing() -> None:
    events = [("x", 1.0)] + scanner(CODE, start=1.2)
    assert run(events) == ("x", [CODE])


def test_a_scan_interrupted_by_a_pause_is_split() -> None:
    first = keys("12345", 1.0, [0.004] * 4)
    second = scanner("BG0012345", start=first[-1][1] + 0.2)
    assert run(first + second) == ("12345", ["BG0012345"])


def test_two_scans_in_a_row() -> None:
    first = scanner(CODE, start=1.0)
    second = scanner("JC1:T:ABCDEFGHIJKLMNOP", start=first[-1][1] + 0.5)
    assert run(first + second) == ("", [CODE, "JC1:T:ABCDEFGHIJKLMNOP"])


def test_an_overlong_burst_is_typing() -> None:
    timing = WedgeTiming(max_length=20)
    typed, scans = run(scanner("1234567890" * 3, gap=0.002), timing)
    assert scans == [] and typed == "1234567890" * 3 + "\r"


def test_thresholds_are_configurable() -> None:
    slow_reader = scanner(CODE, gap=0.06)
    assert run(slow_reader) == (CODE + "\r", [])
    assert run(slow_reader, WedgeTiming(max_gap_s=0.08)) == ("", [CODE])


def test_a_clock_going_backwards_is_not_fast() -> None:
    events = [("1", 5.0), ("2", 4.0)] + scanner("345678", start=4.5)
    assert run(events) == ("12", ["345678"])


def test_typed_keys_keep_their_timestamps() -> None:
    wedge = WedgeRecogniser()
    assert wedge.feed("a", 1.0) == []
    assert wedge.feed("b", 2.0) == [Typed("a", 1.0)]
    assert wedge.flush(3.0) == [Typed("b", 2.0)]


def test_scans_do_not_show_their_text_in_logs() -> None:
    assert CODE not in repr(Scanned(CODE, 1.0))


def test_a_flush_exactly_at_the_deadline_releases() -> None:
    # The caller's timer fires at ``deadline``; finding nothing to do there would leave a
    # person's last key waiting for another key (or a timer spinning on the same instant).
    for start in (0.1, 1.0, 1000.0, 123456.789):
        wedge = WedgeRecogniser()
        for char, at in keys("12345", start, [0.004] * 4):
            wedge.feed(char, at)
        deadline = wedge.deadline
        assert deadline is not None
        assert "".join(t.char for t in wedge.flush(deadline)) == "12345", start


def test_release_gives_back_held_keys_in_order_now() -> None:
    wedge = WedgeRecogniser()
    for char, at in keys("123", 1.0, [0.004] * 2):
        assert wedge.feed(char, at) == []
    assert wedge.release() == [Typed("1", 1.0), Typed("2", 1.004), Typed("3", 1.008)]
    assert wedge.deadline is None and wedge.release() == []
    # What comes after is judged on its own: a burst after the break can still be a scan.
    scan = scanner(CODE, start=1.009, gap=0.001)
    out = [o for char, at in scan for o in wedge.feed(char, at)]
    assert out == [Scanned(CODE, scan[-1][1])]
