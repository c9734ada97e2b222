"""``kiosk pdf``: image files through the kiosk's own page pipeline and PDF writer.

Field support checks a problem page with it ("why is page 3 upside down?"), benchmarks
measure the pipeline through it. Every page of every file becomes a page of the PDF, a
blank one too unless ``--drop-blank``; ``--json`` prints what the pipeline decided, one
object per page and line.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from drivers.scanner.protocol import ColorMode, ScannedPage
from kiosk.exits import EXIT_FAILED, EXIT_INVALID_INPUT, EXIT_OK
from kiosk.services.pages.imaging import EncodedPage

ASSUMED_DPI = 300  # when the file does not say (most PNGs from screenshots, many JPEGs)
_DPI_RANGE = (50, 2400)  # a file's own dpi outside this is a placeholder (72, 1): assumed


class BadImage(Exception):
    """An input that is no readable image: named in the message, nothing written."""


@dataclass(frozen=True, slots=True)
class PageResult:
    """One input page: where it came from and how it was stored."""

    file: str
    page: int  # within its file (multi-page TIFF), from 1
    encoded: EncodedPage
    kept: bool

    def as_json(self) -> str:
        report = self.encoded.report
        assert report is not None  # the pipeline always reports
        return json.dumps(
            {
                "file": self.file,
                "page": self.page,
                **report.to_json(),
                "bytes": len(self.encoded.data),
                "width": self.encoded.width,
                "height": self.encoded.height,
                "dpi": self.encoded.dpi,
                "kept": self.kept,
            },
            ensure_ascii=False,
        )

    def as_line(self) -> str:
        report = self.encoded.report
        assert report is not None
        said = [report.mode]
        if report.rotation:
            said.append(f"turned {report.rotation}°")
        if report.skew_degrees:
            said.append(f"straightened {report.skew_degrees:+.2f}°")
        if report.cropped:
            said.append("background cut away")
        said.append(f"{len(self.encoded.data) / 1024:.1f} KB")
        if report.blank:
            said.append("seems empty" + (" (kept)" if self.kept else " (left out)"))
        said.extend(f"problem: {p}" for p in report.problems)
        return f"{self.file} [{self.page}]: " + ", ".join(said)


def run(args: argparse.Namespace) -> int:
    from kiosk.services.pages.pipeline import process_page

    results: list[PageResult] = []
    try:
        for path in args.images:
            for number, scanned in enumerate(read_pages(path), start=1):
                encoded = process_page(scanned, args.mode)
                blank = encoded.report is not None and encoded.report.blank
                results.append(
                    PageResult(str(path), number, encoded, not (blank and args.drop_blank))
                )
    except BadImage as err:
        print(f"kiosk pdf: {err}", file=sys.stderr)
        return EXIT_INVALID_INPUT
    kept = [r.encoded for r in results if r.kept]
    for result in results:
        print(result.as_json() if args.json else result.as_line(), flush=True)
    if not kept:
        print(
            "kiosk pdf: every page seems empty and --drop-blank leaves them out: no PDF written",
            file=sys.stderr,
        )
        return EXIT_INVALID_INPUT
    try:
        size = _write(args.out, kept)
    except OSError as err:
        print(f"kiosk pdf: cannot write {args.out}: {err.strerror or err}", file=sys.stderr)
        return EXIT_FAILED
    if not args.json:
        print(f"{args.out}: {len(kept)} page(s), {size / 1024:.1f} KB")
    return EXIT_OK


def read_pages(path: Path) -> Iterator[ScannedPage]:
    """Every page (frame) of an image file as the scanner would deliver it."""
    try:
        with Image.open(path) as opened:
            for frame in ImageSequence.Iterator(opened):
                yield _scanned(frame)
    except (OSError, ValueError, UnidentifiedImageError, Image.DecompressionBombError) as err:
        raise BadImage(f"{path}: cannot read image: {_why(err)}") from err


def _scanned(frame: Image.Image) -> ScannedPage:
    dpi = _dpi(frame)
    upright = ImageOps.exif_transpose(frame)  # a phone's photo of a page: as it was held
    if upright.mode == "1":
        mode, image = ColorMode.BW, upright.convert("L")
    elif upright.mode in ("L", "LA", "I", "I;16", "I;16B", "I;16L", "F"):
        mode, image = ColorMode.GRAY, _gray(upright)
    else:
        mode, image = ColorMode.COLOR, _rgb(upright)
    return ScannedPage(image.width, image.height, mode, dpi, image.tobytes())


def _gray(image: Image.Image) -> Image.Image:
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "F"):  # 16-bit scans: scale, not clip
        import numpy as np

        values = np.asarray(image, dtype=np.float32)
        top = 65535.0 if values.max() > 255 else 255.0
        return Image.fromarray((values * (255.0 / top)).clip(0, 255).astype(np.uint8), "L")
    return image.convert("L")


def _rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        flat = Image.new("RGB", image.size, (255, 255, 255))  # transparent is paper
        flat.paste(image.convert("RGBA"), mask=image.convert("RGBA").getchannel("A"))
        return flat
    return image.convert("RGB")


def _dpi(image: Image.Image) -> int:
    value = image.info.get("dpi")
    try:
        dpi = round(float(value[0])) if value else 0
    except (TypeError, ValueError, IndexError):
        dpi = 0
    return dpi if _DPI_RANGE[0] <= dpi <= _DPI_RANGE[1] else ASSUMED_DPI


def _write(out: Path, pages: list[EncodedPage]) -> int:
    """The PDF, written whole or not at all (a temporary file renamed into place)."""
    from kiosk.services.pages.pdf import DocumentInfo, build_pdf

    now = datetime.now().astimezone()
    info = DocumentInfo(
        title_de="Gescanntes Dokument",
        case_number="ohne Nummer",
        concern_key="kiosk-pdf",
        kiosk_id="kiosk-pdf",
        receipt_id="-",
        scanned_at=now,
    )
    data = build_pdf(pages, info)
    temporary = out.with_name(f".{out.name}.partial")
    temporary.write_bytes(data)
    os.replace(temporary, out)
    return len(data)


def _why(err: Exception) -> str:
    if isinstance(err, OSError) and err.strerror:
        return err.strerror.lower()
    if isinstance(err, UnidentifiedImageError):
        return "not an image (or a format Pillow cannot read)"
    return str(err) or type(err).__name__
