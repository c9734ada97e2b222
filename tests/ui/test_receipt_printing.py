"""The receipt screen with a receipt printer: printing, printed, could not be printed; the
session always finishes. Against a stand-in printer (each state held as long as the test
wants), and whole sessions against a real CUPS scheduler (tests/cups.py)."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest
from pytestqt.qtbot import QtBot

from drivers.output.printer import PrintFailed, PrintFault, RecordingPrinter
from drivers.scanner.protocol import ColorMode
from kiosk.app import build, embedded_config
from kiosk.core import events as ev
from kiosk.core.concerns import concern_by_key
from kiosk.core.receipt import Receipt, ReceiptStatus
from kiosk.core.records import replace
from kiosk.devtools.screenshots import show, view_for
from kiosk.services.config import ReceiptSettings
from kiosk.services.paper_receipt import ReceiptPrinter
from kiosk.station import Station
from kiosk.ui.i18n.texts import Texts
from kiosk.ui.presenter import intents as do
from kiosk.ui.presenter.backend import KioskBackend
from kiosk.ui.presenter.view import Printing
from kiosk.ui.window import Window
from tests.cups import CupsServer, cups_server, wait_for_pdf
from tests.ui.driver import Ui, make_backend
from tests.ui.layout_rules import clipped_text, cut_off, overlaps, shown, small_targets

PRINTING = "Your receipt is being printed ..."
PRINTED = "Please take your printed receipt."
FAILED = "The receipt could not be printed. Please note the number."
PHOTO = "Take a photo of this screen or write down the receipt number."
RECEIPT = Receipt(
    receipt_id="K7M-4QX-9TB",
    created_at="2026-03-14T10:42:00+01:00",
    concern=concern_by_key("objection"),
    page_count=3,
    masked_case="12345BG•••2345",
    status=ReceiptStatus.QUEUED,
)


class HeldPrinter(RecordingPrinter):
    """Prints (or fails) only when the test lets it."""

    def __init__(self, fault: PrintFault | None = None) -> None:
        super().__init__(fault)
        self.release = threading.Event()
        self.started = threading.Event()

    def print_pdf(self, pdf: bytes, title: str) -> None:
        self.started.set()
        if not self.release.wait(timeout=30):
            raise PrintFailed(PrintFault.TIMEOUT, "the test never released the job")
        super().print_pdf(pdf, title)


def with_printer(backend: KioskBackend, printer: ReceiptPrinter | None) -> KioskBackend:
    kiosk = replace(backend.station.kiosk, receipt_printer=printer)
    return KioskBackend(Station(kiosk), inbox=backend.inbox)


def to_receipt(ui: Ui, speech: bool = False) -> None:
    """The receipt screen as after a send (a failure cut sending short, the document was
    stored: the client still gets the receipt), in English."""
    ui.presenter.dispatch(ev.FailureOccurred(at=ui.clock(), error="unexpected"))
    ui.presenter.dispatch(ev.LanguageChosen(at=ui.clock(), language="en"))
    if speech:
        ui.presenter.handle(do.ToggleSpeech())
    ui.presenter.dispatch(ev.Submitted(at=ui.clock(), receipt=RECEIPT))
    assert ui.phase == "receipt"


def finish(ui: Ui) -> None:
    ui.press("Finish")
    assert ui.phase == "idle" and ui.presenter.printing is None


@pytest.fixture
def held(
    qtbot: QtBot, sane_config: Path, tmp_path: Path, catalogs: dict[str, Texts]
) -> Iterator[tuple[Ui, HeldPrinter]]:
    queue = HeldPrinter()
    backend = with_printer(make_backend(sane_config, tmp_path, []), ReceiptPrinter(queue))
    ui = Ui(qtbot, backend, catalogs)
    try:
        yield ui, queue
    finally:
        queue.release.set()
        ui.close()


def test_the_screen_says_printing_then_printed(held: tuple[Ui, HeldPrinter]) -> None:
    ui, queue = held
    to_receipt(ui)
    assert queue.started.wait(10)
    ui.qtbot.waitUntil(lambda: ui.shows(PRINTING), timeout=5000)
    assert not ui.shows(PHOTO) and ui.shows("K7M-4QX-9TB")
    queue.release.set()
    ui.qtbot.waitUntil(lambda: ui.shows(PRINTED), timeout=10_000)
    assert ui.presenter.printing is Printing.PRINTED and not ui.shows(PRINTING)
    ((pdf, _title),) = queue.printed
    assert pdf.startswith(b"%PDF")
    finish(ui)


def test_a_failed_print_is_a_calm_message_and_the_session_finishes(
    held: tuple[Ui, HeldPrinter],
) -> None:
    ui, queue = held
    queue.fault = PrintFault.NO_PAPER
    to_receipt(ui)
    queue.release.set()
    ui.qtbot.waitUntil(lambda: ui.shows(FAILED), timeout=10_000)
    assert ui.shows("K7M-4QX-9TB")  # the number to note is on the screen
    assert queue.printed == []
    finish(ui)


def test_a_result_after_the_client_left_is_dropped(held: tuple[Ui, HeldPrinter]) -> None:
    ui, queue = held
    to_receipt(ui)
    assert queue.started.wait(10)
    finish(ui)  # Finish works while printing: never a stuck screen
    queue.release.set()
    ui.qtbot.waitUntil(lambda: ui.presenter.printer.running == 0, timeout=10_000)
    assert ui.presenter.printing is None and ui.phase == "idle"
    assert not ui.shows(PRINTED)


def test_the_printout_is_in_the_clients_language_when_the_receipt_comes(
    held: tuple[Ui, HeldPrinter], catalogs: dict[str, Texts]
) -> None:
    ui, queue = held
    to_receipt(ui)
    queue.release.set()
    ui.qtbot.waitUntil(lambda: ui.presenter.printing is Printing.PRINTED, timeout=10_000)
    import io

    ((pdf, _title),) = queue.printed
    text = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Receipt number" in text and "Belegnummer" in text  # English, then German
    finish(ui)


def test_the_failure_is_spoken_once_it_is_known(held: tuple[Ui, HeldPrinter]) -> None:
    ui, queue = held
    queue.fault = PrintFault.STOPPED
    to_receipt(ui, speech=True)
    assert ui.presenter.settings.speech
    assert PRINTING in ui.speech.said[-1][0]
    queue.release.set()
    ui.qtbot.waitUntil(lambda: ui.shows(FAILED), timeout=10_000)
    assert FAILED in ui.speech.said[-1][0]  # the screen is read again, with the news
    finish(ui)


def test_without_a_printer_nothing_changes(ui: Ui) -> None:
    assert not ui.presenter.backend.prints_receipts
    to_receipt(ui)
    assert ui.shows(PHOTO) and ui.presenter.printing is None
    assert not any(ui.shows(words) for words in (PRINTING, PRINTED, FAILED))
    finish(ui)


@pytest.mark.parametrize("language", ["ar", "pseudo"])
@pytest.mark.parametrize("state", list(Printing))
@pytest.mark.parametrize("large", [False, True])
def test_each_printing_state_fits_the_screen(
    window: Window,
    catalogs: dict[str, Texts],
    pseudo_texts: Texts,
    language: str,
    state: Printing,
    large: bool,
) -> None:
    texts = pseudo_texts if language == "pseudo" else catalogs[language]
    view = view_for("receipt-queued", texts, catalogs, large=large)
    assert view.session.receipt is not None
    # An objection adds its note: three lines under the fields. In large text that does
    # not fit with or without a printer (the fields are squeezed; issue 11, item 1):
    # there the two-line case is checked.
    concern = concern_by_key("renewal" if large else "objection")
    receipt = replace(view.session.receipt, concern=concern)
    view = replace(view, session=replace(view.session, receipt=receipt), printing=state)
    show(window, "receipt-queued", view)
    widgets = list(shown(window))
    assert clipped_text(widgets) == []
    assert cut_off(widgets, window) == []
    assert overlaps(widgets, window) == []
    assert small_targets(widgets) == []


# -- whole sessions, printed by CUPS ------------------------------------------------------


@pytest.fixture(scope="module")
def cups() -> Iterator[CupsServer]:
    with cups_server() as server:
        yield server


def cups_backend(sane_config: Path, inbox: Path, queue: str) -> KioskBackend:
    """As `kiosk run` builds it, with [receipt] printer = queue (a short deadline)."""
    config = embedded_config()
    scanner = replace(
        config.scanner, sane_config_dir=sane_config, resolution=75, mode=ColorMode.GRAY
    )
    receipt = ReceiptSettings(printer=queue, deadline=10)
    kiosk = build(replace(config, scanner=scanner, receipt=receipt), embedded=True)
    return KioskBackend(Station(kiosk), inbox=inbox.as_uri() + "/")


def session_to_receipt(ui: Ui, qtbot: QtBot) -> None:
    ui.press("English")
    ui.press("Start")
    for key in ("1", "2", "3", "4", "5", "BG", "1", "2", "3", "4", "5"):
        ui.press(key)
    ui.press("Next")
    ui.press("Yes, this is my number")
    ui.press("I disagree with a decision")
    ui.press("Scan")
    qtbot.waitUntil(lambda: ui.phase == "review", timeout=60_000)
    ui.idle()
    count = len(ui.presenter.session.pages)
    ui.press(f"Send {count} pages")
    qtbot.waitUntil(lambda: ui.phase == "receipt", timeout=60_000)


@pytest.mark.sane
def test_a_whole_session_prints_its_receipt_on_a_cups_printer(
    qtbot: QtBot,
    sane_config: Path,
    tmp_path: Path,
    catalogs: dict[str, Texts],
    cups: CupsServer,
) -> None:
    name = f"kiosk-ui-printed-{os.getpid()}"  # cups-pdf's config for it is in /etc/cups
    out = cups.add_pdf_queue(name)
    ui = Ui(qtbot, cups_backend(sane_config, tmp_path, name), catalogs)
    try:
        session_to_receipt(ui, qtbot)
        receipt = ui.presenter.session.receipt
        assert receipt is not None
        qtbot.waitUntil(lambda: ui.shows(PRINTED), timeout=20_000)
        text = "".join(p.extract_text() for p in pypdf.PdfReader(wait_for_pdf(out)).pages)
        assert receipt.receipt_id in text
        assert receipt.created_at[11:16] in text  # the time, HH:MM
        assert "12345BG0012345" not in text
        assert cups.spooled_documents() == [] and cups.jobs(name) == []
        finish(ui)
    finally:
        ui.close()
        cups.remove(name)


@pytest.mark.sane
@pytest.mark.parametrize("how", ["disabled", "removed"])
def test_a_stopped_or_removed_printer_shows_the_calm_message_and_the_session_finishes(
    qtbot: QtBot,
    sane_config: Path,
    tmp_path: Path,
    catalogs: dict[str, Texts],
    cups: CupsServer,
    how: str,
) -> None:
    name = f"kiosk-ui-{how}-{os.getpid()}"
    out = cups.add_pdf_queue(name)
    if how == "disabled":
        cups.run("cupsdisable", name)
    else:
        cups.remove(name)
    ui = Ui(qtbot, cups_backend(sane_config, tmp_path, name), catalogs)
    try:
        session_to_receipt(ui, qtbot)
        qtbot.waitUntil(lambda: ui.shows(FAILED), timeout=20_000)
        assert ui.presenter.session.receipt is not None
        assert ui.shows(ui.presenter.session.receipt.receipt_id)
        assert list(out.iterdir()) == [] and cups.jobs(name) == []
        # Staff see the fault.
        status = ui.presenter.backend.staff_status()
        assert status.printer == name and status.printer_problem
        finish(ui)
    finally:
        ui.close()
        cups.remove(name)
