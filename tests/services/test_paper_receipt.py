"""The receipt on paper as a PDF: what it says in the client's language and in German, its
size on an 80 mm roll and on A4, Arabic shaped (or left out rather than broken), and the
printer's failures told to staff."""

from __future__ import annotations

import logging
from pathlib import Path

import pypdf
import pytest

from drivers.output.printer import PrintFailed, PrintFault, RecordingPrinter
from kiosk.app import build, embedded_config, receipt_printer
from kiosk.core.concerns import concern_by_key
from kiosk.core.receipt import Receipt, ReceiptStatus
from kiosk.core.records import replace
from kiosk.core.session import LANGUAGES
from kiosk.services import paper_layout
from kiosk.services.config import ReceiptSettings
from kiosk.services.paper_layout import receipt_pdf
from kiosk.services.paper_receipt import JOB_TITLE, ReceiptPrinter
from kiosk.ui.i18n.texts import Texts, load_texts
from kiosk.ui.presenter.printout import RECEIPT_TEXTS, printout_for

CASE = "12345BG0012345"
MM = 72 / 25.4


def receipt(concern: str = "sick", status: ReceiptStatus = ReceiptStatus.DELIVERED) -> Receipt:
    return Receipt(
        receipt_id="K7M-4QX-9TB",
        created_at="2026-03-14T10:42:00+01:00",
        concern=concern_by_key(concern),
        page_count=7,
        masked_case="12345BG•••2345",
        status=status,
    )


@pytest.fixture(scope="module")
def catalogs() -> dict[str, Texts]:
    return {language: load_texts(language) for language in LANGUAGES}


def text_of(pdf: bytes) -> str:
    """The PDF's words, each line break a space (lines break wherever the paper ends)."""
    import io

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return flat("\n".join(page.extract_text() for page in reader.pages))


def flat(text: str) -> str:
    return " ".join(text.split())


def page_of(pdf: bytes) -> pypdf.PageObject:
    import io

    (page,) = pypdf.PdfReader(io.BytesIO(pdf)).pages
    return page


def images_on(pdf: bytes) -> int:
    return len(page_of(pdf).images)


def test_the_roll_receipt_says_everything_in_the_clients_language_and_in_german(
    catalogs: dict[str, Texts],
) -> None:
    printout = printout_for(receipt("objection", ReceiptStatus.QUEUED), "tr", catalogs, "jc-01")
    pdf = receipt_pdf(printout, "80mm")
    page = page_of(pdf)
    assert float(page.mediabox.width) == pytest.approx(80 * MM)
    assert float(page.mediabox.height) > 100 * MM  # as long as it needs to be
    text = text_of(pdf)
    tr, de = catalogs["tr"], catalogs["de"]
    for t in (tr, de):
        for label in ("Receipt number", "Date and time", "Pages", "About", "Your number"):
            assert t.gettext(label) in text
        assert t.gettext("I disagree with a decision") in text
        title, status = RECEIPT_TEXTS[ReceiptStatus.QUEUED]
        # The screen's words about the delivery, no more.
        assert flat(t.gettext(title) + " " + t.gettext(status)) in text
        hint = concern_by_key("objection").hint
        assert hint is not None and flat(t.gettext(hint)) in text
    assert "14 Mart 2026 10:42" in text and "14. März 2026, 10:42" in text
    assert text.count("K7M-4QX-9TB") == 3  # large above, and in each part
    assert "12345BG•••2345" in text and CASE not in text and "0012345" not in text
    assert "jc-01" in text
    assert text.index(tr.gettext("Receipt number")) < text.index(de.gettext("Receipt number"))


def test_a_german_client_gets_one_part(catalogs: dict[str, Texts]) -> None:
    text = text_of(receipt_pdf(printout_for(receipt(), "de", catalogs, "jc-01")))
    assert text.count("Belegnummer") == 1
    assert "Fertig! Ihre Unterlagen sind im Jobcenter angekommen." in text
    hint = concern_by_key("objection").hint
    assert hint is not None and catalogs["de"].gettext(hint)[:20] not in text  # sick: no hint


def test_each_delivery_class_prints_what_the_screen_says(catalogs: dict[str, Texts]) -> None:
    de = catalogs["de"]
    for status, (title, words) in RECEIPT_TEXTS.items():
        text = text_of(receipt_pdf(printout_for(receipt(status=status), "de", catalogs, "k")))
        assert flat(de.gettext(title)) in text and flat(de.gettext(words)) in text
        if status is not ReceiptStatus.DELIVERED:
            assert "angekommen" not in text  # never promise what the kiosk cannot keep


