"""Page encoding and PDF assembly, checked by reading the PDF back."""

from __future__ import annotations

import io
import zlib
from datetime import UTC, datetime

import numpy as np
import pypdf
import pytest
from PIL import Image

from drivers.scanner.protocol import ColorMode, ScannedPage
from kiosk.services.pages.imaging import encode_page
from kiosk.services.pages.pdf import DocumentInfo, build_pdf

INFO = DocumentInfo(
    "Arbeitsunfähigkeitsbescheinigung",
    "12345BG0012345",
    "sick",
    "ws-01",
    "K7M-4QX-9TB",
    datetime(2026, 11, 21, 9, 30, tzinfo=UTC),
)


def page(
    mode: ColorMode, width: int = 248, height: int = 351, dpi: int = 30, colourful: bool = True
) -> ScannedPage:
    rng = np.random.default_rng(1)
    if mode is ColorMode.COLOR:
        pixels = rng.integers(0, 255, (height, width, 3), dtype=np.uint8)
        if not colourful:
            pixels[:, :, 1] = pixels[:, :, 0]
            pixels[:, :, 2] = pixels[:, :, 0]
    else:
        pixels = rng.integers(0, 255, (height, width), dtype=np.uint8)
        if mode is ColorMode.BW:
            pixels = np.where(pixels > 127, 255, 0).astype(np.uint8)
    return ScannedPage(width, height, mode, dpi, pixels.tobytes())


def test_colour_pages_become_rgb_jpeg() -> None:
    encoded = encode_page(page(ColorMode.COLOR))
    assert (encoded.filter, encoded.color_space, encoded.bits) == ("DCTDecode", "DeviceRGB", 8)
    assert Image.open(io.BytesIO(encoded.data)).mode == "RGB"


def test_colour_scan_of_a_black_and_white_letter_is_stored_as_gray() -> None:
    encoded = encode_page(page(ColorMode.COLOR, colourful=False))
    assert encoded.color_space == "DeviceGray"
    assert Image.open(io.BytesIO(encoded.data)).mode == "L"


@pytest.mark.parametrize("mode", [ColorMode.COLOR, ColorMode.GRAY])
def test_jpeg_written_through_a_memory_file_is_what_pillow_writes_into_bytes(
    mode: ColorMode,
) -> None:
    # encode_page lets Pillow write to a file descriptor (the GIL is released meanwhile).
    scanned = page(mode, width=1240, height=1754, dpi=150)
    encoded = encode_page(scanned)
    pixels = np.frombuffer(scanned.pixels, np.uint8)
    shape = (1754, 1240, 3) if mode is ColorMode.COLOR else (1754, 1240)
    out = io.BytesIO()
    image = Image.fromarray(pixels.reshape(shape), "RGB" if mode is ColorMode.COLOR else "L")
    image.save(out, "JPEG", quality=80, dpi=(150, 150))
    assert encoded.data == out.getvalue()
    assert Image.open(io.BytesIO(encoded.data)).info["dpi"] == (150, 150)


def test_black_and_white_pages_are_packed_to_one_bit() -> None:
    scanned = page(ColorMode.BW, width=250, height=10)  # 250 is not a multiple of 8
    encoded = encode_page(scanned)
    assert (encoded.filter, encoded.bits) == ("FlateDecode", 1)
    raw = zlib.decompress(encoded.data)
    assert len(raw) == 10 * 32  # each row padded to whole bytes
    first_row = np.unpackbits(np.frombuffer(raw[:32], np.uint8))[:250]
    original = np.frombuffer(scanned.pixels, np.uint8)[:250]
    assert (first_row == (original > 127)).all()  # 1 is white in PDF DeviceGray


@pytest.mark.parametrize(
    "rotation,size", [(0, (248, 351)), (90, (351, 248)), (180, (248, 351)), (270, (351, 248))]
)
def test_rotation_turns_the_page(rotation: int, size: tuple[int, int]) -> None:
    encoded = encode_page(page(ColorMode.GRAY), rotation)
    assert (encoded.width, encoded.height) == size
    assert Image.open(io.BytesIO(encoded.data)).size == size


def test_rotation_clockwise_moves_the_top_left_corner_to_the_top_right() -> None:
    pixels = np.full((40, 20), 255, np.uint8)
    pixels[:5, :5] = 0  # a black mark top left
    encoded = encode_page(ScannedPage(20, 40, ColorMode.GRAY, 30, pixels.tobytes()), 90)
    turned = np.asarray(Image.open(io.BytesIO(encoded.data)))
    assert turned[:5, -5:].mean() < 60 and turned[:5, :5].mean() > 200


def test_pdf_has_every_page_at_its_real_size_and_german_metadata() -> None:
    pages = [
        encode_page(page(ColorMode.COLOR)),
        encode_page(page(ColorMode.BW)),
        encode_page(page(ColorMode.GRAY), 90),
    ]
    reader = pypdf.PdfReader(io.BytesIO(build_pdf(pages, INFO)))
    assert len(reader.pages) == 3
    # 248 x 351 px at 30 dpi = 595.2 x 842.4 pt: A4, turned for the rotated page
    assert [round(float(p.mediabox.width)) for p in reader.pages] == [595, 595, 842]
    meta = reader.metadata
    assert meta.title == "Arbeitsunfähigkeitsbescheinigung – 12345BG0012345"
    assert "3 Seite(n)" in meta.subject and "ws-01" in meta.subject
    for field in (
        "12345BG0012345",
        "Anliegen: sick",
        "Seiten: 3",
        "Quittung: K7M-4QX-9TB",
        "Scanzeit: 2026-11-21T09:30:00+00:00",
    ):
        assert field in meta["/Keywords"]


def test_images_are_embedded_as_encoded_without_ascii85() -> None:
    pages = [encode_page(page(ColorMode.COLOR)), encode_page(page(ColorMode.BW))]
    pdf = build_pdf(pages, INFO)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    filters = []
    for number, pdf_page in enumerate(reader.pages):
        (image,) = [x.get_object() for x in pdf_page["/Resources"]["/XObject"].values()]
        filters.append((image["/Filter"], image["/BitsPerComponent"]))
        assert image.get_data() == pages[number].data or image["/Filter"] != "/DCTDecode"
    assert filters == [("/DCTDecode", 8), ("/FlateDecode", 1)]
    jpeg_bytes = len(pages[0].data)
    # no re-encoding bloat; PDF/A's XMP packet and sRGB profile cost about 2.5 KB
    assert jpeg_bytes < len(pdf) < jpeg_bytes + len(pages[1].data) + 5000


def test_pages_read_back_as_the_pixels_scanned() -> None:
    bw = page(ColorMode.BW, width=64, height=64)
    reader = pypdf.PdfReader(io.BytesIO(build_pdf([encode_page(bw)], INFO)))
    (image,) = reader.pages[0].images
    back = np.asarray(image.image.convert("L"))
    assert (back == np.frombuffer(bw.pixels, np.uint8).reshape(64, 64)).all()


def test_a_pdf_needs_pages() -> None:
    with pytest.raises(ValueError):
        build_pdf([], INFO)
