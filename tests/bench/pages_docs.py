"""The page corpus's documents, drawn at A4 300 dpi with their text recorded as drawn.

Every name, address, number and sentence here is made up (case numbers are the README's
example forms); the fonts are Debian's DejaVu and Noto, and URW's Z003 for handwriting.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

DPI = 300
WIDTH, HEIGHT = 2480, 3508  # A4 at 300 dpi
INK = (0, 0, 0)
FONTS = {
    "sans": "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "sans-bold": "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
    "serif": "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "serif-bold": "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf",
    "dejavu": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "dejavu-bold": "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "mono": "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
    "script": "/usr/share/fonts/opentype/urw-base35/Z003-MediumItalic.otf",
}


@lru_cache(maxsize=64)
def font(name: str, points: float) -> ImageFont.FreeTypeFont:
    path = FONTS[name]
    if not Path(path).exists():  # no fonts-urw-base35: the note is in DejaVu Sans instead
        path = FONTS["dejavu"]
    return ImageFont.truetype(path, round(points * DPI / 72))


@dataclass
class Sheet:
    """A page being drawn; ``truth()`` is its text in reading order (row by row)."""

    paper: tuple[int, int, int] = (255, 255, 255)
    image: Image.Image = field(init=False)
    draw: ImageDraw.ImageDraw = field(init=False)
    items: list[tuple[int, int, str]] = field(default_factory=list)  # (y middle, x, text)
    stamp_text: str | None = None
    has_colour: bool = False

    def __post_init__(self) -> None:
        self.image = Image.new("RGB", (WIDTH, HEIGHT), self.paper)
        self.draw = ImageDraw.Draw(self.image)

    def text(
        self,
        x: int,
        y: int,
        text: str,
        face: ImageFont.FreeTypeFont,
        fill: tuple[int, int, int] = INK,
        record: bool = True,
    ) -> int:
        """Draws one line at (x, y), returns the y of the next line."""
        self.draw.text((x, y), text, font=face, fill=fill)
        if record:
            self.items.append((y + int(face.size) // 2, x, text))
        return y + round(face.size * 1.4)

    def right(self, x_end: int, y: int, text: str, face: ImageFont.FreeTypeFont) -> int:
        return self.text(x_end - round(self.draw.textlength(text, font=face)), y, text, face)

    def paragraph(self, x: int, y: int, width: int, text: str, face: ImageFont.FreeTypeFont) -> int:
        line = ""
        for word in text.split():
            trial = f"{line} {word}".strip()
            if line and self.draw.textlength(trial, font=face) > width:
                y = self.text(x, y, line, face)
                line = word
            else:
                line = trial
        if line:
            y = self.text(x, y, line, face)
        return y + int(face.size) // 2

    def truth(self) -> str:
        rows: list[list[tuple[int, int, str]]] = []
        for item in sorted(self.items):
            if rows and abs(item[0] - rows[-1][0][0]) <= 12:
                rows[-1].append(item)
            else:
                rows.append([item])
        return "\n".join(" ".join(t for _, _, t in sorted(row, key=lambda i: i[1])) for row in rows)


PEOPLE = ["Anna Beispiel", "Jonas Exempel", "Olena Probe", "Mehmet Muster", "Lena Vorlage"]
STREETS = ["Ahornweg 7", "Lindenstraße 23", "Am Mühlbach 4a", "Bergstraße 112", "Rosenhof 9"]
LETTER_SENTENCES = [
    "Sie beziehen Leistungen zur Sicherung des Lebensunterhalts nach dem Zweiten Buch "
    "Sozialgesetzbuch.",
    "Bitte reichen Sie die folgenden Unterlagen bis zum 30.11.2026 bei uns ein.",
    "Ohne diese Nachweise kann über Ihren Antrag nicht abschließend entschieden werden.",
    "Sie können die Unterlagen auch an den Scan-Stationen in unserem Eingangsbereich einscannen.",
    "Für Rückfragen stehen wir Ihnen zu den Öffnungszeiten gerne zur Verfügung.",
    "Bitte geben Sie bei jeder Nachricht Ihre BG-Nummer an.",
    "Wir laden Sie zu einem persönlichen Gespräch über Ihre berufliche Situation ein.",
    "Bringen Sie bitte Ihren Personalausweis und Ihren aktuellen Lebenslauf mit.",
    "Sollten Sie den Termin nicht wahrnehmen können, teilen Sie uns dies bitte vorher mit.",
    "Die Kosten der Unterkunft werden in tatsächlicher Höhe übernommen, soweit sie "
    "angemessen sind.",
    "Änderungen Ihrer Einkommensverhältnisse müssen Sie uns unverzüglich mitteilen.",
    "Dazu gehören insbesondere die Aufnahme einer Beschäftigung und ein Umzug.",
    "Kontoauszüge der letzten drei Monate sind vollständig und ungeschwärzt vorzulegen.",
    "Angaben zu Verwendungszwecken dürfen Sie schwärzen, Beträge jedoch nicht.",
    "Der Weiterbewilligungsantrag muss spätestens einen Monat vor Ablauf gestellt werden.",
    "Die Nachzahlung wird in den nächsten Tagen auf Ihr Konto überwiesen.",
]


def _paragraphs(rng: random.Random, count: int) -> list[str]:
    return [" ".join(rng.sample(LETTER_SENTENCES, rng.randint(2, 4))) for _ in range(count)]


def _letterhead(sheet: Sheet, rng: random.Random, title: str) -> int:
    """Sender, address window, reference block and subject; returns where the body starts."""
    person = rng.choice(PEOPLE)
    sheet.text(200, 170, "Jobcenter Musterstadt", font("sans-bold", 20))
    sheet.text(200, 290, "Geschäftsstelle Mitte · Team 12", font("sans", 10))
    sheet.text(
        200, 560, "Jobcenter Musterstadt · Hauptstraße 1 · 12345 Musterstadt", font("sans", 7)
    )
    y = 640
    for line in ("Frau/Herrn", person, rng.choice(STREETS), "12345 Musterstadt"):
        y = sheet.text(200, y, line, font("sans", 11))
    y = 620
    for line in (
        "Ihr Zeichen: 612 - Leistung",
        "BG-Nummer: 12345BG0012345",
        "Kundennummer: 123A456789",
        f"Datum: {rng.randint(1, 28):02d}.11.2026",
        "Telefon: 0123 456-789",
    ):
        y = sheet.text(1560, y, line, font("sans", 9))
    y = sheet.text(200, 1120, title, font("sans-bold", 12))
    return sheet.text(200, y + 40, f"Sehr geehrte(r) {person},", font("sans", 11)) + 10


def letter(rng: random.Random) -> Sheet:
    """A Jobcenter letter (Aufforderung zur Mitwirkung, Einladung): 11 pt Noto Sans."""
    sheet = Sheet()
    subject = rng.choice(["Aufforderung zur Mitwirkung", "Einladung zu einem Gespräch"])
    y = _letterhead(sheet, rng, subject)
    for text in _paragraphs(rng, 4):
        y = sheet.paragraph(200, y, 2080, text, font("sans", 11))
    for line in ("Mit freundlichen Grüßen", "Im Auftrag", "Ihr Jobcenter-Team"):
        y = sheet.text(200, y + 10, line, font("sans", 11))
    sheet.text(200, 3300, "Öffnungszeiten: Mo bis Fr 8:00 bis 12:30 Uhr", font("sans", 7))
    return sheet


def bescheid(rng: random.Random) -> Sheet:
    """A Bewilligungsbescheid: dense 10 pt serif, a ruled table of amounts."""
    sheet = Sheet()
    y = _letterhead(sheet, rng, "Bescheid über Leistungen zur Sicherung des Lebensunterhalts")
    face = font("serif", 10)
    y = sheet.paragraph(200, y, 2080, " ".join(_paragraphs(rng, 2)), face)
    rows = [("Regelbedarf", rng.randint(450, 563)), ("Mehrbedarf", rng.randint(10, 90))]
    rows += [("Kosten der Unterkunft", rng.randint(300, 650)), ("Heizkosten", rng.randint(40, 120))]
    sheet.draw.line((200, y, 2280, y), fill=INK, width=3)
    for label, euros in [*rows, ("Gesamtbetrag monatlich", sum(e for _, e in rows))]:
        sheet.text(220, y + 14, label, face)
        sheet.right(2260, y + 14, f"{euros},00 EUR", face)
        y += 70
        sheet.draw.line((200, y, 2280, y), fill=INK, width=2)
    y = sheet.text(200, y + 40, "Rechtsbehelfsbelehrung", font("serif-bold", 10))
    for text in _paragraphs(rng, 3):
        y = sheet.paragraph(200, y, 2080, text, face)
    return sheet


BOOKINGS = [
    ("Gutschrift Jobcenter Musterstadt Bürgergeld", 1),
    ("Lastschrift Stadtwerke Musterstadt Strom", -1),
    ("Kartenzahlung Supermarkt Am Markt", -1),
    ("Dauerauftrag Miete Ahornweg", -1),
    ("Lastschrift Mobilfunk Abrechnung", -1),
    ("Gutschrift Kindergeld Familienkasse", 1),
    ("Bargeldauszahlung Geldautomat", -1),
    ("Kartenzahlung Apotheke", -1),
]


def bank_statement(rng: random.Random) -> Sheet:
    """A Kontoauszug: a table with shaded rows (a trap for a global threshold)."""
    sheet = Sheet()
    sheet.text(200, 170, "Musterbank eG", font("dejavu-bold", 18))
    sheet.text(200, 300, f"Kontoauszug Nr. {rng.randint(5, 12)}/2026", font("dejavu", 11))
    sheet.text(200, 370, "IBAN DE89 3704 0044 0532 0130 00", font("dejavu", 11))
    sheet.text(200, 440, f"Kontoinhaber: {rng.choice(PEOPLE)}", font("dejavu", 11))
    face, mono = font("dejavu", 9), font("mono", 9)
    y = 620
    for column, x in (("Buchung", 220), ("Wert", 500), ("Vorgang", 780)):
        sheet.text(x, y, column, font("dejavu-bold", 9))
    sheet.right(2260, y, "Betrag EUR", font("dejavu-bold", 9))
    y += 80
    balance = rng.randint(100, 900)
    for row in range(30):
        day = f"{row // 2 + 1:02d}.10."
        text, sign = rng.choice(BOOKINGS)
        cents = sign * rng.randint(120, 60000)
        balance += cents // 100
        if row % 2:
            sheet.draw.rectangle((200, y - 8, 2280, y + 62), fill=(232, 232, 232))
        sheet.text(220, y, day, mono)
        sheet.text(500, y, day, mono)
        sheet.text(780, y, text, face)
        sheet.right(2260, y, f"{cents / 100:+.2f}".replace(".", ","), mono)
        y += 72
    sheet.text(220, y + 40, "Neuer Kontostand", font("dejavu-bold", 10))
    sheet.right(2260, y + 40, f"{balance},00 EUR", font("dejavu-bold", 10))
    return sheet


def payslip(rng: random.Random) -> Sheet:
    """An Entgeltabrechnung on cream paper: black print, no colour content."""
    sheet = Sheet(paper=(250, 241, 218))
    sheet.text(200, 170, "Musterbau GmbH", font("sans-bold", 16))
    sheet.text(200, 300, "Entgeltabrechnung für November 2026", font("sans-bold", 12))
    face = font("sans", 10)
    y = 420
    for line in (f"Mitarbeiter: {rng.choice(PEOPLE)}", "Personalnummer: 004711", "Steuerklasse: 1"):
        y = sheet.text(200, y, line, face)
    gross = rng.randint(600, 2600)
    lines = [("1000", "Gehalt", gross), ("1100", "Überstunden", rng.randint(0, 200))]
    total = sum(v for *_, v in lines)
    deductions = [("Lohnsteuer", total * 8 // 100), ("Krankenversicherung", total * 8 // 100)]
    deductions += [
        ("Rentenversicherung", total * 9 // 100),
        ("Arbeitslosenversicherung", total // 77),
    ]
    y += 60
    sheet.draw.rectangle((190, y - 10, 2290, y + 60), outline=INK, width=2)
    sheet.text(210, y, "Lohnart  Bezeichnung", font("sans-bold", 10))
    sheet.right(2270, y, "Betrag EUR", font("sans-bold", 10))
    y += 90
    for number, label, euros in lines:
        sheet.text(210, y, f"{number}  {label}", face)
        y = sheet.right(2270, y, f"{euros},00", face)
    y = sheet.right(2270, y + 20, f"Gesamtbrutto {total},00", font("sans-bold", 10))
    for label, euros in deductions:
        sheet.text(210, y, label, face)
        y = sheet.right(2270, y, f"-{euros},00", face)
    net = total - sum(e for _, e in deductions)
    y = sheet.right(2270, y + 30, f"Auszahlungsbetrag {net},00", font("sans-bold", 11))
    sheet.paragraph(200, y + 80, 2080, " ".join(_paragraphs(rng, 1)), font("sans", 8))
    return sheet


def stamp(sheet: Sheet, x: int, y: int, ink: tuple[int, int, int], lines: list[str]) -> None:
    """A rubber stamp: ink multiplied onto the paper, patchy, turned a little. Its words
    are part of the page's text (put it where no other line runs) and ``stamp_text``."""
    rng = np.random.default_rng(x * 7 + y)
    layer = Image.new("L", (900, 120 + 110 * len(lines)), 0)
    draw = ImageDraw.Draw(layer)
    draw.rounded_rectangle((6, 6, layer.width - 6, layer.height - 6), 30, outline=255, width=10)
    for row, line in enumerate(lines):
        face = font("dejavu-bold", 20 if row == 0 else 14)
        draw.text((60, 55 + 110 * row), line, font=face, fill=255)
        sheet.items.append((y + 55 + 110 * row + int(face.size) // 2, x + 60, line))
    layer = layer.rotate(float(rng.uniform(-2.5, 2.5)), Image.Resampling.BILINEAR, expand=True)
    alpha = np.asarray(layer, np.float32) / 255 * rng.uniform(0.6, 1.0, layer.size[::-1])
    region = np.asarray(sheet.image, np.float32)[y : y + layer.height, x : x + layer.width]
    a = alpha[: region.shape[0], : region.shape[1], None] * 0.85
    mixed = region * (1 - a) + region * np.array(ink, np.float32) / 255 * a
    sheet.image.paste(Image.fromarray(mixed.astype(np.uint8)), (x, y))
    sheet.stamp_text = " ".join(lines)
    sheet.has_colour = True


def stamped_form(rng: random.Random, ink: tuple[int, int, int]) -> Sheet:
    """An application form with ruled fields, ticked boxes and an incoming-mail stamp."""
    sheet = Sheet()
    sheet.text(200, 170, "Antrag auf Weiterbewilligung", font("dejavu-bold", 16))
    sheet.text(200, 290, "der Leistungen nach dem SGB II (Bürgergeld)", font("dejavu", 11))
    label, value = font("dejavu", 8), font("mono", 11)
    y = 1000
    fields = [
        ("Name, Vorname", rng.choice(PEOPLE)),
        ("Anschrift", f"{rng.choice(STREETS)}, 12345 Musterstadt"),
        ("BG-Nummer", "12345BG0012345"),
        ("Bewilligungszeitraum", "01.01.2027 bis 31.12.2027"),
        ("Telefon (freiwillig)", "0123 98765"),
    ]
    for name, text in fields:
        sheet.draw.rectangle((200, y, 2280, y + 150), outline=INK, width=2)
        sheet.text(220, y + 10, name, label)
        sheet.text(240, y + 70, text, value)
        y += 170
    questions = [
        "Haben sich Ihre Einkommensverhältnisse geändert?",
        "Hat sich Ihre Wohnsituation geändert?",
        "Sind weitere Personen in Ihren Haushalt eingezogen?",
    ]
    for question in questions:
        sheet.text(200, y + 30, question, font("dejavu", 10))
        for offset, answer in ((1700, "ja"), (1950, "nein")):
            sheet.draw.rectangle((offset, y + 30, offset + 50, y + 80), outline=INK, width=3)
            sheet.text(offset + 70, y + 30, answer, font("dejavu", 10))
        tick = 1950 if rng.random() < 0.7 else 1700
        sheet.draw.line((tick + 5, y + 35, tick + 45, y + 75), fill=INK, width=5)
        sheet.draw.line((tick + 45, y + 35, tick + 5, y + 75), fill=INK, width=5)
        y += 120
    sheet.draw.line((200, 3000, 1100, 3000), fill=INK, width=2)
    sheet.text(200, 3020, "Datum, Unterschrift", label)
    sheet.text(260, 2880, rng.choice(PEOPLE), font("script", 20), (20, 30, 90), record=False)
    stamp(sheet, 1300, 420, ink, ["EINGEGANGEN", f"{rng.randint(1, 28)}. NOV. 2026", "JOBCENTER"])
    return sheet
