"""What the page benchmark measures on a pipeline's output: OCR error, skew, PDF bytes.

Every pipeline's PDF is measured the same way: its pages at 300 dpi gray as a viewer shows
them (page_grays: the page's one image decoded, else poppler's render), read by tesseract
`deu`, and their skew measured by one projection-profile method.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import tempfile
import unicodedata
from pathlib import Path

import cv2
import numpy as np
import pikepdf

OCR_ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}
PSM = "6"  # one uniform block: rows read across, as the ground truth is (tables too)


def levenshtein(a: str, b: str) -> int:
    """Edit distance, bit-parallel (Myers 1999, Hyyrö's formulation) on Python's big ints."""
    if len(a) < len(b):
        a, b = b, a
    m = len(b)
    if not m:
        return len(a)
    peq: dict[str, int] = {}
    for i, char in enumerate(b):
        peq[char] = peq.get(char, 0) | (1 << i)
    full, top = (1 << m) - 1, 1 << (m - 1)
    pv, mv, score = full, 0, m
    for char in a:
        eq = peq.get(char, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = (mv | ~(xh | pv)) & full
        mh = pv & xh
        if ph & top:
            score += 1
        elif mh & top:
            score -= 1
        ph = ((ph << 1) | 1) & full
        mh = (mh << 1) & full
        pv = (mh | ~(xv | ph)) & full
        mv = ph & xv
    return score


def best_match(pattern: str, text: str) -> int:
    """The fewest edits that turn ``pattern`` into some stretch of ``text`` (approximate
    string matching: Myers's bit-vector scan with a free start and end in the text)."""
    m = len(pattern)
    if not m:
        return 0
    peq: dict[str, int] = {}
    for i, char in enumerate(pattern):
        peq[char] = peq.get(char, 0) | (1 << i)
    full, top = (1 << m) - 1, 1 << (m - 1)
    pv, mv, score = full, 0, m
    best = m
    for char in text:
        eq = peq.get(char, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = (mv | ~(xh | pv)) & full
        mh = pv & xh
        if ph & top:
            score += 1
        elif mh & top:
            score -= 1
        ph = (ph << 1) & full  # the text's row 0 stays 0: a match may start anywhere
        mh = (mh << 1) & full
        pv = (mh | ~(xv | ph)) & full
        mv = ph & xv
        best = min(best, score)
    return best


def line_cer(ocr: str, truth: str) -> float:
    """Each line of the ground truth against its best match anywhere in the OCR text: the
    lines' edits over their length. What OCR adds (a photo read as letters, a signature)
    and the order it reads blocks in do not count; only what of the text is lost."""
    text = normalise(ocr)
    lines = [normalise(line) for line in truth.splitlines() if line.strip()]
    edits = sum(best_match(line, text) for line in lines)
    return edits / max(sum(len(line) for line in lines), 1)


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def cer(ocr: str, truth: str) -> float:
    want = normalise(truth)
    return levenshtein(normalise(ocr), want) / max(len(want), 1)


def ocr(gray: np.ndarray) -> str:
    with tempfile.NamedTemporaryFile(suffix=".png") as file:
        cv2.imwrite(file.name, gray, [cv2.IMWRITE_PNG_COMPRESSION, 1])
        result = subprocess.run(
            ["tesseract", file.name, "stdout", "-l", "deu", "--psm", PSM],
            capture_output=True,
            text=True,
            env=OCR_ENV,
            timeout=300,
            check=True,
        )
    return result.stdout


def words_found(words: str, text: str) -> tuple[int, int]:
    """How many of a stamp's words (4+ letters) the OCR text holds, one typo allowed."""
    wanted = [w for w in re.findall(r"\w+", words.upper()) if len(w) >= 4]
    got = set(re.findall(r"\w+", text.upper()))
    found = sum(1 for w in wanted if any(levenshtein(w, g) <= 1 for g in got))
    return found, len(wanted)


def page_grays(pdf: bytes) -> list[np.ndarray]:
    """Every page at 300 dpi, gray, as a viewer shows it: a page that only draws one image,
    upright or with /Rotate, is that image decoded (pikepdf) and scaled to 300 dpi; any
    other page (a text layer, an image over a background) is rendered by pdftoppm."""
    grays = []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for number, page in enumerate(document.pages, start=1):
            gray = _single_image(page)
            grays.append(gray if gray is not None else _render(pdf, number))
    return grays


def _single_image(page: pikepdf.Page) -> np.ndarray | None:
    resources = page.obj.get("/Resources")
    if not isinstance(resources, pikepdf.Dictionary) or "/Font" in resources:
        return None
    images = list(page.images.values())
    steps = [
        (list(step.operands), str(step.operator))
        for step in pikepdf.parse_content_stream(page)
        if isinstance(step, pikepdf.ContentStreamInstruction)
    ]
    matrices = [operands for operands, op in steps if op == "cm"]
    if (
        len(images) != 1
        or not isinstance(images[0], pikepdf.Stream)
        or not {op for _, op in steps} <= {"q", "Q", "cm", "Do"}
        or len(matrices) != 1
    ):
        return None
    a, b, c, d, _, _ = (float(v) for v in matrices[0])
    if b or c or a <= 0 or d <= 0:
        return None
    decoded = pikepdf.PdfImage(images[0]).as_pil_image().convert("L")
    gray = np.asarray(decoded)
    size = (round(a / 72 * 300), round(d / 72 * 300))
    if size != (gray.shape[1], gray.shape[0]):
        gray = cv2.resize(gray, size, interpolation=cv2.INTER_LINEAR)
    turn = int(page.obj.get("/Rotate", 0)) % 360  # clockwise, as a viewer turns it
    return np.ascontiguousarray(np.rot90(gray, k=-turn // 90))


def _render(pdf: bytes, number: int) -> np.ndarray:
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "in.pdf"
        source.write_bytes(pdf)
        page = str(number)
        subprocess.run(
            ["pdftoppm", "-r", "300", "-gray", "-png", "-f", page, "-l", page, "-singlefile"]
            + [str(source), f"{work}/p"],
            check=True,
            timeout=600,
        )
        gray = cv2.imread(f"{work}/p.png", cv2.IMREAD_GRAYSCALE)
    if gray is None:
        raise RuntimeError("pdftoppm wrote an unreadable page")
    result: np.ndarray = gray
    return result


def _xobject_bytes(stream: pikepdf.Object, seen: set[tuple[int, int]]) -> int:
    """An image's or form's stream, its masks and (for a form) what it draws, once each."""
    if not isinstance(stream, pikepdf.Stream) or stream.objgen in seen:
        return 0
    seen.add(stream.objgen)
    total = len(stream.read_raw_bytes())
    for key in ("/SMask", "/Mask"):
        if key in stream:
            total += _xobject_bytes(stream[key], seen)
    return total + _resources_bytes(stream.get("/Resources"), seen)


def _resources_bytes(resources: pikepdf.Object | None, seen: set[tuple[int, int]]) -> int:
    if not isinstance(resources, pikepdf.Dictionary) or "/XObject" not in resources:
        return 0
    return sum(_xobject_bytes(x, seen) for x in resources.XObject.values())


def page_bytes(pdf: bytes) -> list[float]:
    """Each page's share of the file: its content streams and the images (masks, forms) it
    draws, plus an equal share of the rest (header, fonts, metadata, output intent, xref)."""
    own: list[float] = []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        seen: set[tuple[int, int]] = set()
        for page in document.pages:
            contents = page.obj.get("/Contents")
            streams = [contents] if isinstance(contents, pikepdf.Stream) else list(contents or [])
            total = sum(len(s.read_raw_bytes()) for s in streams)
            own.append(float(total + _resources_bytes(page.obj.get("/Resources"), seen)))
    rest = (len(pdf) - sum(own)) / len(own)
    return [b + rest for b in own]


def is_pdfa(pdf: bytes) -> bool:
    """Claims PDF/A (XMP pdfaid part) and carries an output intent; qpdf --check is clean."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        xmp = document.open_metadata()
        claims = xmp.get("pdfaid:part") is not None
        intent = "/OutputIntents" in document.Root
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        check = subprocess.run(["qpdf", "--check", file.name], capture_output=True, timeout=300)
    return claims and intent and check.returncode == 0


def _ink_points(gray: np.ndarray) -> np.ndarray:
    """(x, y) of text-sized ink: local threshold, then drop what touches the image's edge
    (scanner background), and what is big (rules, paper edges, photos, table shading)."""
    ink = cv2.adaptiveThreshold(
        gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 41, 25
    )
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    height, width = gray.shape
    x, y, w, h, area = (stats[:, i] for i in range(5))
    keep = (w < 150) & (h < 150) & (area >= 12) & (x > 0) & (y > 0)
    keep &= (x + w < width) & (y + h < height)
    keep[0] = False
    ys, xs = np.nonzero(keep[labels])
    points = np.stack([xs, ys], axis=1).astype(np.float64)
    if len(points) > 400_000:
        points = points[:: len(points) // 400_000 + 1]
    return points


def _sharpness(points: np.ndarray, angle: float) -> float:
    """How peaked the row profile is once the points are turned back by ``angle``."""
    t = np.radians(angle)
    rows = points[:, 1] + points[:, 0] * np.tan(t)
    profile = np.bincount((rows - rows.min()).astype(np.int64))
    return float(np.square(profile.astype(np.float64)).sum())


def _best(points: np.ndarray) -> tuple[float, float]:
    coarse = max(np.arange(-6.0, 6.01, 0.25), key=lambda a: _sharpness(points, a))
    fine = np.arange(coarse - 0.3, coarse + 0.301, 0.01)
    scores = [(_sharpness(points, a), a) for a in fine]
    score, angle = max(scores)
    return float(angle), score


def skew_of(gray: np.ndarray) -> float | None:
    """The text's angle to the nearest page axis, degrees counter-clockwise positive (as
    displayed); None without enough text to tell."""
    points = _ink_points(gray)
    if len(points) < 2000:
        return None
    angle, score = _best(points)
    sideways, side_score = _best(points[:, ::-1].copy())  # text lines running up or down
    return angle if score >= side_score else -sideways