def test_a4_is_a_sheet(catalogs: dict[str, Texts]) -> None:
    pdf = receipt_pdf(printout_for(receipt(), "uk", catalogs, "jc-01"), "a4")
    page = page_of(pdf)
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    text = text_of(pdf)
    assert catalogs["uk"].gettext("Receipt number") in text and "Belegnummer" in text
    assert "10:42" in text


def test_arabic_is_shaped_as_line_images_and_german_stays_text(
    catalogs: dict[str, Texts],
) -> None:
    if not paper_layout.right_to_left_available():
        pytest.skip("Pillow without libraqm here")
    pdf = receipt_pdf(printout_for(receipt("objection"), "ar", catalogs, "jc-01"))
    assert images_on(pdf) >= 10  # title, 6 labels and values, the notes: line by line
    text = text_of(pdf)
    assert "Belegnummer" in text and "K7M-4QX-9TB" in text and "10:42" in text
    assert catalogs["ar"].gettext("Receipt number") not in text  # not as (unshaped) text


def test_without_libraqm_arabic_is_left_out_not_broken(
    catalogs: dict[str, Texts], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(paper_layout.features, "check_feature", lambda _name: False)
    with caplog.at_level(logging.WARNING, logger="kiosk.services.paper_layout"):
        pdf = receipt_pdf(printout_for(receipt(), "ar", catalogs, "jc-01"))
    assert images_on(pdf) == 0
    text = text_of(pdf)
    assert text.count("K7M-4QX-9TB") == 2 and "Belegnummer" in text
    assert any("ar left out" in r.getMessage() for r in caplog.records)


def test_the_pdf_has_no_client_data_in_its_metadata(catalogs: dict[str, Texts]) -> None:
    import io

    pdf = receipt_pdf(printout_for(receipt(), "en", catalogs, "jc-01"))
    meta = pypdf.PdfReader(io.BytesIO(pdf)).metadata or {}
    assert not any("K7M" in str(v) or "12345" in str(v) for v in meta.values())
    assert "K7M" not in JOB_TITLE


def test_the_printer_gets_the_pdf_and_failures_are_for_staff(
    catalogs: dict[str, Texts], caplog: pytest.LogCaptureFixture
) -> None:
    queue = RecordingPrinter()
    printer = ReceiptPrinter(queue, "80mm")
    printer.print_receipt(printout_for(receipt(), "en", catalogs, "jc-01"))
    ((pdf, title),) = queue.printed
    assert pdf.startswith(b"%PDF") and title == JOB_TITLE
    assert printer.problem() is None
    queue.fault = PrintFault.NO_PAPER
    with caplog.at_level(logging.ERROR), pytest.raises(PrintFailed):
        printer.print_receipt(printout_for(receipt(), "en", catalogs, "jc-01"))
    assert "no-paper" in (printer.problem() or "")
    assert any(
        "test-queue" in r.getMessage() and "no-paper" in r.getMessage() for r in caplog.records
    )
    assert not any("K7M" in r.getMessage() for r in caplog.records)
    queue.fault = None
    printer.print_receipt(printout_for(receipt(), "en", catalogs, "jc-01"))
    assert printer.last_problem is None  # printing again: no old fault shown to staff


def test_a_missing_font_is_a_print_failure_not_a_crash(
    catalogs: dict[str, Texts], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(paper_layout, "FONT_DIRS", (tmp_path,))
    monkeypatch.setattr(paper_layout, "_registered", None)
    printer = ReceiptPrinter(RecordingPrinter())
    with pytest.raises(PrintFailed) as failed:
        printer.print_receipt(printout_for(receipt(), "en", catalogs, "jc-01"))
    assert failed.value.fault is PrintFault.FAILED and "font" in failed.value.detail


def test_the_composition_root_builds_the_printer_from_the_configuration() -> None:
    assert build(embedded_config(), embedded=True).receipt_printer is None
    settings = ReceiptSettings(
        printer="kiosk-receipt", paper="a4", deadline=12, options=("media=A4",)
    )
    printer = receipt_printer(settings)
    assert printer is not None and printer.name == "kiosk-receipt" and printer.paper == "a4"
    queue = printer.printer
    assert (queue.deadline, queue.options) == (12, ("media=A4",))  # type: ignore[attr-defined]
    config = replace(embedded_config(), receipt=settings)
    built = build(config, embedded=True).receipt_printer
    assert built is not None and built.name == "kiosk-receipt"
