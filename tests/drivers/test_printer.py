"""The receipt printer against a real CUPS scheduler (tests/cups.py): printed, read back from
cups-pdf; a stopped, removed, paperless or silent printer fails within the deadline, its job
cancelled, nothing of the client's left behind."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest

from drivers.output.printer import CupsPrinter, PrintFailed, PrintFault, parse_queue_state
from kiosk.app import build, embedded_config
from kiosk.core.concerns import concern_by_key
from kiosk.core.receipt import Receipt, ReceiptStatus
from kiosk.core.records import replace
from kiosk.core.session import LANGUAGES
from kiosk.services.config import ReceiptSettings
from kiosk.services.paper_receipt import JOB_TITLE, ReceiptPrinter
from kiosk.ui.i18n.texts import Texts, load_texts
from kiosk.ui.presenter.printout import printout_for
from tests.cups import CupsServer, cups_server, wait_for_pdf

CASE = "12345BG0012345"
RECEIPT = Receipt(
    receipt_id="K7M-4QX-9TB",
    created_at="2026-03-14T10:42:00+01:00",
    concern=concern_by_key("objection"),
    page_count=3,
    masked_case="12345BG•••2345",
    status=ReceiptStatus.QUEUED,
)


@pytest.fixture(scope="module")
def cups() -> Iterator[CupsServer]:
    with cups_server() as server:
        yield server


@pytest.fixture(scope="module")
def catalogs() -> dict[str, Texts]:
    return {language: load_texts(language) for language in LANGUAGES}


@pytest.fixture
def queue(cups: CupsServer, request: pytest.FixtureRequest) -> Iterator[tuple[str, Path]]:
    name = f"kiosk-test-{os.getpid()}-{request.node.name[-20:].strip('_')}"
    name = "".join(c if c.isalnum() or c in "-_" else "-" for c in name)[:60]
    out = cups.add_pdf_queue(name)
    yield name, out
    cups.remove(name)


def test_a_receipt_printed_through_cups_reads_back_with_its_number_and_time(
    cups: CupsServer,
    queue: tuple[str, Path],
    catalogs: dict[str, Texts],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    name, out = queue
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(private_tmp))
    monkeypatch.setattr(tempfile, "tempdir", None)
    # The kiosk's own way: configuration -> composition root -> ReceiptPrinter(CupsPrinter).
    config = replace(embedded_config(), receipt=ReceiptSettings(printer=name, deadline=30))
    printer = build(config, embedded=True).receipt_printer
    assert printer is not None and printer.name == name
    started = time.monotonic()
    printer.print_receipt(printout_for(RECEIPT, "uk", catalogs, "jc-test-01"))
    assert time.monotonic() - started < 30
    printed = wait_for_pdf(out)
    # cups-pdf goes through PostScript and Ghostscript: the printed PDF keeps the text of
    # the first font subset (ASCII) readable; ä, • and Cyrillic come out as glyphs only (as
    # on paper). What the PDF says in every script is read in tests/services/.
    text = "".join(page.extract_text() for page in pypdf.PdfReader(printed).pages)
    assert "K7M-4QX-9TB" in text
    assert "10:42" in text  # the time: "14. März 2026, 10:42"
    assert "Belegnummer" in text and "Datum und Uhrzeit" in text  # German for staff
    assert "Widerspruch" in text  # the objection's note: also hand in the signed original
    assert "jc-test-01" in text
    assert text.count("K7M-4QX-9TB") == 3  # large, then in each language's part
    assert CASE not in text and "0012345" not in text
    # Nothing of the client's stays: no temporary file of the kiosk's, no document in the
    # spool (PreserveJobFiles No), no job left waiting.
    assert list(private_tmp.iterdir()) == []
    assert cups.spooled_documents() == []
    assert cups.jobs(name) == []
    assert printer.last_problem is None


def test_the_job_carries_no_client_data_in_its_name(
    cups: CupsServer, queue: tuple[str, Path], catalogs: dict[str, Texts]
) -> None:
    name, _out = queue
    printer = ReceiptPrinter(CupsPrinter(name, deadline=30), "a4")
    printer.print_receipt(printout_for(RECEIPT, "de", catalogs, "jc-test-01"))
    page_log = (cups.log / "page_log").read_text() if (cups.log / "page_log").exists() else ""
    assert "K7M" not in page_log and "12345" not in page_log
    assert JOB_TITLE == "Eingangsbestaetigung"


def test_a_disabled_queue_fails_at_once_and_prints_nothing(
    cups: CupsServer,
    queue: tuple[str, Path],
    catalogs: dict[str, Texts],
    caplog: pytest.LogCaptureFixture,
) -> None:
    name, out = queue
    cups.run("cupsdisable", "-r", "paper roll being changed", name)
    printer = ReceiptPrinter(CupsPrinter(name, deadline=30))
    started = time.monotonic()
    with caplog.at_level(logging.ERROR), pytest.raises(PrintFailed) as failed:
        printer.print_receipt(printout_for(RECEIPT, "de", catalogs, "jc-test-01"))
    assert time.monotonic() - started < 5  # asked first: nothing sent to a stopped queue
    assert failed.value.fault is PrintFault.STOPPED
    assert "disabled" in failed.value.detail and "paper roll being changed" in failed.value.detail
    assert cups.jobs(name) == [] and list(out.iterdir()) == []
    # Staff see it (and the log says it, without anything of the client's).
    assert printer.problem() is not None and "stopped" in (printer.problem() or "")
    assert any(name in r.getMessage() and "stopped" in r.getMessage() for r in caplog.records)
    assert not any("K7M" in r.getMessage() or "12345" in r.getMessage() for r in caplog.records)


def test_a_queue_refusing_jobs_is_stopped(cups: CupsServer, queue: tuple[str, Path]) -> None:
    name, _out = queue
    cups.run("cupsreject", name)
    with pytest.raises(PrintFailed) as failed:
        CupsPrinter(name, deadline=10).print_pdf(b"%PDF-1.4\n", JOB_TITLE)
    assert failed.value.fault is PrintFault.STOPPED


def test_a_removed_queue_is_gone(cups: CupsServer, queue: tuple[str, Path]) -> None:
    name, _out = queue
    cups.remove(name)
    with pytest.raises(PrintFailed) as failed:
        CupsPrinter(name, deadline=10).print_pdf(b"%PDF-1.4\n", JOB_TITLE)
    assert failed.value.fault is PrintFault.GONE


def test_no_scheduler_at_all_is_gone(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    if shutil.which("lpstat") is None:
        pytest.skip("no CUPS client programs")
    monkeypatch.setenv("CUPS_SERVER", str(tmp_path / "no-such.sock"))
    started = time.monotonic()
    with pytest.raises(PrintFailed) as failed:
        CupsPrinter("kiosk-receipt", deadline=10).print_pdf(b"%PDF-1.4\n", JOB_TITLE)
    assert failed.value.fault is PrintFault.GONE
    assert time.monotonic() - started < 5


def test_a_printer_out_of_paper_is_told_and_its_job_cancelled(
    cups: CupsServer, request: pytest.FixtureRequest
) -> None:
    name = f"kiosk-paperout-{os.getpid()}"
    cups.add_fake_queue(name, "paperout")
    request.addfinalizer(lambda: cups.remove(name))
    started = time.monotonic()
    with pytest.raises(PrintFailed) as failed:
        CupsPrinter(name, deadline=20).print_pdf(b"%PDF-1.4\n%%EOF\n", JOB_TITLE)
    assert failed.value.fault is PrintFault.NO_PAPER
    assert time.monotonic() - started < 15  # seen while waiting, not at the deadline
    waited = time.monotonic() + 5
    while cups.jobs(name) and time.monotonic() < waited:
        time.sleep(0.1)
    assert cups.jobs(name) == []  # cancelled: it will not come out for the next client
    # The queue still says so, for staff.
    assert (CupsPrinter(name).problem() or "").startswith("no-paper")


def test_a_printer_that_never_answers_is_given_up_at_the_deadline(
    cups: CupsServer, request: pytest.FixtureRequest
) -> None:
    name = f"kiosk-stall-{os.getpid()}"
    cups.add_fake_queue(name, "stall")
    request.addfinalizer(lambda: cups.remove(name))
    started = time.monotonic()
    with pytest.raises(PrintFailed) as failed:
        CupsPrinter(name, deadline=5).print_pdf(b"%PDF-1.4\n%%EOF\n", JOB_TITLE)
    took = time.monotonic() - started
    assert failed.value.fault is PrintFault.TIMEOUT
    assert 4 <= took < 12
    waited = time.monotonic() + 5
    while cups.jobs(name) and time.monotonic() < waited:
        time.sleep(0.1)
    assert cups.jobs(name) == []


# -- lpstat's words (C locale), without a server --------------------------------------------


IDLE = """printer kiosk is idle.  enabled since Tue Dec  1 11:41:18 2026
\tForm mounted:
\tAlerts: none
\tLocation:
kiosk accepting requests since Tue Dec  1 11:41:18 2026
"""
DISABLED = """printer kiosk disabled since Tue Dec  1 11:42:18 2026 -
\tpaper roll being changed
\tForm mounted:
\tAlerts: paused
kiosk accepting requests since Tue Dec  1 11:41:18 2026
"""
NO_PAPER = """printer kiosk now printing kiosk-5.  enabled since Tue Dec  1 11:43:57 2026
\tAlerts: media-empty-error
kiosk accepting requests since Tue Dec  1 11:41:18 2026
"""
REFUSING = """printer kiosk is idle.  enabled since Tue Dec  1 11:41:18 2026
\tAlerts: none
kiosk not accepting requests since Tue Dec  1 11:42:19 2026 -
\tmaintenance
"""
LOW = """printer kiosk is idle.  enabled since Tue Dec  1 11:41:18 2026
\tAlerts: media-low-report
kiosk accepting requests since Tue Dec  1 11:41:18 2026
"""


@pytest.mark.parametrize(
    ("out", "fault", "message"),
    [
        (IDLE, None, ""),
        (DISABLED, PrintFault.STOPPED, "paper roll being changed"),
        (NO_PAPER, PrintFault.NO_PAPER, ""),
        (REFUSING, PrintFault.STOPPED, "maintenance"),
        (LOW, None, ""),  # a warning, not a stop
        ("", PrintFault.GONE, ""),
    ],
)
def test_lpstat_words_are_read(out: str, fault: PrintFault | None, message: str) -> None:
    state = parse_queue_state("kiosk", out)
    assert state.fault() is fault
    assert state.message == message


def test_another_queue_with_a_longer_name_is_not_this_one() -> None:
    other = IDLE.replace("kiosk", "kiosk-2")
    assert parse_queue_state("kiosk", other).fault() is PrintFault.GONE
