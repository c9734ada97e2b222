"""CCITT Group 4 for black-and-white pages: Pillow's TIFF encoder makes the strip, a
one-strip TIFF around the stream decodes it again (previews, turning a page)."""

from __future__ import annotations

import io
import struct

import numpy as np
from PIL import Image, TiffImagePlugin

# TIFF tags of the one-strip wrapper: (tag, type, value); type 3 SHORT, 4 LONG.
_WIDTH, _LENGTH, _BITS, _COMPRESSION, _PHOTOMETRIC = 256, 257, 258, 259, 262
_STRIP_OFFSETS, _SAMPLES, _ROWS_PER_STRIP, _STRIP_BYTES = 273, 277, 278, 279
_GROUP4, _MIN_IS_WHITE = 4, 0


def encode_g4(ink: np.ndarray) -> bytes:
    """The raw Group 4 stream (K=-1, no EOFB needed) of a page; ``ink`` is True where
    black. In the stream white runs are paper, as PDF's ``/BlackIs1 false`` reads it."""
    height, width = ink.shape
    # Pillow stores mode "1" as MinIsBlack, so its 1-bits are coded as black runs: the
    # ink mask itself is the image to save.
    image = Image.frombytes("1", (width, height), np.packbits(ink, axis=1).tobytes())
    out = io.BytesIO()
    image.save(out, "TIFF", compression="group4", strip_size=2**31 - 1)
    tiff = out.getvalue()
    with TiffImagePlugin.TiffImageFile(io.BytesIO(tiff)) as opened:
        offsets = opened.tag_v2[_STRIP_OFFSETS]
        counts = opened.tag_v2[_STRIP_BYTES]
    if len(offsets) != 1:  # one strip per page, else the stream restarts mid-page
        raise ValueError("Group 4 encoder wrote more than one strip")
    return tiff[offsets[0] : offsets[0] + counts[0]]


def decode_g4(data: bytes, width: int, height: int) -> Image.Image:
    """A Group 4 stream back to an "L" image (0 black, 255 white)."""
    tags = [
        (_WIDTH, 4, width),
        (_LENGTH, 4, height),
        (_BITS, 3, 1),
        (_COMPRESSION, 3, _GROUP4),
        (_PHOTOMETRIC, 3, _MIN_IS_WHITE),
        (_STRIP_OFFSETS, 4, 0),
        (_SAMPLES, 3, 1),
        (_ROWS_PER_STRIP, 4, height),
        (_STRIP_BYTES, 4, len(data)),
    ]
    data_offset = 8 + 2 + 12 * len(tags) + 4
    header = bytearray(b"II*\x00" + struct.pack("<IH", 8, len(tags)))
    for tag, kind, value in tags:
        value = data_offset if tag == _STRIP_OFFSETS else value
        packed = struct.pack("<HH", value, 0) if kind == 3 else struct.pack("<I", value)
        header += struct.pack("<HHI", tag, kind, 1) + packed
    header += b"\0\0\0\0"
    with Image.open(io.BytesIO(bytes(header) + data)) as image:
        return image.convert("L")
