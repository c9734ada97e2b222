"""[receipt]: the printer queue, the paper, the deadline and lp options, checked at start."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.services.config import ReceiptSettings, load_config
from kiosk.services.tomlfile import InvalidFile

K = '[kiosk]\nid = "k"\n'
DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(text)
    return path


def test_no_printer_by_default_and_an_empty_one_is_none(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, K)).receipt == ReceiptSettings()
    assert ReceiptSettings().printer is None
    assert load_config(write(tmp_path, K + '[receipt]\nprinter = ""\n')).receipt.printer is None


def test_the_receipt_section_is_read(tmp_path: Path) -> None:
    text = (
        K + '[receipt]\nprinter = "kiosk-receipt"\npaper = "a4"\ndeadline = 15\n'
        'options = ["media=X80MMY200MM", "print-quality=5"]\n'
    )
    receipt = load_config(write(tmp_path, text)).receipt
    assert receipt == ReceiptSettings(
        "kiosk-receipt", "a4", 15.0, ("media=X80MMY200MM", "print-quality=5")
    )


@pytest.mark.parametrize(
    ("body", "key", "words"),
    [
        ('printer = "-d other"', "receipt.printer", "CUPS queue name"),
        ('printer = "two words"', "receipt.printer", "CUPS queue name"),
        ('printer = "a/b"', "receipt.printer", "CUPS queue name"),
        ("printer = 3", "receipt.printer", "CUPS queue name"),
        ('paper = "58mm"', "receipt.paper", "80mm or a4"),
        ("deadline = 2", "receipt.deadline", "between 5 and 60"),
        ("deadline = 600", "receipt.deadline", "between 5 and 60"),
        ('options = ["bad option"]', "receipt.options", "NAME=VALUE"),
        ('options = "media=A4"', "receipt.options", "list"),
        ('colour = "red"', "receipt.colour", "unknown key"),
    ],
)
def test_problems_name_key_and_line(tmp_path: Path, body: str, key: str, words: str) -> None:
    with pytest.raises(InvalidFile) as err:
        load_config(write(tmp_path, K + "[receipt]\n" + body + "\n"))
    (problem,) = [p for p in err.value.problems if p.key.startswith("receipt")]
    assert problem.key == key and problem.line == 4 and words in problem.message


def test_the_example_documents_the_receipt_section() -> None:
    example = (DEPLOY / "kiosk.example.toml").read_text()
    assert "[receipt]" in example
    for key in ("printer", "paper", "deadline", "options"):
        assert f"{key} =" in example
    assert "PreserveJobFiles No" in example  # the kiosk's CUPS keeps no printed file
    assert load_config(DEPLOY / "kiosk.example.toml").receipt.printer is None
