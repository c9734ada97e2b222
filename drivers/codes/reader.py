"""The CodeReader protocol and a reader that combines two decoders and image variants.

Order of work for one image, stopping at the first stage that reads anything:
zxing-cpp on the plain image (the fast path), zbar on the plain image (a second
detector), then zxing on cheap variants (inverted, halved, smoothed, sharpened, ...).
Stages after the first run only if, at the speed they ran before, they end within the
frame budget; a stage once started is not interrupted.

A wrong text is worse than none (it could send documents to someone else's case), so:
only QR and Data Matrix (Reed-Solomon checked) are read, a zxing read that used up all
its error correction is dropped, and zbar's text stands only when zxing, looking at the
same spot, agrees or reads nothing and the text is plain ASCII (zbar guesses character
sets). When the decoders disagree, the read is rejected.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from drivers.codes import variants as v
from drivers.codes.decoders import (
    DecodedCode,
    Decoder,
    Symbology,
    ZxingDecoder,
    pyzbar_or_none,
)
from kiosk.core.log_events import emit
from kiosk.core.records import replace

__all__ = ["CodeReader", "CombinedReader", "DecodedCode", "Stage", "Symbology", "DEFAULT_STAGES"]

log = logging.getLogger(__name__)

# What one camera frame may cost: at 30 frames/s a frame lasts 33 ms, and the GUI
# needs the other core.
DEFAULT_BUDGET_S = 0.030
ZXING, ZBAR = "zxing", "zbar"


class CodeReader(Protocol):
    def read(self, image: np.ndarray) -> list[DecodedCode]:
        """Codes in a gray or BGR uint8 image; an empty list when none is readable."""
        ...


@dataclass(frozen=True, slots=True)
class Stage:
    name: str
    variant: v.Variant
    decoder: str  # ZXING or ZBAR


# Cheapest and most fruitful first (measured on tests/bench/bench_codes.py).
DEFAULT_STAGES: tuple[Stage, ...] = (
    Stage("reduced", v.reduced, ZXING),  # large frames only: a quarter of the pixels
    Stage("plain", v.as_is, ZXING),
    Stage("smoothed", v.smoothed, ZXING),
    Stage("binarised", v.binarised, ZXING),
    Stage("deblurred", v.deblurred, ZXING),
    Stage("fitted", v.fitted, ZBAR),
    Stage("sharpened", v.sharpened, ZXING),
    Stage("inverted", v.inverted, ZXING),
    Stage("padded", v.padded, ZXING),
    Stage("equalised", v.equalised, ZXING),
    Stage("doubled", v.doubled, ZXING),
    Stage("halved", v.halved, ZBAR),
    Stage("smoothed", v.smoothed, ZBAR),
    Stage("binarised", v.binarised, ZBAR),
)


class CombinedReader:
    """Reads QR / Data Matrix with zxing-cpp and zbar over image variants, in budget.

    ``budget_s=None`` runs every stage (still images on the command line); ``clock``
    is injectable so tests can exhaust the budget without waiting.
    """

    def __init__(
        self,
        symbologies: tuple[Symbology, ...] = tuple(Symbology),
        *,
        budget_s: float | None = DEFAULT_BUDGET_S,
        stages: Sequence[Stage] = DEFAULT_STAGES,
        use_zbar: bool = True,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.budget_s = budget_s
        self.stages = tuple(stages)
        self._clock = clock
        self._zxing = ZxingDecoder(symbologies)
        zbar = pyzbar_or_none() if use_zbar and Symbology.QR in symbologies else None
        self._decoders: dict[str, Decoder | None] = {ZXING: self._zxing, ZBAR: zbar}
        self.last_stage: str | None = None  # which stage read the last code (diagnosis)
        # Measured cost of each stage, so that one which cannot finish in time is skipped.
        self._seconds_per_mpx = [0.0] * len(self.stages)

    def read(self, image: np.ndarray) -> list[DecodedCode]:
        gray = v.to_gray(image)
        megapixels = gray.size / 1e6
        start = self._clock()
        self.last_stage = None
        decoded_once = False  # the first stage that applies to this image always runs
        for index, stage in enumerate(self.stages):
            began = self._clock()
            if decoded_once and not self._affordable(index, began - start, megapixels):
                continue
            codes = self._run(stage, gray)
            if codes is None:
                continue  # the stage does not apply (e.g. "reduced" on a small image)
            decoded_once = True
            self._learn(index, self._clock() - began, megapixels)
            if codes:
                self.last_stage = f"{stage.decoder}:{stage.name}"
                return codes
        return []

    def _affordable(self, index: int, elapsed: float, megapixels: float) -> bool:
        """Will this stage, at the speed it ran before, end within the budget?"""
        if self.budget_s is None:
            return True
        expected = self._seconds_per_mpx[index] * megapixels
        return elapsed + expected <= self.budget_s

    def _learn(self, index: int, seconds: float, megapixels: float) -> None:
        rate = seconds / max(megapixels, 0.01)
        old = self._seconds_per_mpx[index]
        self._seconds_per_mpx[index] = rate if old == 0.0 else 0.7 * old + 0.3 * rate

    def _run(self, stage: Stage, gray: np.ndarray) -> list[DecodedCode] | None:
        """The codes a stage reads; None if it does not apply (no decoder, no variant)."""
        decoder = self._decoders.get(stage.decoder)
        prepared = stage.variant(gray) if decoder is not None else None
        if decoder is None or prepared is None:
            return None
        codes = [_in_source(code, prepared) for code in decoder.decode(prepared.image)]
        if decoder is not self._zxing:
            codes = [code for code in codes if self._vetted(code, gray)]
        return _unique(codes)

    def _vetted(self, code: DecodedCode, gray: np.ndarray) -> bool:
        """Does zxing, looking closely at where zbar found the code, allow zbar's text?"""
        seen = self._zxing_texts_near(gray, code)
        if code.text in seen:
            return True
        if seen:
            emit(log, "codes.disagreed")
            return False
        return code.text.isascii()  # ASCII reads the same in every character set

    def _zxing_texts_near(self, gray: np.ndarray, code: DecodedCode) -> set[str]:
        region = v.crop_around(gray, code.corners)
        seen: set[str] = set()
        if region is None:
            return seen
        for variant in (v.as_is, v.smoothed, v.binarised):
            seen.update(c.text for c in self._zxing.decode(variant(region.image).image))
            if code.text in seen:
                break
        return seen


def _in_source(code: DecodedCode, prepared: v.Prepared) -> DecodedCode:
    return replace(code, corners=tuple(prepared.to_source(p) for p in code.corners))


def _unique(codes: list[DecodedCode]) -> list[DecodedCode]:
    seen: set[tuple[str, Symbology]] = set()
    unique = []
    for code in codes:
        if (code.text, code.symbology) not in seen:
            seen.add((code.text, code.symbology))
            unique.append(code)
    return unique
