"""Fixtures for the driver tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator

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
