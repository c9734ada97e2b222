"""``kiosk decode`` on real image files: text, meaning, JSON lines, unreadable files, exit codes."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import cv2
import numpy as np
import pytest
import segno

from kiosk.cli import main
from kiosk.core import card_signing, cards
from tests import codes_synth as synth

CASE = "12345BG0012345"


def qr_png(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    segno.make_qr(text).save(str(path), scale=6, border=4)
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], str]:
    code = main(["decode", *argv])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def test_plain_case_number(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    image = qr_png(tmp_path, "card.png", CASE)
    code, lines, err = run(capsys, str(image))
    assert code == 0 and err == ""
    assert lines == [f"{image}: '{CASE}' -> bg-nummer {CASE}"]


def test_json_lines_one_per_image(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    images = [
        qr_png(tmp_path, "url.png", f"https://jobcenter.example/k?bg={CASE}"),
        qr_png(tmp_path, "token.png", "JC1:T:ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"),
        qr_png(tmp_path, "kunde.png", "123a456789"),
    ]
    code, lines, _ = run(capsys, "--json", *map(str, images))
    assert code == 0
    assert [json.loads(line) for line in lines] == [
        {
            "file": str(images[0]),
            "text": f"https://jobcenter.example/k?bg={CASE}",
            "identifier": {"kind": "bg-nummer", "value": CASE},
            "error": None,
        },
        {
            "file": str(images[1]),
            "text": "JC1:T:ABCDEFGHIJKLMNOPQRSTUVWXYZ234567",
            "identifier": {"kind": "token", "value": "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"},
            "error": None,
        },
        {
            "file": str(images[2]),
            "text": "123a456789",
            "identifier": {"kind": "kundennummer", "value": "123A456789"},
            "error": None,
        },
    ]


def test_failures_are_lines_not_tracebacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blank = tmp_path / "blank.png"
    cv2.imwrite(str(blank), np.full((200, 200), 255, np.uint8))
    not_image = tmp_path / "notes.png"
    not_image.write_text("not an image")
    hostile = qr_png(tmp_path, "hostile.png", "\u202e\x1b[2J../../etc/passwd")
    good = qr_png(tmp_path, "good.png", CASE)
    missing = tmp_path / "missing.jpg"
    code, lines, err = run(capsys, "--json", *map(str, [blank, not_image, hostile, good, missing]))
    assert code == 1 and err == ""
    found = [json.loads(line) for line in lines]
    assert [f["file"] for f in found] == list(map(str, [blank, not_image, hostile, good, missing]))
    assert found[0] == {
        "file": str(blank),
        "text": None,
        "identifier": None,
        "error": "no code found",
    }
    assert found[1]["error"].startswith("cannot read image")
    assert found[2]["text"] == "\u202e\x1b[2J../../etc/passwd"
    assert found[2]["identifier"] is None and found[2]["error"] == cards.REASON_CHARACTERS
    assert found[3]["identifier"] == {"kind": "bg-nummer", "value": CASE}
    assert found[4]["error"] == "cannot read image: no such file or directory"


def test_human_output_escapes_what_a_code_holds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    image = qr_png(tmp_path, "hostile.png", "\u202eABC\x1b[2J")
    code, lines, _ = run(capsys, str(image))
    assert code == 1
    assert "\x1b" not in lines[0] and "\u202e" not in lines[0]
    assert lines[0] == (f"{image}: '\\u202eABC\\x1b[2J' -> rejected: {cards.REASON_CHARACTERS}")


def test_missing_file_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, err = run(capsys, str(tmp_path / "nope.png"))
    assert code == 1 and err == ""
    assert lines == [f"{tmp_path / 'nope.png'}: cannot read image: no such file or directory"]


def test_letter_codes_need_the_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    letter = tmp_path / "letter.png"
    page = np.full((400, 400), 255, np.uint8)
    code_image = synth.datamatrix_image(f"B#0{CASE}", module_px=6)
    page[50 : 50 + code_image.shape[0], 50 : 50 + code_image.shape[1]] = code_image
    cv2.imwrite(str(letter), page)
    code, lines, _ = run(capsys, str(letter))
    assert code == 1 and lines[0].endswith(f"rejected: {cards.REASON_LETTER_OFF}")
    code, lines, _ = run(capsys, "--letters", str(letter))
    assert code == 0 and lines[0].endswith(f"-> bg-nummer {CASE}")


def test_signed_cards_with_a_key_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    key = bytes(range(32))
    (tmp_path / "card.key").write_bytes(key)
    valid = card_signing.sign(card_signing.PREFIX_SIGNED, CASE, date.today() + timedelta(30), key)
    expired = card_signing.sign(card_signing.PREFIX_SIGNED, CASE, date(2020, 1, 1), key)
    images = [qr_png(tmp_path, "valid.png", valid), qr_png(tmp_path, "old.png", expired)]
    code, lines, _ = run(
        capsys, "--json", "--card-key", str(tmp_path / "card.key"), *map(str, images)
    )
    found = [json.loads(line) for line in lines]
    assert found[0]["identifier"] == {"kind": "bg-nummer", "value": CASE}
    assert found[1]["error"] == cards.REASON_EXPIRED and code == 1
    code, lines, _ = run(capsys, "--json", str(images[0]))  # without the key
    assert json.loads(lines[0])["error"] == cards.REASON_NOT_HERE and code == 1


def test_url_parameter_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    image = qr_png(tmp_path, "url.png", f"https://jc.example/?fall={CASE}")
    assert run(capsys, str(image))[0] == 1
    code, lines, _ = run(capsys, "--url-param", "fall", str(image))
    assert code == 0 and lines[0].endswith(f"-> bg-nummer {CASE}")


def test_a_short_key_file_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "short.key").write_bytes(b"short")
    image = qr_png(tmp_path, "card.png", CASE)
    code, lines, err = run(capsys, "--card-key", str(tmp_path / "short.key"), str(image))
    assert code == 2 and lines == [] and "at least 16 bytes" in err


def test_verbose_logging_never_shows_the_case_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    image = qr_png(tmp_path, "card.png", CASE)
    assert main(["-v", "decode", str(image)]) == 0
    _, err = capsys.readouterr()
    assert CASE not in err and all(CASE not in r.getMessage() for r in caplog.records)
