"""Generated A4 scans for the page pipeline's tests: German text rendered at 300 dpi with
tint, sensor noise, skew, a turn, a stamp, a photo, blank backs, a dark and a blurred scan.

Each page knows what it is (``Truth``), so a test can say what the pipeline must find.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from drivers.scanner.protocol import ColorMode, ScannedPage

DPI = 300
A4 = (2480, 3508)  # width, height in pixels at 300 dpi
FONTS = Path("/usr/share/fonts/truetype")
SERIF = FONTS / "dejavu" / "DejaVuSerif.ttf"
SANS = FONTS / "dejavu" / "DejaVuSans.ttf"
CREAM = (246, 238, 214)  # a tinted recycled paper
WHITE = (250, 250, 248)

GERMAN = [
    "Sehr",
    "geehrte",
    "Damen",
    "und",
    "Herren,",
    "hiermit",
    "übersende",
    "ich",
    "Ihnen",
    "die",
    "angeforderten",
    "Unterlagen",
    "zu",
    "meinem",
    "Antrag",
    "auf",
    "Weiterbewilligung",
    "der",
    "Leistungen",
    "nach",
    "dem",
    "Zweiten",
    "Buch",
    "Sozialgesetzbuch.",
    "Beigefügt",
    "finden",
    "Sie",
    "die",
    "Lohnabrechnungen",
    "der",
    "letzten",
    "drei",
    "Monate,",
    "den",
    "Kontoauszug",
    "meiner",
    "Bank",
    "sowie",
    "die",
    "Bescheinigung",
    "des",
    "Arbeitgebers",
    "über",
    "die",
    "Höhe",
    "des",
    "Einkommens.",
    "Bitte",
    "prüfen",
    "Sie,",
    "ob",
    "die",
    "Nachweise",
    "vollständig",
    "sind,",
    "und",
    "teilen",
    "Sie",
    "mir",
    "mit,",
    "falls",
    "weitere",
    "Dokumente",
    "benötigt",
    "werden.",
    "Für",
    "Rückfragen",
    "stehe",
    "ich",
    "Ihnen",
    "gern",
    "telefonisch",
    "zur",
    "Verfügung.",
    "Die",
    "Miete",
    "für",
    "die",
    "Wohnung",
    "in",
    "der",
    "Goethestraße",
    "beträgt",
    "monatlich",
    "612,40",
    "Euro",
    "einschließlich",
    "der",
    "Nebenkosten.",
    "Mit",
    "freundlichen",
    "Grüßen,",
    "Jürgen",
    "Müller,",
    "Kundennummer",
    "123D456789,",
    "Bedarfsgemeinschaft",
    "12345BG0012345.",
    "Anlage:",
    "Mietbescheinigung,",
    "Heizkostenabrechnung,",
    "Zeugnis.",
]


@dataclass(frozen=True, slots=True)
class Truth:
    """What a generated page is: the pipeline's expected findings."""

    kind: str
    mode: str  # expected stored mode: "color", "gray", "bw"
    rotation: int = 0  # turn (clockwise) that makes it upright
    skew: float = 0.0  # degrees the content was tilted (counter-clockwise positive)
    blank: bool = False
    problems: tuple[str, ...] = ()


