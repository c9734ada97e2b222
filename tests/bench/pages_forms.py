"""More of the corpus's documents: a photo page, a sick note, a handwritten note, blank backs."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from PIL import Image

from tests.bench.pages_docs import HEIGHT, INK, PEOPLE, WIDTH, Sheet, font, stamp

# A real phone photo (ZXing's black-box test corpus, Apache-2.0: see its LICENSE and NOTICE)
QR_PHOTO = Path(__file__).resolve().parents[3] / "shared/data/qr-photos/qrcode-5/01.png"


def _fractal(rng: np.random.Generator, height: int, width: int, octaves: int = 6) -> np.ndarray:
    """Smooth noise in 0..1, the sum of upsampled random grids (coarse ones weigh most)."""
    total = np.zeros((height, width), np.float32)
    for octave in range(octaves):
        cells = 2 ** (octave + 1) + 1
        grid = rng.random((cells, cells), dtype=np.float32)
        total += cv2.resize(grid, (width, height), interpolation=cv2.INTER_CUBIC) * 0.55**octave
    total -= total.min()
    return total / max(float(total.max()), 1e-6)


def landscape(rng: np.random.Generator, height: int = 1200, width: int = 1800) -> np.ndarray:
    """A synthetic landscape photo (sky, sun, two hill ranges, textured meadow), RGB."""
    rows = np.linspace(0, 1, height, dtype=np.float32)[:, None, None]
    sky = np.array([70, 120, 200], np.float32) * (1 - rows) + np.array([200, 220, 240]) * rows
    image: Any = np.broadcast_to(sky, (height, width, 3)).copy()
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    sun = np.exp(-(((xx - width * 0.75) ** 2 + (yy - height * 0.2) ** 2) / (2 * 60.0**2)))
    image += sun[..., None] * np.array([60, 50, 10], np.float32)
    texture = _fractal(rng, height, width)
    for level, colour in ((0.45, (110, 125, 150)), (0.62, (60, 120, 50))):
        ridge = _fractal(rng, 1, width, 5)[0] * height * 0.18 + height * level
        below = yy > ridge[None, :]
        shade = 0.75 + 0.5 * texture
        image[below] = (np.array(colour, np.float32) * shade[..., None])[below]
    for _ in range(12):  # trees
        x, y = int(rng.uniform(0, width)), int(rng.uniform(height * 0.7, height * 0.95))
        size = int(rng.uniform(40, 110))
        triangle = np.array([[x, y - 2 * size], [x - size // 2, y], [x + size // 2, y]], np.int32)
        cv2.fillPoly(image, [triangle], (25.0, 70.0, 30.0))
    image = cv2.GaussianBlur(image, (0, 0), 1.2)
    result: np.ndarray = np.clip(image, 0, 255).astype(np.uint8)
    return result


def photo_page(rng: random.Random, real_photo: bool) -> Sheet:
    """A page with a photo (synthetic, or the real QR photo) and a caption."""
    sheet = Sheet()
    sheet.has_colour = True
    sheet.text(200, 200, "Nachweis zur Wohnsituation: Fotos der Wohnung", font("sans-bold", 14))
    sheet.text(200, 330, f"Eingereicht von {rng.choice(PEOPLE)}", font("sans", 11))
    pixels = landscape(np.random.default_rng(rng.randint(0, 2**31)))
    photo = Image.fromarray(pixels)
    if real_photo and QR_PHOTO.exists():
        photo = Image.open(QR_PHOTO).convert("RGB")
        photo = photo.resize((1800, round(1800 * photo.height / photo.width)))
    sheet.image.paste(photo, (340, 520))
    y = 520 + photo.height + 60
    sheet.text(340, y, "Abbildung 1: Blick aus dem Fenster des Wohnzimmers", font("sans", 10))
    sheet.paragraph(200, y + 150, 2080, PHOTO_NOTE, font("sans", 11))
    return sheet


PHOTO_NOTE = (
    "Die Aufnahmen zeigen den Zustand der Wohnung nach dem Wasserschaden vom Oktober. "
    "Der Vermieter wurde informiert und hat eine Reparatur bis Ende des Monats zugesagt."
)


def sick_note(rng: random.Random) -> Sheet:
    """An AU-Bescheinigung: pale paper, red form print, black printer text, a doctor's stamp."""
    sheet = Sheet(paper=(253, 250, 236))
    sheet.has_colour = True
    red = (205, 70, 70)
    label, mono = font("dejavu", 8), font("mono", 11)
    sheet.text(200, 170, "Arbeitsunfähigkeitsbescheinigung", font("dejavu-bold", 18), red)
    boxes = [
        ("Krankenkasse bzw. Kostenträger", "AOK Musterland"),
        ("Name, Vorname des Versicherten", rng.choice(PEOPLE)),
        ("geb. am", f"{rng.randint(1, 28):02d}.0{rng.randint(1, 9)}.19{rng.randint(60, 99)}"),
        ("Versicherten-Nr.", "A123456780"),
    ]
    y = 380
    for name, value in boxes:
        sheet.draw.rectangle((200, y, 1500, y + 140), outline=red, width=3)
        sheet.text(215, y + 8, name, label, red)
        sheet.text(240, y + 60, value, mono)
        y += 160
    for mark, line in (
        (True, "Erstbescheinigung"),
        (False, "Folgebescheinigung"),
        (False, "Arbeitsunfall, Arbeitsunfallfolgen, Berufskrankheit"),
    ):
        sheet.draw.rectangle((200, y + 10, 250, y + 60), outline=red, width=3)
        if mark:
            sheet.text(207, y - 2, "X", font("mono", 14), record=False)
        y = sheet.text(290, y + 10, line, font("dejavu", 10), red) + 20
    start = rng.randint(1, 10)
    for name, value in (
        ("arbeitsunfähig seit", f"{start:02d}.11.2026"),
        ("voraussichtlich arbeitsunfähig bis einschließlich", f"{start + 9:02d}.11.2026"),
        ("festgestellt am", f"{start:02d}.11.2026"),
        ("Diagnose (ICD-10)", "J06.9 G"),
    ):
        sheet.text(200, y + 20, name, font("dejavu", 10), red)
        y = sheet.text(1500, y + 20, value, mono) + 30
    stamp(
        sheet, 1300, 2500, (40, 70, 170), ["Dr. med. Beispiel", "Allgemeinmedizin", "Musterstadt"]
    )
    return sheet


