"""Fixtures for the driver tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from drivers.output.speech import EspeakSpeech


@pytest.fixture
def speech_for() -> Iterator[Callable[[str], EspeakSpeech]]:
    made: list[EspeakSpeech] = []

    def make(program: str) -> EspeakSpeech:
        made.append(EspeakSpeech(program))
        return made[-1]

    yield make
    for speech in made:
        speech.close()


@pytest.fixture
def pnm_sane_config(sane_config: Path) -> Path:
    """The test SANE configuration with SANE's `pnm` backend as well: a real backend that
    replays a PNM file (option ``filename``) and has no mode, source or scan area.

    Only tests load it: the kiosk's embedded defaults list `test` alone, since a kiosk
    with `pnm` would offer two more devices and scan whatever file lies at its default
    path (/tmp/input.ppm, writable by anyone). Each scan runs in a fresh worker process,
    so no option value (the backend keeps them in static memory) carries over to the next.
    """
    dll = sane_config / "dll.conf"
    dll.write_text(dll.read_text() + "pnm\n")
    return sane_config