def text_page(
    paper: tuple[int, int, int] = WHITE,
    size_pt: float = 11,
    lines: int | None = None,
    seed: int = 0,
    font: Path = SERIF,
    top_mm: float = 25,
) -> np.ndarray:
    """An RGB page of German prose (``lines`` of it, else full), left-aligned, ragged right."""
    rng = np.random.default_rng(seed)
    image = Image.new("RGB", A4, paper)
    draw = ImageDraw.Draw(image)
    face = ImageFont.truetype(str(font), round(size_pt / 72 * DPI))
    left, right = _mm(25), A4[0] - _mm(20)
    step = round(size_pt / 72 * DPI * 1.45)
    y, count, words = _mm(top_mm), 0, list(GERMAN)
    while y < A4[1] - _mm(25) and (lines is None or count < lines):
        line: list[str] = []
        while True:
            word = words[int(rng.integers(len(words)))]
            if draw.textlength(" ".join([*line, word]), font=face) > right - left:
                break
            line.append(word)
        if count % 9 == 8:  # a paragraph's short last line
            line = line[: max(1, len(line) // 3)]
        draw.text((left, y), " ".join(line), fill=(25, 25, 30), font=face)
        y += step * (2 if count % 9 == 8 else 1)
        count += 1
    return np.asarray(image).copy()


def _mm(mm: float) -> int:
    return round(mm / 25.4 * DPI)


def add_stamp(rgb: np.ndarray, colour: tuple[int, int, int] = (200, 30, 40)) -> np.ndarray:
    """A round office stamp with text, as red ink over the page's lower right."""
    out = rgb.copy()
    centre = (A4[0] - _mm(60), A4[1] - _mm(55))
    cv2.circle(out, centre, _mm(20), colour, 9, cv2.LINE_AA)
    cv2.circle(out, centre, _mm(15), colour, 5, cv2.LINE_AA)
    image = Image.fromarray(out)
    face = ImageFont.truetype(str(SANS), 44)
    ImageDraw.Draw(image).text(
        (centre[0] - _mm(12), centre[1] - 25), "EINGANG", fill=colour, font=face
    )
    return np.asarray(image).copy()


def add_photo(rgb: np.ndarray, gray: bool = False, seed: int = 0) -> np.ndarray:
    """A photo-like block (smooth gradients, blurred shapes, grain) in the upper half."""
    rng = np.random.default_rng(seed)
    out = rgb.copy()
    h, w = _mm(90), _mm(130)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    photo = np.stack(
        [
            120 + 90 * np.sin(xx / 170),
            110 + 80 * np.cos(yy / 130),
            90 + 70 * np.sin((xx + yy) / 210),
        ],
        axis=2,
    )
    for _ in range(25):
        centre = (int(rng.integers(w)), int(rng.integers(h)))
        colour = tuple(float(c) for c in rng.integers(20, 235, 3))
        cv2.circle(photo, centre, int(rng.integers(30, 160)), colour, -1)
    photo = cv2.GaussianBlur(photo, (0, 0), 6) + rng.normal(0, 6, photo.shape)
    photo = np.clip(photo, 0, 255).astype(np.uint8)
    if gray:
        photo = np.repeat(cv2.cvtColor(photo, cv2.COLOR_RGB2GRAY)[:, :, None], 3, axis=2)
    y, x = _mm(60), _mm(40)
    out[y : y + h, x : x + w] = photo
    return out


def blank_page(
    paper: tuple[int, int, int] = WHITE,
    number: str | None = None,
    number_ink: int = 120,
    show_through: bool = False,
) -> np.ndarray:
    """A blank back: optionally a small page number (``number_ink`` gray) at the foot and
    the mirrored, faint text of the front shining through."""
    image = np.full((A4[1], A4[0], 3), paper, np.uint8)
    if show_through:
        front = text_page(paper, seed=7)
        ink = (255 - cv2.cvtColor(front, cv2.COLOR_RGB2GRAY)).astype(np.float32) / 255
        ink = cv2.GaussianBlur(ink[:, ::-1], (0, 0), 2.5) * 0.12  # through the paper: soft
        image = (image * (1 - ink[:, :, None])).astype(np.uint8)
    if number:
        pil = Image.fromarray(image)
        face = ImageFont.truetype(str(SERIF), 38)
        ink_rgb = (number_ink, number_ink, number_ink)
        ImageDraw.Draw(pil).text(
            (A4[0] // 2 - 20, A4[1] - _mm(15)), number, fill=ink_rgb, font=face
        )
        image = np.asarray(pil).copy()
    return image


def scan(
    rgb: np.ndarray,
    *,
    skew: float = 0.0,
    rotation: int = 0,
    noise: float = 5.0,
    background: int | None = None,
    blur: float = 0.0,
    darken: float = 1.0,
    seed: int = 1,
    mode: ColorMode = ColorMode.COLOR,
) -> ScannedPage:
    """What a scanner makes of the sheet: tilted by ``skew`` degrees (counter-clockwise),
    lying turned so that ``rotation`` degrees clockwise make it upright, on a scanner
    ``background`` (gray level; None: the sheet fills the scan), blurred, darkened, noisy."""
    rng = np.random.default_rng(seed)
    sheet = np.rot90(rgb, k=rotation // 90).copy()  # counter-clockwise: needs a clockwise turn
    h, w = sheet.shape[:2]
    fill = (background,) * 3 if background is not None else tuple(int(c) for c in sheet[2, 2])
    margin = _mm(8) if background is not None else 0
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), skew, 1.0)
    matrix[:, 2] += margin
    size = (w + 2 * margin, h + 2 * margin)
    out = cv2.warpAffine(sheet, matrix, size, flags=cv2.INTER_LINEAR, borderValue=fill)
    if background is None and margin == 0:
        out = out[:h, :w]
    image = out.astype(np.float32)
    if darken != 1.0:
        image *= darken
    if blur:
        image = cv2.GaussianBlur(image, (0, 0), blur)
    if noise:
        grain = np.empty(image.shape, np.float32)
        cv2.setRNGSeed(int(rng.integers(2**31)))
        cv2.randn(grain, 0.0, noise)
        image += grain
    pixels = np.clip(image, 0, 255).astype(np.uint8)
    if mode is ColorMode.GRAY:
        pixels = cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY)
    height, width = pixels.shape[:2]
    return ScannedPage(width, height, mode, DPI, pixels.tobytes())


def corpus() -> list[tuple[str, ScannedPage, Truth]]:
    """Every kind of page the pipeline must handle, with what it must find."""
    pages: list[tuple[str, ScannedPage, Truth]] = []
    letter = text_page(CREAM, seed=1)
    pages.append(("letter_cream", scan(letter), Truth("text", "bw")))
    pages.append(
        (
            "letter_white_gray_scan",
            scan(text_page(seed=2), mode=ColorMode.GRAY),
            Truth("text", "bw"),
        )
    )
    for i, angle in enumerate((-3.7, -1.2, 0.6, 2.3, 4.5)):
        page = scan(text_page(CREAM, seed=10 + i), skew=angle, background=25 if i % 2 else None)
        pages.append((f"skew_{angle:+.1f}", page, Truth("text", "bw", skew=angle)))
    for turn in (90, 180, 270):
        page = scan(text_page(WHITE, seed=20 + turn, font=SANS), rotation=turn, skew=0.8)
        pages.append((f"turned_{turn}", page, Truth("text", "bw", rotation=turn, skew=0.8)))
    pages.append(("stamp", scan(add_stamp(text_page(CREAM, seed=3))), Truth("text", "color")))
    pages.append(
        (
            "photo",
            scan(add_photo(text_page(WHITE, seed=4, lines=12, top_mm=160))),
            Truth("photo", "color"),
        )
    )
    pages.append(
        (
            "gray_photo",
            scan(add_photo(text_page(WHITE, seed=5, lines=12, top_mm=160), gray=True)),
            Truth("photo", "gray"),
        )
    )
    pages.append(("blank_number", scan(blank_page(CREAM, "- 2 -")), Truth("blank_number", "bw")))
    pages.append(
        (
            "short_line",
            scan(text_page(CREAM, seed=6, lines=1, top_mm=40)),
            Truth("short_line", "bw"),
        )
    )
    pages.append(("blank", scan(blank_page(CREAM), noise=7), Truth("blank", "bw", blank=True)))
    pages.append(
        (
            "blank_show_through",
            scan(blank_page(WHITE, show_through=True)),
            Truth("blank", "bw", blank=True),
        )
    )
    pages.append(
        (
            "blank_dark_bg",
            scan(blank_page(WHITE), background=20, skew=1.5),
            Truth("blank", "bw", skew=1.5, blank=True),
        )
    )
    pages.append(
        (
            "dark",
            scan(text_page(WHITE, seed=8), darken=0.42),
            Truth("text", "bw", problems=("dark",)),
        )
    )
    pages.append(
        (
            "blurred",
            scan(text_page(WHITE, seed=9), blur=3.2),
            Truth("text", "bw", problems=("blurred",)),
        )
    )
    return pages
