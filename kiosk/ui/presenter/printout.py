"""What the receipt says, on the screen and on paper: the same words, in the client's language
and, on paper, in German as well (staff read German)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from kiosk.core.receipt import Receipt, ReceiptStatus
from kiosk.core.text import N_
from kiosk.services.printout import Part, Printout
from kiosk.ui.i18n.texts import Texts
from kiosk.ui.presenter.view import Printing

STAFF_LANGUAGE = "de"

# What the receipt says in each delivery class: only what the kiosk can keep.
RECEIPT_TEXTS = {
    ReceiptStatus.DELIVERED: (
        N_("Done! Your documents have arrived at the job centre."),
        N_("The team responsible has received them."),
    ),
    ReceiptStatus.QUEUED: (
        N_("Your documents are saved safely."),
        # Not "will be sent automatically": an inbox may refuse it for good (then it is
        # held, and staff pass it on); what the kiosk keeps is that it tries, and that
        # nothing is left to the client.
        N_(
            "They are stored encrypted on this kiosk. It keeps trying to send them; if it "
            "cannot, the staff will pass them on."
        ),
    ),
    ReceiptStatus.HELD: (
        N_("Your documents are saved safely."),
        N_(
            "They are stored encrypted on this kiosk. They cannot be sent right now; "
            "the job centre staff will pass them on to the team responsible."
        ),
    ),
}


# What the receipt screen says of the paper receipt (it replaces "take a photo").
PRINTING_TEXTS = {
    Printing.PRINTING: N_("Your receipt is being printed ..."),
    Printing.PRINTED: N_("Please take your printed receipt."),
    Printing.FAILED: N_("The receipt could not be printed. Please note the number."),
}


def printout_for(
    receipt: Receipt, language: str, catalogs: Mapping[str, Texts], kiosk_id: str
) -> Printout:
    """The receipt in the client's language, then in German (once, for a German client)."""
    languages = [language] if language == STAFF_LANGUAGE else [language, STAFF_LANGUAGE]
    parts = tuple(part_for(receipt, catalogs[lang], kiosk_id) for lang in languages)
    return Printout(receipt.receipt_id, parts)


def receipt_rows(receipt: Receipt, t: Texts) -> tuple[tuple[str, str], ...]:
    """Name and value of each field, as the receipt screen and the paper show them."""
    return (
        (t.gettext("Receipt number"), t.code(receipt.receipt_id)),
        (t.gettext("Date and time"), t.date_time(datetime.fromisoformat(receipt.created_at))),
        (t.gettext("Pages"), t.number(receipt.page_count)),
        (t.gettext("About"), t.gettext(receipt.concern.label)),
        (t.gettext("Your number"), t.code(receipt.masked_case)),
    )


def part_for(receipt: Receipt, t: Texts, kiosk_id: str) -> Part:
    title, status = RECEIPT_TEXTS[receipt.status]
    rows = (*receipt_rows(receipt, t), (t.gettext("Kiosk"), t.code(kiosk_id)))
    notes = [t.gettext(title) + " " + t.gettext(status)]
    if receipt.concern.hint:
        notes.append(t.gettext(receipt.concern.hint))
    notes.append(t.gettext("Please keep this receipt."))
    return Part(
        language=t.language,
        rtl=t.rtl,
        title=t.gettext("Confirmation of receipt"),
        rows=rows,
        notes=tuple(notes),
    )
