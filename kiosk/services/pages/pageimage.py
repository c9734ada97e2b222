"""Encoded pages back to pixels: small previews for the screen, and turning a page."""

from __future__ import annotations

import io
import zlib
from typing import TYPE_CHECKING

from PIL import Image

from drivers.scanner.protocol import ColorMode, ScannedPage
from kiosk.services.pages.imaging import EncodedPage, encode_page

if TYPE_CHECKING:  # numpy (about 70 ms) only once a page is scanned or shown
    pass


def to_image(page: EncodedPage, fit: tuple[int, int] | None = None) -> Image.Image:
    """The page as an RGB or L image, at most ``fit`` pixels (aspect kept)."""
    import numpy as np

    image: Image.Image
    if page.filter == "DCTDecode":
        jpeg = Image.open(io.BytesIO(page.data))
        if fit is not None:
            jpeg.draft(jpeg.mode, fit)  # JPEG decodes at 1/2, 1/4, 1/8 scale: fast
        image = jpeg.convert("RGB" if page.color_space == "DeviceRGB" else "L")
    else:
        packed = np.frombuffer(zlib.decompress(page.data), np.uint8)
        rows = packed.reshape(page.height, -1)
        bits = np.unpackbits(rows, axis=1)[:, : page.width]
        image = Image.fromarray((bits * 255).astype(np.uint8), "L")
    if fit is not None:
        image.thumbnail(fit, Image.Resampling.BILINEAR)
    return image


def rotated(page: EncodedPage, rotation: int) -> EncodedPage:
    """The page turned ``rotation`` degrees clockwise, encoded as the scanner's pages are."""
    if rotation % 360 == 0:
        return page
    image = to_image(page)
    if page.bits == 1:
        mode = ColorMode.BW
    else:
        mode = ColorMode.COLOR if image.mode == "RGB" else ColorMode.GRAY
    raw = ScannedPage(image.width, image.height, mode, page.dpi, image.tobytes())
    return encode_page(raw, rotation % 360)
