"""Page encoding for the PDF: JPEG for colour and gray, packed 1-bit for black-and-white."""

from __future__ import annotations

import io
import os
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PIL import Image

from drivers.scanner.protocol import ColorMode, ScannedPage

if TYPE_CHECKING:  # numpy (about 70 ms) only once a page is scanned or shown
    import numpy as np

JPEG_QUALITY = 80
# A colour scan whose pixels hardly differ between channels (a black-on-white letter on
# a colour scanner) is stored as gray: a third of the bytes, nothing visible lost.
_CHROMA_LIMIT = 16
_CHROMA_SHARE = 0.002


@dataclass(frozen=True, slots=True)
class PageReport:
    """What the page pipeline decided about one page: kept with the page, shown to the
    client on the review screen (blank, problems), written to the document's sidecar JSON."""

    mode: str = "color"  # as stored: "color", "gray" or "bw"
    rotation: int = 0  # degrees turned clockwise to make the page upright: 0, 90, 180, 270
    skew_degrees: float = 0.0  # the skew corrected (degrees, counter-clockwise positive)
    cropped: bool = False  # the scanner's background around the paper was cut away
    blank: bool = False  # flagged: the page seems empty (the client decides)
    blank_score: float = 0.0  # share of the page that carries ink, 0..1
    problems: tuple[str, ...] = ()  # readability: "dark", "blurred", "cut_edge"
    # What of the scan request the scanner has no option for, and what it did instead
    # ("no mode option for bw: gray"; drivers.scanner.protocol.NotSet): the case worker
    # reading a gray page asked for in black and white knows why.
    scanner_not_set: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {
            "mode": self.mode,
            "rotation": self.rotation,
            "skew_degrees": round(self.skew_degrees, 2),
            "cropped": self.cropped,
            "blank": self.blank,
            "blank_score": round(self.blank_score, 5),
            "problems": list(self.problems),
            "scanner_not_set": list(self.scanner_not_set),
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> PageReport:
        return cls(
            mode=str(data["mode"]),
            rotation=int(data["rotation"]),  # type: ignore[call-overload]
            skew_degrees=float(data["skew_degrees"]),  # type: ignore[arg-type]
            cropped=bool(data["cropped"]),
            blank=bool(data["blank"]),
            blank_score=float(data["blank_score"]),  # type: ignore[arg-type]
            problems=tuple(str(p) for p in data["problems"]),  # type: ignore[attr-defined]
            # absent from batches held before it was recorded
            scanner_not_set=tuple(
                str(n)
                for n in data.get("scanner_not_set", ())  # type: ignore[attr-defined]
            ),
        )


@dataclass(frozen=True, slots=True)
class EncodedPage:
    """One page ready to embed in a PDF as an image XObject, without re-encoding."""

    width: int
    height: int
    dpi: int
    color_space: str  # "DeviceRGB" or "DeviceGray"
    bits: int  # bits per component: 8 (JPEG) or 1 (bilevel)
    filter: str  # "DCTDecode", "FlateDecode" or "CCITTFaxDecode" (Group 4, K=-1)
    data: bytes
    # What the page pipeline decided (None: not run, e.g. a page from before it existed).
    report: PageReport | None = None

    def __repr__(self) -> str:
        size = f"{self.width}x{self.height}"
        return f"EncodedPage({size} {self.color_space} {self.filter} {len(self.data)} B)"


def _array(page: ScannedPage) -> np.ndarray:
    import numpy as np

    channels = 3 if page.mode is ColorMode.COLOR else 1
    pixels = np.frombuffer(page.pixels, np.uint8)
    return (
        pixels.reshape(page.height, page.width, channels)
        if channels == 3
        else pixels.reshape(page.height, page.width)
    )


def _is_colourless(rgb: np.ndarray) -> bool:
    import numpy as np

    sample = rgb[::8, ::8].astype(np.int16)
    spread = sample.max(axis=2) - sample.min(axis=2)
    return float((spread > _CHROMA_LIMIT).mean()) <= _CHROMA_SHARE


def encode_page(page: ScannedPage, rotation: int = 0, quality: int = JPEG_QUALITY) -> EncodedPage:
    """Encode a scanned page, turned ``rotation`` degrees clockwise."""
    import numpy as np

    if rotation % 90:
        raise ValueError("rotation must be a multiple of 90 degrees")
    pixels = np.rot90(_array(page), k=-(rotation // 90) % 4)
    height, width = pixels.shape[:2]
    if page.mode is ColorMode.BW:
        # PDF DeviceGray at 1 bit: 1 is white. Each row is padded to whole bytes.
        packed = np.packbits(pixels > 127, axis=1)
        return EncodedPage(
            width,
            height,
            page.dpi,
            "DeviceGray",
            1,
            "FlateDecode",
            zlib.compress(packed.tobytes(), 6),
        )
    if page.mode is ColorMode.COLOR and _is_colourless(pixels):
        pixels = pixels[:, :, 1]  # green carries most of the luminance
    gray = pixels.ndim == 2
    image = Image.fromarray(np.ascontiguousarray(pixels), "L" if gray else "RGB")
    return EncodedPage(
        width,
        height,
        page.dpi,
        "DeviceGray" if gray else "DeviceRGB",
        8,
        "DCTDecode",
        _jpeg(image, quality, page.dpi),
    )


def _jpeg(image: Image.Image, quality: int, dpi: int) -> bytes:
    """The same bytes as saving into a BytesIO, without holding the GIL meanwhile.

    Pillow encodes into a Python file object with the GIL held (a page's whole encode:
    the GUI thread waited for it), into a file descriptor with the GIL released. The
    descriptor is an anonymous file in memory: a page never touches the disk unencrypted.
    """
    if not hasattr(os, "memfd_create"):  # not Linux
        out = io.BytesIO()
        image.save(out, "JPEG", quality=quality, dpi=(dpi, dpi))
        return out.getvalue()
    with os.fdopen(os.memfd_create("page-jpeg", os.MFD_CLOEXEC), "w+b") as memory:
        image.save(memory, "JPEG", quality=quality, dpi=(dpi, dpi))
        memory.seek(0)
        return memory.read()
