"""The receipt on paper (Eingangsbestätigung): a PDF for 80 mm thermal rolls or A4, printed
by the queue ``[receipt] printer`` names.

What it says comes translated from the UI (``Printout``: one ``Part`` per language, the
client's first, German last, as staff read German); this module lays it out (reportlab) and
hands it to the printer. The PDF exists in memory only: it goes to the printer driver as
bytes (``lp`` reads it from its standard input), never into a file of the kiosk's.

Right-to-left parts (Arabic) are shaped and ordered by Pillow's libraqm (HarfBuzz and
FriBidi) and placed as high-resolution line images: reportlab alone cannot do either (its
right-to-left support needs ``rlbidi``, its shaping ``uharfbuzz``, neither installed). Where
Pillow has no libraqm, such a part is left out and the receipt carries the German part and
the receipt number, not broken Arabic.
"""

from __future__ import annotations

import logging
import time

from drivers.output.printer import Printer, PrintFailed, PrintFault
from kiosk.core.log_events import emit
from kiosk.services.printout import Paper, Printout, ReceiptLayoutError

log = logging.getLogger(__name__)

JOB_TITLE = "Eingangsbestaetigung"  # what CUPS logs and shows: nothing of the client's


class ReceiptPrinter:
    """Lays out and prints receipts on one printer; remembers its last failure for staff."""

    def __init__(self, printer: Printer, paper: Paper = "80mm") -> None:
        self.printer = printer
        self.paper: Paper = paper
        self.last_problem: str | None = None  # staff words, with the local time; None: fine

    @property
    def name(self) -> str:
        return self.printer.name

    def print_receipt(self, printout: Printout) -> None:
        """Blocks up to the printer's deadline; raises PrintFailed (logged here, in staff
        words, without anything of the client's)."""
        # The layout (reportlab, Pillow) only when a receipt is printed: not on start.
        from kiosk.services.paper_layout import receipt_pdf

        try:
            pdf = receipt_pdf(printout, self.paper)
        except ReceiptLayoutError as err:
            self._failed(PrintFailed(PrintFault.FAILED, str(err)))
            raise PrintFailed(PrintFault.FAILED, str(err)) from None
        try:
            self.printer.print_pdf(pdf, JOB_TITLE)
        except PrintFailed as err:
            self._failed(err)
            raise
        if self.last_problem is not None:
            emit(log, "printer.recovered", queue=self.name)
        self.last_problem = None

    def _failed(self, err: PrintFailed) -> None:
        emit(log, "printer.failed", queue=self.name, detail=str(err))
        self.last_problem = f"{time.strftime('%H:%M')} {err}"

    def problem(self) -> str | None:
        """For staff mode: what stops the printer now, else the last failure, else None."""
        return self.printer.problem() or self.last_problem
