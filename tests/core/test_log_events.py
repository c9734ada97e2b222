"""The event catalogue: consistent, used as written, and documented in docs/events.md."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from kiosk.core.log_events import CATALOGUE, FIELDS, WARNING, clean_fields, emit, markdown
from kiosk.core.redact import case_numbers_in, scrub, url_without_secrets

ROOT = Path(__file__).resolve().parents[2]


def emit_calls() -> list[tuple[str, int, str, set[str]]]:
    """Every ``emit(log, "id", field=...)`` in kiosk/ and drivers/: (file, line, id, fields)."""
    calls = []
    for path in [*ROOT.joinpath("kiosk").rglob("*.py"), *ROOT.joinpath("drivers").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "emit":
                event = node.args[1]
                assert isinstance(event, ast.Constant) and isinstance(event.value, str), path
                names = {k.arg for k in node.keywords if k.arg is not None}
                calls.append((str(path.relative_to(ROOT)), node.lineno, event.value, names))
    return calls


def test_every_emit_names_a_catalogued_event_with_its_fields() -> None:
    calls = emit_calls()
    assert len(calls) >= 30  # the product's log lines go through the catalogue
    for where, line, event, names in calls:
        spec = CATALOGUE.get(event)
        assert spec is not None, f"{where}:{line}: {event} is not in the catalogue"
        placeholders = {f for _, f, _, _ in string.Formatter().parse(spec.message) if f}
        assert names <= set(spec.fields), f"{where}:{line}: {names - set(spec.fields)}"
        assert placeholders <= names, f"{where}:{line}: {event} needs {placeholders - names}"


def test_each_event_is_well_formed() -> None:
    for spec in CATALOGUE.values():
        assert spec.id.count(".") == 1 and spec.id == spec.id.lower(), spec.id
        assert spec.help.strip() and spec.message.strip()
        assert set(spec.fields) <= set(FIELDS), spec.id
        placeholders = {f for _, f, _, _ in string.Formatter().parse(spec.message) if f}
        assert placeholders <= set(spec.fields), spec.id


def test_docs_events_md_is_generated_from_the_catalogue() -> None:
    doc = (ROOT / "docs" / "events.md").read_text(encoding="utf-8")
    assert doc == markdown(), "run: .venv/bin/python -m kiosk.devtools.events_doc"
    assert all(f"`{event}`" in doc for event in CATALOGUE)


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[int, object, dict[str, object]]] = []

    def log(self, level: int, msg: object, *, extra: object = None, stacklevel: int = 1) -> None:
        assert isinstance(extra, dict)
        self.calls.append((level, msg, extra))


def test_emit_keeps_only_allowed_fields_and_scrubs_free_text() -> None:
    log = Recorder()
    emit(log, "delivery.failed", item="ab12", attempts=2, delay_s=9.6, team="leistung-1",
         detail="https://user:pw@dms/x for 12345BG0012345", name="Erika Mustermann")  # fmt: skip
    ((level, message, extra),) = log.calls
    fields = extra["kiosk_fields"]
    assert level == WARNING and extra["kiosk_event"] == "delivery.failed"
    assert message == (
        "delivery of ab12 failed (attempt 2), next in 10 s: https://[redacted]@dms/x for [case]"
    )
    assert isinstance(fields, dict) and "name" not in fields and "Erika" not in str(extra)
    assert fields["attempts"] == 2 and fields["team"] == "leistung-1"


def test_a_field_of_the_wrong_kind_is_dropped() -> None:
    spec = CATALOGUE["delivery.failed"]
    assert clean_fields(spec, {"attempts": "12345BG0012345", "delay_s": True}) == {}


@pytest.mark.parametrize(
    "text",
    ["12345BG0012345", "12345//12345", "12345 BG 0012345", "12345-bg-0012345", "123a456789",
     "١٢٣٤٥BG٠٠١٢٣٤٥", "１２３Ａ４５６７８９", "file:///srv/12345//0012345/x.pdf"],
)  # fmt: skip
def test_case_numbers_are_found_in_every_spelling_the_kiosk_reads(text: str) -> None:
    assert case_numbers_in(f"before {text} after")
    assert "[case]" in scrub(f"before {text} after")


@pytest.mark.parametrize(
    "text", ["case-0a1b2c3d4e5f6a7b", "K7M-4QX-9TB", "2024-01-31T10:11:12", "12345", "attempt 3"]
)
def test_pseudonyms_receipt_numbers_and_dates_are_no_case_numbers(text: str) -> None:
    assert case_numbers_in(text) == [] and scrub(text) == text


def test_url_credentials_and_card_payloads_are_scrubbed() -> None:
    assert url_without_secrets("smtp://u:p@relay/x?token=abc") == (
        "smtp://[redacted]@relay/x?token=[redacted]"
    )
    scrubbed = scrub("read JC1:T:abcdefghijklmnop1234 and B#012345BG0012345")
    assert scrubbed == "read [card] and [card]"
