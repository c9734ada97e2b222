"""Speech output of screen instructions through espeak-ng, off the caller's thread."""

from __future__ import annotations

import logging
import queue
import shutil
import subprocess
import threading
from collections.abc import Iterable
from typing import Protocol

from kiosk.core.log_events import emit

log = logging.getLogger(__name__)

# espeak-ng voice per UI language (Debian's espeak-ng-data has all five).
VOICES = {"de": "de", "uk": "uk", "ar": "ar", "tr": "tr", "en": "en-gb"}


Part = tuple[str, str]  # (text, UI language)
_GO_ON = object()  # the worker's marker: no new request came while a part was spoken
POLL = 0.02  # s: how soon the next part follows the end of the last


class Speech(Protocol):
    def say(self, text: str, language: str) -> None:
        """Speak ``text``, interrupting whatever is being said; never blocks."""
        ...

    def say_all(self, parts: Iterable[Part]) -> None:
        """Speak each ``(text, language)`` in turn, each in its own voice, interrupting
        whatever is being said; never blocks. A later say, say_all or stop cuts it off."""
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
        # A request is the parts to speak in turn (none: stop); None ends the worker.
        self._requests: queue.Queue[tuple[Part, ...] | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._process: subprocess.Popen[bytes] | None = None

    def say(self, text: str, language: str) -> None:
        self.say_all([(text, language)])

    def say_all(self, parts: Iterable[Part]) -> None:
        self._ensure_thread()
        self._requests.put(tuple((text, language) for text, language in parts if text))

    def stop(self) -> None:
        self._ensure_thread()
        self._requests.put(())

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
        request: object = self._requests.get()
        while isinstance(request, tuple):
            self._kill()
            after: object = _GO_ON
            for text, language in request:
                if not self._start(text, language):
                    break  # no espeak-ng: the rest would fail the same way
                after = self._wait()
                if after is not _GO_ON:
                    break  # a new request (or the end) cuts the sequence off
            request = self._requests.get() if after is _GO_ON else after
        self._kill()

    def _wait(self) -> object:
        """Until the current part is spoken: _GO_ON, or the request that came meanwhile."""
        while self._process is not None and self._process.poll() is None:
            try:
                return self._requests.get(timeout=POLL)
            except queue.Empty:
                continue
        return _GO_ON

    def _start(self, text: str, language: str) -> bool:
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
            emit(log, "speech.unavailable", detail=str(err))
            self._kill()
            return False
        return True

    def _kill(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait(timeout=5)
        self._process = None


class RecordingSpeech:
    """A Speech for tests and screenshots: remembers what it was asked to say."""

    def __init__(self) -> None:
        self.requests: list[tuple[Part, ...]] = []  # one per say or say_all, in order
        self.stopped = 0

    @property
    def said(self) -> list[Part]:
        """Every part asked for, in order (a say_all's parts one after another)."""
        return [part for request in self.requests for part in request]

    def say(self, text: str, language: str) -> None:
        self.say_all([(text, language)])

    def say_all(self, parts: Iterable[Part]) -> None:
        self.requests.append(tuple(parts))

    def stop(self) -> None:
        self.stopped += 1
