"""USB barcode readers that type like a keyboard (HID wedge): a scan told apart from a person.

A reader "types" its code in a burst, a few milliseconds per key, and ends with Enter;
a person needs 100 ms or more per key. The recogniser holds keys back while they come in
fast; a burst of at least ``min_length`` keys closed by a fast Enter is a scan, anything
else is released unchanged, in order, as typing. Held keys are released at the next slow
key, when the caller's timer (``deadline``) calls ``flush``, or by ``release`` when a key
that is no part of a code comes (Backspace, an arrow: it must not overtake them).

Qt-free: the UI feeds the text of each key press with its timestamp (keys without text,
such as Shift, which readers press for capitals, are not fed), and types out ``Typed``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class WedgeTiming:
    """Thresholds; readers can be set to type slower, so these are configuration."""

    max_gap_s: float = 0.035  # readers type 100-1000 keys/s; people rarely beat 10/s
    min_length: int = 6  # shorter bursts are chords and bounces, not codes
    max_length: int = 512  # no code the kiosk accepts is longer (kiosk.core.cards)
    terminators: tuple[str, ...] = ("\r", "\n")


@dataclass(frozen=True, slots=True)
class Typed:
    """A key a person pressed: pass it on to the focused field."""

    char: str
    at: float


@dataclass(frozen=True, slots=True)
class Scanned:
    """A code typed by a reader (without its Enter)."""

    text: str
    at: float

    def __repr__(self) -> str:  # the text may be a case number: never into a log
        return f"Scanned({len(self.text)} chars at {self.at:.3f})"


class WedgeRecogniser:
    def __init__(self, timing: WedgeTiming | None = None) -> None:
        self.timing = timing or WedgeTiming()
        self._held: list[tuple[str, float]] = []
        self._overlong: float | None = None  # time of the last key of an overlong burst

    @property
    def deadline(self) -> float | None:
        """When to call ``flush`` if no key comes in: held keys are typing after that."""
        return self._held[-1][1] + self.timing.max_gap_s if self._held else None

    def feed(self, char: str, at: float) -> list[Typed | Scanned]:
        """One key press; returns what is now known to be typing or a scan."""
        out: list[Typed | Scanned] = []
        if self._held and not self._follows_fast(at):
            out += self._release()
        if self._overlong is not None:
            if 0 <= at - self._overlong <= self.timing.max_gap_s:
                self._overlong = at
                return [Typed(char, at)]  # the rest of a burst too long to be a code
            self._overlong = None
        if char in self.timing.terminators:
            if self._is_scan():
                out.append(Scanned("".join(c for c, _ in self._held), at))
                self._held = []
            else:
                out += self._release()
                out.append(Typed(char, at))
            return out
        self._held.append((char, at))
        if len(self._held) > self.timing.max_length:
            out += self._release()  # too long for a code: a stuck key or a paste
            self._overlong = at
        return out

    def flush(self, now: float) -> list[Typed]:
        """Release held keys once no fast key followed them (call at ``deadline``)."""
        deadline = self.deadline
        if deadline is not None and (now >= deadline or now < self._held[-1][1]):
            # At the deadline itself too: a timer set for it must not find nothing to do
            # (``last + max_gap - last`` can come out a hair above ``max_gap``).
            return self._release()
        return []

    def release(self) -> list[Typed]:
        """Held keys are typing now: something that is no part of a code came between
        them (a key without text such as Backspace or an arrow, a touch)."""
        return self._release()

    def _follows_fast(self, at: float) -> bool:
        gap = at - self._held[-1][1]
        return 0 <= gap <= self.timing.max_gap_s  # a clock going backwards is not fast

    def _is_scan(self) -> bool:
        if len(self._held) < self.timing.min_length:
            return False
        # One key repeated fast is a person holding a key down (auto-repeat), not a code.
        return len({c for c, _ in self._held}) > 1

    def _release(self) -> list[Typed]:
        released = [Typed(c, at) for c, at in self._held]
        self._held = []
        return released
