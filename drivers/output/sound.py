"""The timeout warning sound: a short WAV made in code, played through ALSA's aplay."""

from __future__ import annotations

import io
import logging
import math
import shutil
import struct
import subprocess
import threading
import wave
from typing import Protocol

log = logging.getLogger(__name__)
RATE = 22050


def warning_wav(tones: tuple[float, ...] = (660.0, 880.0), seconds: float = 0.18) -> bytes:
    """Two rising tones with soft edges (no click): noticeable, not alarming."""
    frames = bytearray()
    count = int(RATE * seconds)
    fade = int(RATE * 0.02)
    for tone in tones:
        for i in range(count):
            envelope = min(1.0, i / fade, (count - i) / fade)
            sample = 0.5 * envelope * math.sin(2 * math.pi * tone * i / RATE)
            frames += struct.pack("<h", int(sample * 32767))
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(bytes(frames))
    return out.getvalue()


class Chime(Protocol):
    def play(self) -> bool:
        """Start the sound without blocking; False when no sound output exists."""
        ...


class AplayChime:
    """Pipes the WAV into ``aplay`` on a short-lived thread (no temporary file)."""

    def __init__(self, wav: bytes | None = None, program: str = "aplay") -> None:
        self.wav = wav if wav is not None else warning_wav()
        self.program = shutil.which(program)
        self.failing = False
        if self.program is None:
            log.warning("warning sound unavailable: %s not found", program)

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
            log.info("warning sound works again")
            self.failing = False

    def _failed(self, why: str) -> None:
        if not self.failing:
            log.warning("warning sound unavailable: %s", why)
        self.failing = True


class RecordingChime:
    """A Chime for tests: counts how often it played."""

    def __init__(self, available: bool = True) -> None:
        self.available = available
        self.played = 0

    def play(self) -> bool:
        self.played += 1
        return self.available
