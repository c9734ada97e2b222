"""EspeakSpeech: the real espeak-ng speaks every UI language (into a WAV file here, as the
test machine has no sound card); say() never blocks, stop() cuts an utterance off, and a
kiosk without espeak-ng stays silent instead of failing."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import threading
import time
import wave
from collections.abc import Callable
from pathlib import Path

import pytest

from drivers.output.speech import VOICES, EspeakSpeech
from kiosk.core.session import LANGUAGES

ESPEAK = shutil.which("espeak-ng")
needs_espeak = pytest.mark.skipif(ESPEAK is None, reason="espeak-ng not installed (./dev.sh)")

# "Choose your language. Tap a button." as the catalogs have it (i18n/*/kiosk.po).
SPOKEN = {
    "de": "Wählen Sie Ihre Sprache. Tippen Sie auf eine Taste.",
    "uk": "Виберіть мову. Торкніться кнопки.",
    "ar": "اختر لغتك. المس زراً.",
    "tr": "Dilinizi seçin. Bir düğmeye dokunun.",
    "en": "Choose your language. Tap a button.",
}


def wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def script(path: Path, body: str) -> Path:
    path.write_text("#!/bin/sh\nPATH=/usr/bin:/bin\n" + body)
    path.chmod(0o755)
    return path


def installed_voices() -> set[str]:
    assert ESPEAK is not None
    listing = subprocess.run([ESPEAK, "--voices"], capture_output=True, text=True, check=True)
    return {line.split()[1] for line in listing.stdout.splitlines()[1:] if line.strip()}


def test_every_ui_language_has_its_own_voice() -> None:
    assert set(VOICES) == set(LANGUAGES)  # none falls back to the German voice
    for language, voice in VOICES.items():
        assert voice.split("-")[0] == language


@needs_espeak
def test_every_voice_is_installed() -> None:
    assert set(VOICES.values()) <= installed_voices()


@needs_espeak
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_real_espeak_ng_speaks_each_language(
    language: str, tmp_path: Path, speech_for: Callable[[str], EspeakSpeech]
) -> None:
    # The driver's own command line, run into a WAV file; also the phonemes it heard.
    out = tmp_path / "out"
    wrapper = script(
        tmp_path / "espeak-ng",
        f'printf "%s\\n" "$@" > {out}.args\n'
        f'{ESPEAK} "$@" --ipa -w {out}.wav > {out}.ipa\n'
        f"echo $? > {out}.tmp && mv {out}.tmp {out}.status\n",
    )
    text = SPOKEN[language]
    speech_for(str(wrapper)).say(text, language)
    status = out.with_suffix(".status")
    wait_for(status.exists)
    assert status.read_text().strip() == "0"
    args = out.with_suffix(".args").read_text().splitlines()
    voice = args[args.index("-v") + 1]
    assert voice.split("-")[0] == language and voice in installed_voices()
    assert text not in " ".join(args)  # on stdin: a process list shows no screen text
    with wave.open(str(out.with_suffix(".wav"))) as wav:
        assert wav.getnframes() / wav.getframerate() > 1.0  # a sentence, not a click
    direct = subprocess.run(
        [ESPEAK, "-v", voice, "-q", "--ipa", text], capture_output=True, text=True, check=True
    )
    # The same sounds as the text given to espeak-ng directly: it arrived whole, as UTF-8.
    assert out.with_suffix(".ipa").read_text().split() == direct.stdout.split()


@pytest.fixture
def long_speaker(tmp_path: Path) -> Path:
    """Stands in for espeak-ng reading a long text: takes the text, then talks a minute."""
    return script(
        tmp_path / "speaker",
        f"cat > {tmp_path}/$$.text\n"
        f"echo $$ > {tmp_path}/$$.tmp && mv {tmp_path}/$$.tmp {tmp_path}/$$.started\n"
        "exec sleep 60\n",
    )


def started(directory: Path) -> list[int]:
    return sorted(int(p.stem) for p in directory.glob("*.started"))


def test_say_returns_at_once_and_stop_cuts_the_utterance_off(
    tmp_path: Path, long_speaker: Path, speech_for: Callable[[str], EspeakSpeech]
) -> None:
    speech = speech_for(str(long_speaker))
    begun = time.monotonic()
    speech.say("Wählen Sie Ihre Sprache.", "de")
    assert time.monotonic() - begun < 1.0  # the GUI thread never waits for speech
    wait_for(lambda: len(started(tmp_path)) == 1)
    (pid,) = started(tmp_path)
    assert (tmp_path / f"{pid}.text").read_text() == "Wählen Sie Ihre Sprache."
    assert alive(pid)
    speech.stop()
    wait_for(lambda: not alive(pid))
    assert started(tmp_path) == [pid]  # stop starts nothing new


def test_a_new_screen_interrupts_the_last_one(
    tmp_path: Path, long_speaker: Path, speech_for: Callable[[str], EspeakSpeech]
) -> None:
    speech = speech_for(str(long_speaker))
    speech.say("first", "de")
    wait_for(lambda: len(started(tmp_path)) == 1)
    speech.say("second", "en")
    wait_for(lambda: len(started(tmp_path)) == 2)
    first, second = sorted(started(tmp_path), key=lambda p: (tmp_path / f"{p}.text").read_text())
    assert (tmp_path / f"{second}.text").read_text() == "second"
    wait_for(lambda: not alive(first))
    assert alive(second)  # one voice at a time, the newest


class Logged(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []
        self.arrived = threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
        self.arrived.set()


def test_without_espeak_ng_the_kiosk_stays_silent_and_says_why_in_the_log(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    long_speaker: Path,
    speech_for: Callable[[str], EspeakSpeech],
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # not installed
    logged = Logged()
    logger = logging.getLogger("drivers.output.speech")
    logger.addHandler(logged)
    try:
        speech = speech_for("espeak-ng")
        speech.say("Ihre Nummer 12345BG•••2345", "de")  # no exception for the caller
        assert logged.arrived.wait(10)
        (record,) = logged.records
        assert "12345" not in record.getMessage()  # what the screen says stays out of logs
        speech.stop()
        speech.program = str(long_speaker)  # the worker lived on: speech works once it can
        speech.say("wieder da", "de")
        wait_for(lambda: len(started(tmp_path)) == 1)
    finally:
        logger.removeHandler(logged)
