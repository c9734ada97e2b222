"""The code reader on real photos, generated QR / Data Matrix codes, and images without a code."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
import segno
import zxingcpp

from drivers.codes import variants as variants
from drivers.codes.decoders import PyzbarDecoder
from drivers.codes.reader import ZBAR, CombinedReader, Stage, Symbology
from tests import codes_synth as synth

PHOTOS = Path(__file__).parents[2].parent / "shared" / "data" / "qr-photos"
needs_photos = pytest.mark.skipif(not PHOTOS.is_dir(), reason=f"no test photos at {PHOTOS}")


def photo(name: str) -> tuple[np.ndarray, str]:
    image = cv2.imread(str(PHOTOS / name))
    assert image is not None, name
    return image, (PHOTOS / name).with_suffix(".txt").read_bytes().decode("utf-8")


def on_white(
    code: np.ndarray,
    size: tuple[int, int] = (480, 640),
    at: tuple[int, int] = (60, 80),
    angle: float = 0.0,
) -> np.ndarray:
    """A code pasted onto a white page at ``at`` (row, column), optionally rotated."""
    page = np.full(size, 255, np.uint8)
    page[at[0] : at[0] + code.shape[0], at[1] : at[1] + code.shape[1]] = code
    if angle:
        centre = (at[1] + code.shape[1] / 2, at[0] + code.shape[0] / 2)
        turn = cv2.getRotationMatrix2D(centre, angle, 1.0)
        page = cv2.warpAffine(page, turn, (size[1], size[0]), borderValue=255)
    return page


@needs_photos
@pytest.mark.parametrize(
    "name",
    [
        "qrcode-1/1.png",  # easy
        "qrcode-3/30.png",
        "qrcode-5/16.png",  # zbar alone misses it
        "qrcode-2/28.png",  # brown print on a cracker: zxing alone misses it, a variant reads it
        "qrcode-2/12.png",  # photo-filled modules, no quiet zone: neither library reads it alone
        "qrcode-2/17.png",  # Shift-JIS text that zbar decodes into the wrong characters
    ],
)
def test_reads_real_photos(name: str) -> None:
    image, expected = photo(name)
    texts = [code.text for code in CombinedReader(budget_s=None).read(image)]
    assert texts == [expected]


@needs_photos
def test_zbar_text_that_zxing_contradicts_is_rejected() -> None:
    image, expected = photo("qrcode-2/17.png")
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    zbar_alone = [code.text for code in PyzbarDecoder().decode(gray)]
    assert zbar_alone and zbar_alone[0] != expected  # zbar guessed the wrong character set
    zbar_only = CombinedReader(budget_s=None, stages=[Stage("plain", variants.as_is, ZBAR)])
    assert zbar_only.read(image) == []


@pytest.mark.parametrize("angle", [0.0, 33.0, 90.0, 200.0])
def test_reads_generated_qr_codes(angle: float) -> None:
    page = on_white(synth.qr_image("JC1:T:ABCDEFGHIJKLMNOP234567", module_px=6), angle=angle)
    codes = CombinedReader().read(page)
    assert [(c.text, c.symbology) for c in codes] == [
        ("JC1:T:ABCDEFGHIJKLMNOP234567", Symbology.QR)
    ]


@pytest.mark.parametrize("angle", [0.0, 15.0, 90.0])
def test_reads_data_matrix_from_letters(angle: float) -> None:
    page = on_white(synth.datamatrix_image("B#012345BG0012345", module_px=6), angle=angle)
    codes = CombinedReader().read(cv2.cvtColor(page, cv2.COLOR_GRAY2BGR))
    assert [(c.text, c.symbology) for c in codes] == [("B#012345BG0012345", Symbology.DATA_MATRIX)]


def test_only_the_wanted_symbologies_are_read() -> None:
    page = on_white(synth.datamatrix_image("B#012345BG0012345", module_px=6))
    assert CombinedReader(symbologies=(Symbology.QR,)).read(page) == []


def test_reads_a_card_in_a_camera_frame_and_maps_corners_back() -> None:
    rng = np.random.default_rng(3)
    frame = np.full((720, 1280), 200, np.uint8)
    frame[300 : 300 + 232, 900 : 900 + 232] = synth.qr_image("12345BG0012345", module_px=8)[
        :232, :232
    ]
    frame = synth.degrade(rng, cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR), 0.5, 3.0, 1.0, None)
    reader = CombinedReader()
    codes = reader.read(frame)
    assert [c.text for c in codes] == ["12345BG0012345"]
    assert reader.last_stage == "zxing:reduced"  # found at working size, reported full size
    xs = [x for x, _ in codes[0].corners]
    ys = [y for _, y in codes[0].corners]
    # The symbol (without its 4-module quiet zone) spans 932..1100 and 332..500.
    assert min(xs) == pytest.approx(932, abs=6) and max(xs) == pytest.approx(1100, abs=6)
    assert min(ys) == pytest.approx(332, abs=6) and max(ys) == pytest.approx(500, abs=6)


def code128() -> np.ndarray:
    symbol = zxingcpp.create_barcode("12345BG0012345", zxingcpp.BarcodeFormat.Code128)
    image = np.array(zxingcpp.write_barcode_to_image(symbol, scale=3), dtype=np.uint8)
    return cv2.resize(image, (image.shape[1], 120), interpolation=cv2.INTER_NEAREST)


def micro_qr() -> np.ndarray:
    matrix = np.array(segno.make_micro("12345", error="l").matrix, dtype=np.uint8)
    image = np.pad(np.where(matrix > 0, 0, 255).astype(np.uint8), 2, constant_values=255)
    return np.kron(image, np.ones((10, 10), np.uint8))


NO_CODE = {
    "white": lambda rng: np.full((480, 640), 255, np.uint8),
    "black": lambda rng: np.zeros((480, 640), np.uint8),
    "noise": lambda rng: rng.integers(0, 256, (720, 1280), dtype=np.uint8),
    "colour noise": lambda rng: rng.integers(0, 256, (480, 640, 3), dtype=np.uint8),
    "checkerboard": lambda rng: np.kron(
        (np.indices((16, 16)).sum(axis=0) % 2 * 255).astype(np.uint8), np.ones((20, 20), np.uint8)
    ),
    "scene": lambda rng: synth.empty_frame(rng),
    "code 128 (no Reed-Solomon)": lambda rng: on_white(code128()),
    "micro QR (weak check)": lambda rng: on_white(micro_qr()),
}


@pytest.mark.parametrize("name", NO_CODE)
def test_nothing_is_read_where_no_wanted_code_is(name: str) -> None:
    rng = np.random.default_rng(5)
    image = NO_CODE[name](rng)
    assert CombinedReader(budget_s=None).read(image) == []


def test_random_noise_never_decodes() -> None:
    rng = np.random.default_rng(6)
    reader = CombinedReader(budget_s=None)
    for _ in range(10):
        blocky = np.kron(
            rng.integers(0, 2, (60, 80), dtype=np.uint8) * 255, np.ones((6, 6), np.uint8)
        )  # module-sized noise, like a QR's data
        assert reader.read(blocky) == []


class JumpingClock:
    """Each reading is a second later: any budget is used up after the first stage."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


