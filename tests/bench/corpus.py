"""The page benchmark's corpus: generated A4 300-dpi scans with known text, as a scanner
delivers them (skewed, turned, dark background borders, sensor noise, slight blur).

    from tests.bench.corpus import pages
    for page in pages():            # generated once into the cache, then read back
        page.scanned()              # a drivers.scanner.protocol.ScannedPage
        page.text, page.blank, page.rotation, page.skew, page.has_colour

Run it to (re)build the cache and list the pages: .venv/bin/python tests/bench/corpus.py
Everything is generated and seeded (see pages_docs.py, pages_forms.py); one page embeds a
real photo from ZXing's test corpus (Apache-2.0, ../shared/data/qr-photos). The cache lives
in ~/.cache/jobcenter-kiosk/corpus/<hash of the generator's source>/, so an edited
generator makes a new one.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from drivers.scanner.protocol import ColorMode, ScannedPage  # noqa: E402
from tests.bench import pages_docs as docs  # noqa: E402
from tests.bench import pages_forms as forms  # noqa: E402

HERE = Path(__file__).resolve().parent
DPI = docs.DPI
SEED = 15


@dataclass(frozen=True)
class Spec:
    """How one corpus page is made."""

    name: str
    kind: str
    colour_scan: bool  # False: scanned in gray (one byte a pixel)
    skew: float = 0.0  # degrees the paper lies turned on the glass, counter-clockwise positive
    rotation: int = 0  # degrees clockwise that make the scan upright: 0, 90, 180, 270
    border: str = "adf"  # scanner background around the paper: "adf", "flatbed", "none"
    noise: float = 3.0  # sensor noise, standard deviation in levels (with a slight blur)


SPECS = [
    Spec("letter-colour", "letter", True),
    Spec("letter-gray", "letter", False, 0.0, 0, "flatbed"),
    Spec("letter-gray-skew", "letter", False, 1.5),
    Spec("letter-upside-down", "letter", True, -0.5, 180),
    Spec("bescheid-colour", "bescheid", True, 2.5, 0, "flatbed"),
    Spec("bescheid-gray", "bescheid", False, -4.0),
    Spec("bescheid-turned", "bescheid", True, 0.8, 90),
    Spec("bank-colour", "bank_statement", True, -1.0),
    Spec("bank-gray-turned", "bank_statement", False, 0.0, 270, "none"),
    Spec("payslip-colour", "payslip", True, 0.7),
    Spec("payslip-gray", "payslip", False, -2.0, 0, "flatbed"),
    Spec("form-red-stamp", "stamped_form", True, 1.0),
    Spec("form-blue-stamp", "stamped_form_blue", True, -3.0, 180),
    Spec("form-stamp-gray", "stamped_form", False, 0.5),
    Spec("photo-colour", "photo", True),
    Spec("photo-real-gray", "photo_real", False, -1.5, 0, "flatbed"),
    Spec("sicknote-colour", "sick_note", True, 2.0),
    Spec("sicknote-gray-turned", "sick_note", False, 0.0, 90),
    Spec("note-colour", "handwritten", True, -0.8),
    Spec("note-gray", "handwritten", False, 3.5),
    Spec("blank-pure", "blank_pure", True, 0.0, 0, "none", 0.0),
    Spec("blank-dust", "blank_dust", False, 0.3),
    Spec("blank-dust-colour", "blank_dust", True, -1.0, 0, "flatbed"),
    Spec("blank-showthrough", "blank_showthrough", True, 0.6),
    Spec("blank-showthrough-gray", "blank_showthrough", False, -0.4, 0, "flatbed"),
    Spec("back-pagenumber", "blank_pagenumber", False),
    Spec("back-shortline", "blank_shortline", True, 1.2),
]

BLANK_KINDS = {"blank_pure", "blank_dust", "blank_showthrough"}  # "- 2 -" and a line are content


def _draw(kind: str, rng: random.Random) -> docs.Sheet:
    makers: dict[str, Callable[[], docs.Sheet]] = {
        "letter": lambda: docs.letter(rng),
        "bescheid": lambda: docs.bescheid(rng),
        "bank_statement": lambda: docs.bank_statement(rng),
        "payslip": lambda: docs.payslip(rng),
        "stamped_form": lambda: docs.stamped_form(rng, (200, 30, 40)),
        "stamped_form_blue": lambda: docs.stamped_form(rng, (30, 60, 170)),
        "photo": lambda: forms.photo_page(rng, real_photo=False),
        "photo_real": lambda: forms.photo_page(rng, real_photo=True),
        "sick_note": lambda: forms.sick_note(rng),
        "handwritten": lambda: forms.handwritten(rng),
        "blank_showthrough": lambda: forms.blank("showthrough", rng, docs.letter(rng)),
    }
    if kind in makers:
        return makers[kind]()
    return forms.blank(kind.removeprefix("blank_"), rng)


@dataclass(frozen=True)
class CorpusPage:
    """One scanned page and what is true about it."""

    name: str
    kind: str
    text: str | None  # ground truth, row by row (None: nothing to read)
    stamp_text: str | None  # a stamp's own words, kept apart from ``text``
    blank: bool  # expected to be flagged as blank
    rotation: int  # degrees clockwise that make the scan upright
    skew: float  # degrees, counter-clockwise positive, as on the glass
    has_colour: bool  # colour content (stamp, photo, form print), not merely tinted paper
    mode: str  # as scanned: "color" or "gray"
    origin: str
    path: str  # the PNG in the cache

    def pixels(self) -> np.ndarray:
        """H x W x 3 RGB, or H x W gray."""
        image = cv2.imread(self.path, cv2.IMREAD_UNCHANGED)
        if image is None:
            raise FileNotFoundError(self.path)
        return cv2.cvtColor(image, cv2.COLOR_BGR2RGB) if image.ndim == 3 else image

    def scanned(self) -> ScannedPage:
        """The page as the scanner adapter hands it over, read from its PNM file into one
        buffer (no decoded copies on the side: the memory benchmark measures the kiosk)."""
        with self.pnm_file().open("rb") as file:
            fields: list[bytes] = []
            while len(fields) < 4:  # magic, width, height, maximum value
                line = file.readline()
                fields += line.split(b"#")[0].split()
            width, height = int(fields[1]), int(fields[2])
            channels = 3 if fields[0] == b"P6" else 1
            pixels = bytearray(width * height * channels)
            file.readinto(pixels)
        mode = ColorMode.COLOR if channels == 3 else ColorMode.GRAY
        return ScannedPage(width, height, mode, DPI, pixels)

    def pnm_file(self) -> Path:
        """The page as a PPM/PGM file, for SANE's `pnm` backend."""
        path = Path(self.path).with_suffix(".ppm" if self.mode == "color" else ".pgm")
        if not path.exists():
            image = cv2.imread(self.path, cv2.IMREAD_UNCHANGED)
            if image is None:
                raise FileNotFoundError(self.path)
            cv2.imwrite(str(path), image)
        return path


