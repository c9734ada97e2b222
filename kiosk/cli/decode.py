"""``kiosk decode``: read the QR / Data Matrix codes in image files and say what they mean.

Field support uses it on a photo of a client's card or letter ("why does the kiosk not
take this card?"). The decoded text is printed escaped: a code may hold terminal escape
sequences or bidi overrides, and they must not act on the support engineer's terminal.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from drivers.codes.reader import CombinedReader, DecodedCode
from kiosk.core.cards import CardPayload, CardRejected, CardRules, read_card

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
NO_CODE = "no code found"
STILL_IMAGE_BUDGET_S = 2.0  # a still image may take longer than a camera frame
SHOWN_CHARS = 200  # of a long text, in the human-readable output


@dataclass(frozen=True, slots=True)
class Finding:
    """What one image holds: the JSON line of ``kiosk decode --json``."""

    file: str
    text: str | None = None
    kind: str | None = None
    value: str | None = None
    error: str | None = None

    def as_json(self) -> str:
        identifier = {"kind": self.kind, "value": self.value} if self.kind else None
        return json.dumps(
            {"file": self.file, "text": self.text, "identifier": identifier, "error": self.error}
        )

    def as_line(self) -> str:
        if self.text is None:
            return f"{self.file}: {self.error}"
        shown = self.text[:SHOWN_CHARS]
        more = f"... ({len(self.text)} characters)" if len(self.text) > SHOWN_CHARS else ""
        meaning = f"{self.kind} {self.value}" if self.kind else f"rejected: {self.error}"
        return f"{self.file}: {shown!r}{more} -> {meaning}"


def run(args: argparse.Namespace) -> int:
    try:
        rules = _rules(args)
    except (OSError, ValueError) as err:
        print(f"kiosk decode: {err}", file=sys.stderr)
        return EXIT_USAGE
    reader = CombinedReader(budget_s=STILL_IMAGE_BUDGET_S)
    today = date.today()
    all_valid = True
    for path in args.images:
        finding = examine(path, reader, rules, today)
        all_valid = all_valid and finding.kind is not None
        print(finding.as_json() if args.json else finding.as_line(), flush=True)
    return EXIT_OK if all_valid else EXIT_FAILED


def _rules(args: argparse.Namespace) -> CardRules:
    case_key = args.card_key.read_bytes() if args.card_key else None
    staff_key = args.staff_key.read_bytes() if args.staff_key else None
    names = tuple(args.url_param) if args.url_param else CardRules().url_parameters
    return CardRules(
        url_parameters=names, case_key=case_key, staff_key=staff_key, letter_codes=args.letters
    )


def examine(path: Path, reader: CombinedReader, rules: CardRules, today: date) -> Finding:
    """Decode one image file; a file that cannot be read is a finding, not a traceback."""
    try:
        image = load_gray(path)
    except (OSError, ValueError, UnidentifiedImageError, Image.DecompressionBombError) as err:
        return Finding(str(path), error=f"cannot read image: {_why(err)}")
    codes = reader.read(image)
    if not codes:
        return Finding(str(path), error=NO_CODE)
    return _meaning(str(path), codes, rules, today)


def _meaning(file: str, codes: list[DecodedCode], rules: CardRules, today: date) -> Finding:
    """The first code that is a valid identifier; else why the first code is not one."""
    rejected: list[Finding] = []
    for code in codes:
        try:
            payload: CardPayload = read_card(code.text, rules, today)
        except CardRejected as why:
            rejected.append(Finding(file, code.text, error=why.reason))
            continue
        return Finding(file, code.text, payload.identifier_kind, payload.value)
    return rejected[0]


def load_gray(path: Path) -> np.ndarray:
    """An image file as 8-bit gray, turned upright as its EXIF orientation says (phones)."""
    with Image.open(path) as opened:
        upright = ImageOps.exif_transpose(opened)
        return np.asarray(upright.convert("L"), dtype=np.uint8)


def _why(err: Exception) -> str:
    if isinstance(err, OSError) and err.strerror:
        return err.strerror.lower()
    return str(err) or type(err).__name__
