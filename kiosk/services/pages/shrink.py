"""One page encoded again, smaller, when it alone is more than its inbox takes."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace

import pikepdf
from PIL import Image, TiffImagePlugin

from kiosk.services.pages.imaging import EncodedPage
from kiosk.services.pages.pdf import image_xobject

# Tried in this order until one fits: first lower JPEG quality at the scanned resolution,
# then fewer pixels (the page keeps its size on paper: its dpi falls with the pixels).
_JPEG_STEPS = ((1.0, 60), (1.0, 45), (1.0, 30), (0.75, 45), (0.5, 45), (0.35, 40), (0.25, 35))
_BILEVEL_STEPS = (1.0, 0.75, 0.5, 0.35)  # CCITT G4 is lossless: only fewer pixels help
_MIN_DPI = 50  # fewer pixels than this per inch and print is no longer legible


def decode(page: EncodedPage) -> Image.Image:
    """The page's pixels, read back from its encoded stream (any filter the PDF uses)."""
    pdf = pikepdf.new()
    return pikepdf.PdfImage(image_xobject(pdf, page)).as_pil_image()


def smaller(page: EncodedPage, target: int) -> EncodedPage | None:
    """The page encoded in at most ``target`` bytes, else the smallest encoding found
    (it still goes out: the caller logs it); None when nothing is smaller than it is."""
    best: EncodedPage | None = None
    for candidate in _candidates(page):
        if len(candidate.data) <= target:
            return candidate
        if best is None or len(candidate.data) < len(best.data):
            best = candidate
    return best if best is not None and len(best.data) < len(page.data) else None


def _candidates(page: EncodedPage) -> Iterator[EncodedPage]:
    image = decode(page)
    if page.bits == 1:
        bilevel = image.convert("L")
        for scale in _BILEVEL_STEPS:
            if scale == 1.0 or round(page.dpi * scale) >= _MIN_DPI:
                yield _g4(page, _scaled(bilevel, scale), round(page.dpi * scale))
        return
    image = image.convert("L" if page.color_space == "DeviceGray" else "RGB")
    for scale, quality in _JPEG_STEPS:
        if scale == 1.0 or round(page.dpi * scale) >= _MIN_DPI:
            yield _jpeg(page, _scaled(image, scale), round(page.dpi * scale), quality)


def _scaled(image: Image.Image, scale: float) -> Image.Image:
    if scale == 1.0:
        return image
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS if image.mode != "1" else None)


def _jpeg(page: EncodedPage, image: Image.Image, dpi: int, quality: int) -> EncodedPage:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, dpi=(dpi, dpi))
    return replace(
        page, width=image.width, height=image.height, dpi=dpi, filter="DCTDecode", bits=8,
        data=out.getvalue(),
    )  # fmt: skip


def _g4(page: EncodedPage, gray: Image.Image, dpi: int) -> EncodedPage:
    """Raw CCITT Group 4 (K -1, BlackIs1 false) through Pillow's TIFF encoder. Pillow
    stores "1" images min-is-black and libtiff codes 0 bits as white runs: the image is
    inverted first so that the stream's white runs are the white paper."""
    ink = gray.point(lambda value: 255 if value < 128 else 0).convert("1")
    out = io.BytesIO()
    ink.save(out, "TIFF", compression="group4", tiffinfo={278: ink.height})  # one strip
    tiff = Image.open(io.BytesIO(out.getvalue()))
    assert isinstance(tiff, TiffImagePlugin.TiffImageFile)
    (offset,), (length,) = tiff.tag_v2[273], tiff.tag_v2[279]
    return replace(
        page, width=ink.width, height=ink.height, dpi=dpi, filter="CCITTFaxDecode", bits=1,
        color_space="DeviceGray", data=out.getvalue()[offset : offset + length],
    )  # fmt: skip
