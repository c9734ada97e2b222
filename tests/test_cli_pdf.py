"""``kiosk pdf``: image files through the page pipeline and the product's PDF writer."""

from __future__ import annotations

import io
import json
from functools import cache
from pathlib import Path

import cv2
import numpy as np
import pikepdf
import pypdf
import pytest
from PIL import Image

from kiosk.cli import main
from kiosk.exits import EXIT_INVALID_INPUT, EXIT_OK, EXIT_USAGE
from tests.services.pipeline_pages import CREAM, WHITE, blank_page, scan, text_page


@cache
def _letter_upside_down() -> np.ndarray:
    """A tilted, upside-down letter at 150 dpi (as a scan app would save it)."""
    page = scan(text_page(CREAM, seed=41), rotation=180, skew=1.1)
    rgb = np.frombuffer(page.pixels, np.uint8).reshape(page.height, page.width, 3)
    return cv2.resize(rgb, (page.width // 2, page.height // 2), interpolation=cv2.INTER_AREA)


@cache
def _blank() -> np.ndarray:
    page = scan(blank_page(WHITE), noise=6)
    rgb = np.frombuffer(page.pixels, np.uint8).reshape(page.height, page.width, 3)
    return cv2.resize(rgb, (page.width // 2, page.height // 2), interpolation=cv2.INTER_AREA)


def save(path: Path, pixels: np.ndarray, dpi: int | None = 150, **options: object) -> Path:
    image = Image.fromarray(pixels)
    if dpi is not None:
        options["dpi"] = (dpi, dpi)
    image.save(path, **options)  # type: ignore[arg-type]
    return path


def lines(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines()]


def test_json_says_per_page_what_was_decided_and_the_pdf_holds_every_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    letter = save(tmp_path / "letter.png", _letter_upside_down())
    blank = save(tmp_path / "back.jpg", _blank(), quality=92)
    out = tmp_path / "out.pdf"
    assert main(["pdf", "--json", str(letter), str(blank), "-o", str(out)]) == EXIT_OK
    first, second = lines(capsys.readouterr().out)
    assert first["file"] == str(letter) and second["file"] == str(blank)
    assert (first["mode"], first["rotation"], first["blank"]) == ("bw", 180, False)
    assert first["skew_degrees"] == pytest.approx(1.1, abs=0.2)
    assert (second["blank"], second["kept"]) == (True, True)  # flagged, still in the PDF
    with pikepdf.open(out) as pdf:
        assert len(pdf.pages) == 2
        for line, page in zip((first, second), pdf.pages, strict=True):
            (image,) = page.get_images().values()
            assert line["bytes"] == len(image.read_raw_bytes())  # the page's own stream
            # A4 at the file's 150 dpi, in points: the page is as large as the paper.
            assert float(page.mediabox[2]) == pytest.approx(210 / 25.4 * 72, abs=3)


def test_drop_blank_leaves_empty_pages_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    letter = save(tmp_path / "letter.png", _letter_upside_down())
    blank = save(tmp_path / "back.png", _blank())
    out = tmp_path / "out.pdf"
    code = main(["pdf", "--json", "--drop-blank", str(blank), str(letter), "-o", str(out)])
    assert code == EXIT_OK
    kept = [line["kept"] for line in lines(capsys.readouterr().out)]
    assert kept == [False, True]
    assert len(pypdf.PdfReader(out).pages) == 1


def test_only_blank_pages_with_drop_blank_write_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blank = save(tmp_path / "back.png", _blank())
    out = tmp_path / "out.pdf"
    assert main(["pdf", "--drop-blank", str(blank), "-o", str(out)]) == EXIT_INVALID_INPUT
    assert "no PDF written" in capsys.readouterr().err and not out.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [("notes.png", b"not an image at all"), ("cut.png", None), ("missing.png", "absent")],
)
def test_a_bad_input_is_named_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: object
) -> None:
    bad = tmp_path / name
    if isinstance(content, bytes):
        bad.write_bytes(content)
    elif content is None:  # a PNG cut off halfway through
        whole = save(tmp_path / "whole.png", _blank()).read_bytes()
        bad.write_bytes(whole[: len(whole) // 2])
    good = save(tmp_path / "letter.png", _letter_upside_down())
    out = tmp_path / "out.pdf"
    assert main(["pdf", str(good), str(bad), "-o", str(out)]) == EXIT_INVALID_INPUT
    err = capsys.readouterr().err
    assert str(bad) in err and "cannot read image" in err and "Traceback" not in err
    assert not out.exists()


def test_pages_of_a_multi_page_tiff_and_the_dpi_the_file_says(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    small = cv2.resize(_letter_upside_down(), None, fx=2 / 3, fy=2 / 3)  # 100 dpi
    frames = [Image.fromarray(small), Image.fromarray(small).convert("L")]
    path = tmp_path / "two.tif"
    frames[0].save(path, save_all=True, append_images=frames[1:], dpi=(100, 100))
    out = tmp_path / "out.pdf"
    assert main(["pdf", "--json", str(path), "-o", str(out)]) == EXIT_OK
    found = lines(capsys.readouterr().out)
    assert [(line["page"], line["dpi"]) for line in found] == [(1, 100), (2, 100)]
    assert all(line["rotation"] == 180 for line in found)
    reader = pypdf.PdfReader(out)
    assert float(reader.pages[1].mediabox.height) == pytest.approx(297 / 25.4 * 72, abs=3)


def test_a_file_without_dpi_is_taken_as_300_dpi(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = save(tmp_path / "nodpi.png", _blank(), dpi=None)
    assert main(["pdf", "--json", str(path), "-o", str(tmp_path / "o.pdf")]) == EXIT_OK
    (line,) = lines(capsys.readouterr().out)
    assert line["dpi"] == 300


@pytest.mark.parametrize("mode", ["color", "gray", "bw"])
def test_mode_stores_every_page_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], mode: str
) -> None:
    path = save(tmp_path / "letter.png", _letter_upside_down())
    assert main(["pdf", "--json", "--mode", mode, str(path), "-o", str(tmp_path / "o.pdf")]) == 0
    (line,) = lines(capsys.readouterr().out)
    assert line["mode"] == mode


def test_bilevel_and_gray_files_are_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gray = cv2.cvtColor(_letter_upside_down(), cv2.COLOR_RGB2GRAY)
    bilevel = Image.fromarray(gray).point(lambda v: 255 if v > 128 else 0).convert("1")
    bilevel.save(tmp_path / "bw.png", dpi=(150, 150))
    save(tmp_path / "gray.pgm", gray, dpi=None)
    out = tmp_path / "o.pdf"
    args = ["pdf", "--json", str(tmp_path / "bw.png"), str(tmp_path / "gray.pgm"), "-o", str(out)]
    assert main(args) == EXIT_OK
    found = lines(capsys.readouterr().out)
    assert [line["mode"] for line in found] == ["bw", "bw"]
    assert [line["rotation"] for line in found] == [180, 180]


def test_the_plain_output_says_it_in_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = save(tmp_path / "letter.png", _letter_upside_down())
    assert main(["pdf", str(path), "-o", str(tmp_path / "o.pdf")]) == EXIT_OK
    out = capsys.readouterr().out
    assert "turned 180°" in out and "1 page(s)" in out


def test_an_unknown_mode_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["pdf", "--mode", "sepia", "x.png", "-o", str(tmp_path / "o.pdf")])
    assert stopped.value.code == EXIT_USAGE


def test_the_pdf_is_what_the_writer_makes(tmp_path: Path) -> None:
    path = save(tmp_path / "letter.png", _letter_upside_down())
    out = tmp_path / "o.pdf"
    assert main(["pdf", str(path), "-o", str(out)]) == EXIT_OK
    data = out.read_bytes()
    assert data.startswith(b"%PDF-") and pypdf.PdfReader(io.BytesIO(data)).pages
    assert not list(tmp_path.glob(".*.partial"))
