"""The timeout warning sound (a WAV file from assets/sounds) played through ALSA's aplay."""

from __future__ import annotations

import logging
import shutil
import subprocess
import threading
from typing import Protocol

from kiosk.core.log_events import emit

log = logging.getLogger(__name__)


class Chime(Protocol):
    def play(self) -> bool:
        """Start the sound without blocking; False when no sound output exists."""
        ...


class AplayChime:
    """Pipes the WAV into ``aplay`` on a short-lived thread (no temporary file)."""

    def __init__(self, wav: bytes, program: str = "aplay") -> None:
        self.wav = wav
        self.program = shutil.which(program)
        self.failing = False
        if self.program is None:
            emit(log, "sound.unavailable", detail=f"{program} not found")

    def play(self) -> bool:
        if self.program is None:
            return False
        threading.Thread(target=self._play, args=(self.program,), daemon=True).start()
        return True

    def _play(self, program: str) -> None:
        """A failure is logged (with aplay's own last line, e.g. no sound card), once until
        the sound works again: a kiosk without speakers would otherwise say it every time."""
        try:
            done = subprocess.run(
                [program, "-q", "-"],
                input=self.wav,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                timeout=10,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as err:
            self._failed(f"{type(err).__name__}: {err}")
            return
        if done.returncode != 0:
            lines = done.stderr.decode(errors="replace").strip().splitlines()
            self._failed(f"{program} exit {done.returncode}: {lines[-1] if lines else ''}")
        elif self.failing:
            emit(log, "sound.recovered")
            self.failing = False

    def _failed(self, why: str) -> None:
        if not self.failing:
            emit(log, "sound.unavailable", detail=why)
        self.failing = True


class RecordingChime:
    """A Chime for tests: counts how often it played."""

    def __init__(self, available: bool = True) -> None:
        self.available = available
        self.played = 0

    def play(self) -> bool:
        self.played += 1
        return self.available
