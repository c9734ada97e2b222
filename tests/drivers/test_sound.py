"""The warning chime through ALSA's aplay: a failure is logged once, not kept quiet."""

from __future__ import annotations

import logging
import os
import stat
import threading
import time
from pathlib import Path

import pytest

from drivers.output.sound import AplayChime
from kiosk.services.assets import WARNING_SOUND, Assets

WAV = Assets().find(WARNING_SOUND).read_bytes()

NO_CARD = "aplay: main:831: audio open error: No such file or directory"  # aplay's last line


def fake_aplay(tmp_path: Path, exit_code: int, message: str) -> str:
    """A stand-in for aplay that reads the WAV like aplay does, then fails or not."""
    script = tmp_path / "aplay"
    script.write_text(f"#!/bin/sh\ncat > /dev/null\necho '{message}' >&2\nexit {exit_code}\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


def play_and_wait(chime: AplayChime) -> None:
    before = set(threading.enumerate())
    assert chime.play()
    for thread in set(threading.enumerate()) - before:
        thread.join(timeout=10)


def test_no_sound_card_is_logged_once_until_the_sound_works_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="drivers.output.sound")
    program = fake_aplay(
        tmp_path, 1, "aplay: main:831: audio open error: No such file or directory"
    )
    chime = AplayChime(WAV, program=program)
    play_and_wait(chime)
    play_and_wait(chime)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == [f"warning sound unavailable: {program} exit 1: {NO_CARD}"]
    os.remove(program)
    chime.program = fake_aplay(tmp_path, 0, "")
    play_and_wait(chime)
    assert caplog.records[-1].getMessage() == "warning sound works again"


def test_the_real_aplay_on_this_machine_plays_or_says_why(caplog: pytest.LogCaptureFixture) -> None:
    chime = AplayChime(WAV)
    if chime.program is None:
        pytest.skip("no aplay (alsa-utils) here")
    started = time.monotonic()
    play_and_wait(chime)
    assert time.monotonic() - started < 10
    # Machines here have no sound card: aplay fails, and the kiosk log says so.
    assert chime.failing == any(
        "warning sound unavailable" in r.getMessage() for r in caplog.records
    )


def test_a_missing_aplay_is_logged_at_start(caplog: pytest.LogCaptureFixture) -> None:
    chime = AplayChime(WAV, program="no-such-aplay")
    assert not chime.play()
    assert "warning sound unavailable: no-such-aplay not found" in caplog.text