def test_later_stages_only_run_within_the_budget() -> None:
    page = on_white(synth.qr_image("12345BG0012345", module_px=6))
    starved = CombinedReader(budget_s=0.03, clock=JumpingClock())
    # The first stage that applies runs whatever the budget ("reduced" does not apply to
    # a small image, so that is "plain")...
    assert [c.text for c in starved.read(page)] == ["12345BG0012345"]
    assert starved.last_stage == "zxing:plain"
    # ... but nothing after it: a light-on-dark code needs the "inverted" stage.
    inverted = 255 - page
    assert starved.read(inverted) == []
    reader = CombinedReader(budget_s=None)
    assert [c.text for c in reader.read(inverted)] == ["12345BG0012345"]
    assert reader.last_stage == "zxing:inverted"


def test_input_formats() -> None:
    gray = on_white(synth.qr_image("12345BG0012345", module_px=6))
    reader = CombinedReader()
    for image in (
        gray,
        gray[..., None],
        cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR),
        cv2.cvtColor(gray, cv2.COLOR_GRAY2BGRA),
    ):
        assert [c.text for c in reader.read(image)] == ["12345BG0012345"]
    with pytest.raises(ValueError):
        reader.read(gray.astype(np.float32))


def test_decoded_codes_keep_their_text_out_of_logs() -> None:
    codes = CombinedReader().read(on_white(synth.qr_image("12345BG0012345", module_px=6)))
    assert "12345BG0012345" not in repr(codes)
