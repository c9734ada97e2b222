"""Encoded pages back to pixels: small previews for the screen, and turning a page."""

from __future__ import annotations

import dataclasses
import io
import zlib

from PIL import Image

from drivers.scanner.protocol import ColorMode, ScannedPage
from kiosk.services.pages.imaging import EncodedPage, encode_page


def to_image(page: EncodedPage, fit: tuple[int, int] | None = None) -> Image.Image:
    """The page as an RGB or L image, at most ``fit`` pixels (aspect kept)."""
    import numpy as np

    image: Image.Image
    if page.filter == "DCTDecode":
        jpeg = Image.open(io.BytesIO(page.data))
        if fit is not None:
            jpeg.draft(jpeg.mode, fit)  # JPEG decodes at 1/2, 1/4, 1/8 scale: fast
        image = jpeg.convert("RGB" if page.color_space == "DeviceRGB" else "L")
    elif page.filter == "CCITTFaxDecode":
        from kiosk.services.pages.pipeline.g4 import decode_g4

        image = decode_g4(page.data, page.width, page.height)
    else:
        packed = np.frombuffer(zlib.decompress(page.data), np.uint8)
        rows = packed.reshape(page.height, -1)
        bits = np.unpackbits(rows, axis=1)[:, : page.width]
        image = Image.fromarray((bits * 255).astype(np.uint8), "L")
    if fit is not None:
        image.thumbnail(fit, Image.Resampling.BILINEAR)
    return image


def rotated(page: EncodedPage, rotation: int) -> EncodedPage:
    """The page turned ``rotation`` degrees clockwise, encoded as it was (a Group 4 page
    stays Group 4, losslessly); its report's rotation counts the turn."""
    if rotation % 360 == 0:
        return page
    image = to_image(page)
    report = page.report
    if report is not None:
        report = dataclasses.replace(report, rotation=(report.rotation + rotation) % 360)
    if page.filter == "CCITTFaxDecode":
        import numpy as np

        from kiosk.services.pages.pipeline.g4 import encode_g4

        ink = np.rot90(np.asarray(image) < 128, k=-((rotation % 360) // 90))
        height, width = ink.shape
        data = encode_g4(np.ascontiguousarray(ink))
        return EncodedPage(width, height, page.dpi, page.color_space, 1, page.filter, data, report)
    if page.bits == 1:
        mode = ColorMode.BW
    else:
        mode = ColorMode.COLOR if image.mode == "RGB" else ColorMode.GRAY
    raw = ScannedPage(image.width, image.height, mode, page.dpi, image.tobytes())
    return dataclasses.replace(encode_page(raw, rotation % 360), report=report)
