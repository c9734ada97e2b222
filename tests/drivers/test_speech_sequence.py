"""EspeakSpeech.say_all: the start screen's welcome in every language in turn, one espeak-ng
process after the other, each with its own voice and its text on standard input; a new
utterance or stop() cuts the rest of the sequence off; say_all never blocks. A fake program
stands in for espeak-ng (its sound cannot be asserted); the real one speaks the sequence
into WAV files where it is installed."""

from __future__ import annotations

import shutil
import time
import wave
from collections.abc import Callable
from pathlib import Path

import pytest

from drivers.output.speech import VOICES, EspeakSpeech
from kiosk.core.session import LANGUAGES
from tests.drivers.test_speech import alive, script, wait_for

ESPEAK = shutil.which("espeak-ng")

# "Scan your documents for the job centre: tap your language." as the catalogs have it.
WELCOME = [
    ("Unterlagen für das Jobcenter scannen: Tippen Sie auf Ihre Sprache.", "de"),
    ("Скануйте документи для джобцентру: торкніться своєї мови.", "uk"),
    ("امسح مستنداتك لمركز العمل: المس لغتك.", "ar"),
    ("Jobcenter için belgelerinizi tarayın: dilinize dokunun.", "tr"),
    ("Scan your documents for the job centre: tap your language.", "en"),
]


def speaker(tmp_path: Path, seconds: float) -> Path:
    """Stands in for espeak-ng: logs its start (pid, arguments), keeps the text it was given
    on stdin, "speaks" for ``seconds``, logs its end."""
    return script(
        tmp_path / "speaker",
        f"log={tmp_path}/log\n"
        f'echo "start $$ $*" >> $log\n'
        f"cat > {tmp_path}/$$.text\n"
        f"sleep {seconds}\n"
        'echo "end $$" >> $log\n',
    )


def events(tmp_path: Path) -> list[list[str]]:
    log = tmp_path / "log"
    return [line.split() for line in log.read_text().splitlines()] if log.exists() else []


def starts(tmp_path: Path) -> list[list[str]]:
    return [event for event in events(tmp_path) if event[0] == "start"]


def voice_of(event: list[str]) -> str:
    return event[event.index("-v") + 1]


def test_each_part_is_spoken_after_the_last_in_its_own_voice(
    tmp_path: Path, speech_for: Callable[[str], EspeakSpeech]
) -> None:
    speech = speech_for(str(speaker(tmp_path, 0.2)))
    begun = time.monotonic()
    speech.say_all(WELCOME)
    assert time.monotonic() - begun < 1.0  # the GUI thread never waits for speech
    wait_for(lambda: len([e for e in events(tmp_path) if e[0] == "end"]) == len(WELCOME))
    log = events(tmp_path)
    # One at a time, in order: every process ends before the next starts.
    assert [e[0] for e in log] == ["start", "end"] * len(WELCOME)
    pids = [e[1] for e in log if e[0] == "start"]
    assert [e[1] for e in log if e[0] == "end"] == pids
    assert [voice_of(e) for e in starts(tmp_path)] == [VOICES[lang] for _, lang in WELCOME]
    assert [(tmp_path / f"{pid}.text").read_text() for pid in pids] == [t for t, _ in WELCOME]
    arguments = " ".join(" ".join(event) for event in starts(tmp_path))
    assert not any(text in arguments for text, _ in WELCOME)  # on stdin, not in `ps`


def test_a_new_screen_cuts_the_rest_of_the_sequence_off(
    tmp_path: Path, speech_for: Callable[[str], EspeakSpeech]
) -> None:
    speech = speech_for(str(speaker(tmp_path, 60)))
    speech.say_all(WELCOME)
    wait_for(lambda: len(starts(tmp_path)) == 1)
    first = int(starts(tmp_path)[0][1])
    speech.say("Enter your number.", "en")
    wait_for(lambda: len(starts(tmp_path)) == 2)
    wait_for(lambda: not alive(first))
    second = starts(tmp_path)[1]
    assert voice_of(second) == VOICES["en"]
    assert (tmp_path / f"{second[1]}.text").read_text() == "Enter your number."
    time.sleep(0.3)
    assert len(starts(tmp_path)) == 2  # the welcome's other languages never follow
    assert alive(int(second[1]))


def test_stop_ends_the_sequence_and_starts_nothing_more(
    tmp_path: Path, speech_for: Callable[[str], EspeakSpeech]
) -> None:
    speech = speech_for(str(speaker(tmp_path, 60)))
    speech.say_all(WELCOME)
    wait_for(lambda: len(starts(tmp_path)) == 1)
    pid = int(starts(tmp_path)[0][1])
    speech.stop()
    wait_for(lambda: not alive(pid))
    time.sleep(0.3)
    assert len(starts(tmp_path)) == 1


def test_an_empty_sequence_stops_like_stop(
    tmp_path: Path, speech_for: Callable[[str], EspeakSpeech]
) -> None:
    speech = speech_for(str(speaker(tmp_path, 60)))
    speech.say("Wählen Sie Ihre Sprache.", "de")
    wait_for(lambda: len(starts(tmp_path)) == 1)
    pid = int(starts(tmp_path)[0][1])
    speech.say_all([])
    wait_for(lambda: not alive(pid))


@pytest.mark.skipif(ESPEAK is None, reason="espeak-ng not installed (./dev.sh)")
def test_the_real_espeak_ng_speaks_the_welcome_in_every_language(
    tmp_path: Path, speech_for: Callable[[str], EspeakSpeech]
) -> None:
    wrapper = script(
        tmp_path / "espeak-ng",
        f'out={tmp_path}/$(date +%s%N)\n{ESPEAK} "$@" -w $out.wav\necho $? > $out.status\n',
    )
    speech_for(str(wrapper)).say_all(WELCOME)
    wait_for(lambda: len(list(tmp_path.glob("*.status"))) == len(LANGUAGES), timeout=30)
    statuses = sorted(tmp_path.glob("*.status"))
    assert [s.read_text().strip() for s in statuses] == ["0"] * len(LANGUAGES)
    for status in statuses:
        with wave.open(str(status.with_suffix(".wav"))) as wav:
            assert wav.getnframes() / wav.getframerate() > 1.0  # a sentence, not a click