HANDWRITING = [
    "Sehr geehrte Damen und Herren,",
    "anbei sende ich Ihnen die fehlenden",
    "Kontoauszüge und meinen neuen",
    "Mietvertrag. Die Nebenkosten",
    "haben sich ab Januar erhöht.",
    "Bitte rufen Sie mich an, wenn",
    "noch etwas fehlt.",
    "Vielen Dank und freundliche Grüße",
]


def handwritten(rng: random.Random) -> Sheet:
    """A note in a script face, blue-black ink, words wandering off the baseline."""
    sheet = Sheet()
    y = 300
    for line in HANDWRITING:
        x = 260 + rng.randint(-20, 20)
        words = []
        for word in line.split():
            face = font("script", rng.choice((21, 22, 23)))
            dy = rng.randint(-6, 6)
            sheet.draw.text((x, y + dy), word, font=face, fill=(28, 32, 78))
            x += round(sheet.draw.textlength(word + " ", font=face))
            words.append(word)
        sheet.items.append((y + 45, 260, " ".join(words)))
        y += 190 + rng.randint(-10, 10)
    name = rng.choice(PEOPLE)
    sheet.text(1300, y + 60, name, font("script", 24), (28, 32, 78))
    return sheet


def blank(kind: str, rng: random.Random, front: Sheet | None = None) -> Sheet:
    """The back of a sheet: empty, dusty, showing the front through, or nearly empty."""
    sheet = Sheet()
    if kind == "dust":
        for _ in range(rng.randint(6, 14)):
            x, y, r = (
                rng.randint(100, WIDTH - 100),
                rng.randint(100, HEIGHT - 100),
                rng.randint(1, 3),
            )
            sheet.draw.ellipse((x - r, y - r, x + r, y + r), fill=(90, 90, 90))
    elif kind == "showthrough" and front is not None:
        ink = 255 - np.asarray(front.image.convert("L"), np.float32)
        ghost = cv2.GaussianBlur(ink[:, ::-1], (0, 0), 2.5) * 0.05  # mirrored, faint, soft
        paper = np.clip(255 - ghost, 0, 255).astype(np.uint8)
        sheet.image = Image.fromarray(np.dstack([paper] * 3))
    elif kind == "pagenumber":
        sheet.text(1190, 3330, "- 2 -", font("sans", 9), (110, 110, 110))
    elif kind == "shortline":
        sheet.text(200, 240, "Anlage: Kontoauszüge Oktober 2026", font("sans", 11), INK)
    return sheet
