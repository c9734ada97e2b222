"""Speech output of screen instructions through espeak-ng, off the caller's thread."""

from __future__ import annotations

import logging
import queue
import shutil
import subprocess
import threading
from typing import Protocol

log = logging.getLogger(__name__)

# espeak-ng voice per UI language (Debian's espeak-ng-data has all five).
VOICES = {"de": "de", "uk": "uk", "ar": "ar", "tr": "tr", "en": "en-gb"}


class Speech(Protocol):
    def say(self, text: str, language: str) -> None:
        """Speak ``text``, interrupting whatever is being said; never blocks."""
        ...

    def stop(self) -> None:
        """Stop speaking now."""
        ...


class EspeakSpeech:
    """One espeak-ng process at a time, started and stopped by a single worker thread.

    The text goes to espeak-ng's standard input, never onto its command line, so it is
    not visible in the process list (a screen may read back part of a masked number).
    """

    def __init__(self, program: str = "espeak-ng", rate: int = 150) -> None:
        self.program = shutil.which(program) or program
        self.rate = rate
        self._requests: queue.Queue[tuple[str, str] | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._process: subprocess.Popen[bytes] | None = None

    def say(self, text: str, language: str) -> None:
        self._ensure_thread()
        self._requests.put((text, language))

    def stop(self) -> None:
        self._ensure_thread()
        self._requests.put(("", ""))

    def close(self) -> None:
        if self._thread is not None:
            self._requests.put(None)
            self._thread.join(timeout=5)
            self._thread = None

    def _ensure_thread(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="speech", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while (request := self._requests.get()) is not None:
            self._kill()
            text, language = request
            if text:
                self._start(text, language)
        self._kill()

    def _start(self, text: str, language: str) -> None:
        voice = VOICES.get(language, "de")
        try:
            self._process = subprocess.Popen(
                [self.program, "-v", voice, "-s", str(self.rate), "--stdin"],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            assert self._process.stdin is not None
            self._process.stdin.write(text.encode())
            self._process.stdin.close()
        except OSError as err:
            log.warning("speech output unavailable: %s", err)
            self._process = None

    def _kill(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait(timeout=5)
        self._process = None


class RecordingSpeech:
    """A Speech for tests and screenshots: remembers what it was asked to say."""

    def __init__(self) -> None:
        self.said: list[tuple[str, str]] = []
        self.stopped = 0

    def say(self, text: str, language: str) -> None:
        self.said.append((text, language))

    def stop(self) -> None:
        self.stopped += 1
