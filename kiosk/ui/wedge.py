"""A USB barcode reader that types like a keyboard: a fast burst of characters, then Enter."""

from __future__ import annotations

from collections.abc import Callable

# People type a key every 100 ms or slower; a reader sends one every few milliseconds.
MAX_GAP = 0.035  # seconds between two characters of one burst
MIN_LENGTH = 6  # characters: shorter bursts are a person's quick double tap


class BurstDetector:
    """Feed it every typed character and every Enter; it returns the code a reader sent.

    A stand-in until drivers/wedge.py (another branch) replaces it: the timing rule only.
    """

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self._chars: list[str] = []
        self._last = float("-inf")

    def character(self, char: str) -> None:
        now = self.clock()
        if now - self._last > MAX_GAP:
            self._chars = []
        self._chars.append(char)
        self._last = now

    def enter(self) -> str | None:
        """The burst just ended by Enter, if it was one; else None (a person pressed Enter)."""
        fast = self.clock() - self._last <= MAX_GAP
        code = "".join(self._chars) if fast and len(self._chars) >= MIN_LENGTH else None
        self.reset()
        return code

    def reset(self) -> None:
        self._chars = []
        self._last = float("-inf")