def _scan(sheet: docs.Sheet, spec: Spec, seed: int) -> np.ndarray:
    """What a scanner makes of the sheet: levels, background, skew, turn, blur, noise."""
    paper: Any = np.asarray(sheet.image, np.float32)
    white: Any
    black: Any
    if spec.colour_scan:  # no scanner's white is 255, nor its black 0
        white, black = np.array([247, 245, 240], np.float32), np.array([22, 22, 28], np.float32)
    else:
        paper = cv2.cvtColor(paper, cv2.COLOR_RGB2GRAY)
        white, black = np.float32(245), np.float32(22)
    paper = black + paper / 255 * (white - black)
    height, width = paper.shape[:2]
    if spec.border == "adf":  # a dark backing on every side, the paper a little off centre
        top, left, bottom, right, background = 60, 45, 70, 45, 45.0
    elif spec.border == "flatbed":  # the paper laid at the glass's corner, dark lid
        top, left, bottom, right, background = 14, 12, 110, 70, 62.0
    else:
        top = left = bottom = right = 0
        background = 0.0
    size = (width + left + right, height + top + bottom)
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), spec.skew, 1.0)
    matrix[:, 2] += (left, top)
    fill = float(white.mean()) if spec.border == "none" else background
    scan: Any = cv2.warpAffine(
        paper, matrix, size, flags=cv2.INTER_LINEAR, borderValue=(fill, fill, fill, 0)
    )
    if spec.border == "adf":  # the backing's streaks along the feed direction
        streaks = np.random.default_rng(seed).normal(0, 3, size[0]).astype(np.float32)[None, :]
        outside = cv2.warpAffine(np.ones((height, width), np.float32), matrix, size) < 0.5
        add = np.where(outside, streaks, np.float32(0)).astype(np.float32)
        scan += add[..., None] if scan.ndim == 3 else add
    scan = np.rot90(scan, k=spec.rotation // 90)  # counter-clockwise: upright needs clockwise
    scan = np.ascontiguousarray(scan)
    if spec.noise:  # a "pure" back is what a scanner's own clean-up makes of one: flat
        scan = cv2.GaussianBlur(scan, (0, 0), 0.8)
        cv2.setRNGSeed(seed)  # OpenCV's generator: a fifth of numpy's time for 30 M samples
        noise = np.empty(scan.shape, np.float32)
        cv2.randn(noise, np.zeros(1), np.full(1, spec.noise))
        cv2.add(scan, noise, dst=scan)
    np.maximum(scan, 0, out=scan)
    result: np.ndarray = cv2.convertScaleAbs(scan)  # saturates at 255
    return result


def _source_hash() -> str:
    digest = hashlib.sha256()
    for module in ("corpus.py", "pages_docs.py", "pages_forms.py"):
        digest.update((HERE / module).read_bytes())
    return digest.hexdigest()[:12]


def cache_dir() -> Path:
    return Path.home() / ".cache" / "jobcenter-kiosk" / "corpus" / _source_hash()


def _make(spec: Spec, index: int, folder: Path) -> CorpusPage:
    rng = random.Random(f"{SEED}:{spec.name}")
    sheet = _draw(spec.kind, rng)
    scan = _scan(sheet, spec, SEED * 1000 + index)
    path = folder / f"{spec.name}.png"
    bgr = cv2.cvtColor(scan, cv2.COLOR_RGB2BGR) if scan.ndim == 3 else scan
    cv2.imwrite(str(path), bgr, [cv2.IMWRITE_PNG_COMPRESSION, 1])
    blank = spec.kind in BLANK_KINDS
    origin = "generated"
    if spec.kind == "photo_real" and forms.QR_PHOTO.exists():
        origin = "generated; photo: ZXing test corpus qrcode-5/01.png (Apache-2.0)"
    return CorpusPage(
        name=spec.name,
        kind=spec.kind,
        text=None if blank else sheet.truth() or None,
        stamp_text=sheet.stamp_text,
        blank=blank,
        rotation=spec.rotation,
        skew=spec.skew,
        has_colour=sheet.has_colour and spec.colour_scan,
        mode="color" if spec.colour_scan else "gray",
        origin=origin,
        path=str(path),
    )


def pages(limit: int | None = None, names: list[str] | None = None) -> list[CorpusPage]:
    """The corpus (the first ``limit`` pages, or those named), built where missing."""
    folder = cache_dir()
    if not folder.exists():  # the generator changed: drop corpora older than an hour
        for old in folder.parent.glob("*") if folder.parent.exists() else ():
            if old.is_dir() and time.time() - old.stat().st_mtime > 3600:
                shutil.rmtree(old, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    chosen = [s for s in SPECS if names is None or s.name in names][:limit]
    result = []
    for spec in chosen:
        meta = folder / f"{spec.name}.json"
        if meta.exists() and (folder / f"{spec.name}.png").exists():
            result.append(CorpusPage(**json.loads(meta.read_text())))
            continue
        page = _make(spec, SPECS.index(spec), folder)
        meta.write_text(json.dumps(asdict(page), ensure_ascii=False, indent=1))
        result.append(page)
    return result


def main() -> None:
    for spec in SPECS:
        start = time.perf_counter()
        (page,) = pages(names=[spec.name])
        took = time.perf_counter() - start
        chars = len(page.text or "")
        print(
            f"{page.name:24} {page.kind:18} {page.mode:5} rot {page.rotation:3} "
            f"skew {page.skew:+.1f} colour {page.has_colour!s:5} blank {page.blank!s:5} "
            f"{chars:5} chars  {took:.2f} s"
        )
    print(cache_dir())


if __name__ == "__main__":
    main()
