"""The two decoding libraries behind one small interface: zxing-cpp and pyzbar (zbar)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

import numpy as np
import zxingcpp

from kiosk.core.log_events import emit

log = logging.getLogger(__name__)

Point = tuple[float, float]


class Symbology(StrEnum):
    """Only symbologies with Reed-Solomon error correction: a misread fails its checksum."""

    QR = "qr"
    DATA_MATRIX = "datamatrix"


@dataclass(frozen=True, slots=True)
class DecodedCode:
    """One code read from an image. ``corners`` are in the source image's pixels."""

    text: str
    symbology: Symbology
    decoder: str
    corners: tuple[Point, ...] = ()

    def __repr__(self) -> str:  # the text may be a case number: never into a log
        return f"DecodedCode({self.symbology}, {len(self.text)} chars, by {self.decoder})"


class Decoder(Protocol):
    name: str

    def decode(self, gray: np.ndarray) -> list[DecodedCode]:
        """Codes found in a 2-D uint8 image; corners in that image's pixels."""
        ...


class ZxingDecoder:
    """zxing-cpp: reads QR and Data Matrix, also on real photos where zbar gives up.

    ``min_unused_ec``: a Reed-Solomon decoder that used up all its correction capacity
    may have "corrected" into a wrong but valid codeword; such reads are dropped (the
    next camera frame gets another chance).
    """

    name = "zxing-cpp"

    def __init__(
        self, symbologies: tuple[Symbology, ...] = tuple(Symbology), *, min_unused_ec: float = 0.05
    ) -> None:
        wanted = {
            Symbology.QR: zxingcpp.BarcodeFormat.QRCodeModel2,  # no Micro QR, no rMQR
            Symbology.DATA_MATRIX: zxingcpp.BarcodeFormat.DataMatrix,
        }
        self._formats = zxingcpp.BarcodeFormats([wanted[s] for s in symbologies])
        self._symbologies = symbologies
        # QR finder patterns are found at any angle; zxing's Data Matrix detector misses
        # codes turned by 90/180/270 degrees unless it also tries the rotated image
        # (about twice the time, so only when Data Matrix is wanted).
        self._try_rotate = Symbology.DATA_MATRIX in symbologies
        self._min_unused_ec = min_unused_ec

    def decode(self, gray: np.ndarray) -> list[DecodedCode]:
        found = zxingcpp.read_barcodes(
            gray,
            formats=self._formats,
            try_rotate=self._try_rotate,
            try_invert=False,  # the reader's "inverted" stage does that, when time allows
            text_mode=zxingcpp.TextMode.Plain,
        )
        return [code for code in map(self._convert, found) if code is not None]

    def _convert(self, found: Any) -> DecodedCode | None:
        if not found.valid or found.error is not None:
            return None
        if found.format == zxingcpp.BarcodeFormat.QRCode:
            symbology = Symbology.QR
        elif found.format == zxingcpp.BarcodeFormat.DataMatrix:
            symbology = Symbology.DATA_MATRIX
        else:
            return None
        if symbology not in self._symbologies:
            return None
        unused = found.extra.get("UEC") if isinstance(found.extra, dict) else None
        if isinstance(unused, float | int) and unused < self._min_unused_ec:
            return None
        pos = found.position
        corners = tuple(
            (float(p.x), float(p.y))
            for p in (pos.top_left, pos.top_right, pos.bottom_right, pos.bottom_left)
        )
        return DecodedCode(found.text, symbology, self.name, corners)


class PyzbarDecoder:
    """zbar through pyzbar: QR only (no Data Matrix), a different detector from zxing's.

    zbar guesses the character set of non-ASCII QR content (it turns Shift-JIS into
    the wrong kanji), so the reader trusts its non-ASCII text only when zxing agrees.
    """

    name = "pyzbar"

    def __init__(self) -> None:
        from pyzbar import pyzbar  # loads libzbar through ctypes: only when wanted

        self._pyzbar = pyzbar

    def decode(self, gray: np.ndarray) -> list[DecodedCode]:
        found = self._pyzbar.decode(gray, symbols=[self._pyzbar.ZBarSymbol.QRCODE])
        codes = []
        for item in found:
            try:
                text = item.data.decode("utf-8")
            except UnicodeDecodeError:
                continue
            corners = tuple((float(p.x), float(p.y)) for p in item.polygon)
            codes.append(DecodedCode(text, Symbology.QR, self.name, corners))
        return codes


def pyzbar_or_none() -> PyzbarDecoder | None:
    """pyzbar if libzbar is installed; the reader still works without it (zxing only)."""
    try:
        return PyzbarDecoder()
    except (ImportError, OSError) as err:
        emit(log, "codes.pyzbar_missing", detail=str(err))
        return None
