"""How the shipped warning sound (assets/sounds/warning.wav) was made: two rising tones.

.venv/bin/python -m kiosk.devtools.sounds assets/sounds/warning.wav
"""

from __future__ import annotations

import io
import math
import struct
import sys
import wave
from pathlib import Path

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


if __name__ == "__main__":
    Path(sys.argv[1]).write_bytes(warning_wav())
