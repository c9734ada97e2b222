"""Staff mode's record pages through the real presenter, station and outbox: a client's
document refused by the HTTPS inbox is held; staff see it (team, age, error class), send it
again after the fix (audited with their card), find its receipt by the number typed on the
keypad or read by the code reader, and count it in today's report."""

from __future__ import annotations

import json
from pathlib import Path

from pytestqt.qtbot import QtBot

from drivers.camera.feed import CameraFeed
from drivers.camera.frames import FrameListSource
from drivers.codes.reader import CombinedReader
from kiosk.core.records import replace
from kiosk.services.channels import Parcel, TlsSettings
from kiosk.ui.i18n.texts import Texts
from kiosk.ui.presenter.staff_records import Records
from tests.services.https_receiver import Receiver
from tests.tlsutil import Pki
from tests.ui.driver import Ui
from tests.ui.test_cards import frames_of, staff_card, with_staff_key

WAIT = 60_000
CASE_KEYS = ("1", "2", "3", "4", "5", "BG", "1", "2", "3", "4", "5")


def hand_in(ui: Ui, qtbot: QtBot) -> str:
    """One client session in English: 10 pages of SANE's test scanner, sent; the receipt."""
    ui.press("English")
    ui.press("Start")
    for key in CASE_KEYS:
        ui.press(key)
    ui.press("Next")
    ui.press("Yes, this is my number")
    ui.press("I am sick")
    ui.press("Scan")
    qtbot.waitUntil(lambda: ui.phase == "review", timeout=WAIT)
    ui.idle()
    ui.press("Send 10 pages")
    qtbot.waitUntil(lambda: ui.phase == "receipt", timeout=WAIT)
    receipt = ui.presenter.session.receipt
    assert receipt is not None
    ui.press("Finish")
    return receipt.receipt_id


def records(ui: Ui) -> Records:
    ui.idle()
    shown = ui.presenter.records.shown
    assert shown is not None
    return shown


def type_receipt(ui: Ui, number: str) -> None:
    """Key by key on the keypad, switching between its digit and letter pages."""
    keypad = ui.window.screens["staff-lookup"].keypad  # type: ignore[attr-defined]
    for char in number.replace("-", ""):
        if char.isalpha() != keypad.on_letters:
            ui.press("ABC" if char.isalpha() else "123")
        ui.press(char)


def test_held_send_again_lookup_and_report_through_the_real_outbox(
    qtbot: QtBot,
    sane_config: Path,
    tmp_path: Path,
    catalogs: dict[str, Texts],
    pki: Pki,
    receiver: Receiver,
) -> None:
    backend = with_staff_key(sane_config, tmp_path)
    box = backend.station.kiosk.outbox  # type: ignore[attr-defined]
    box.settings = replace(box.settings, tls=TlsSettings(pki.ca_cert))
    backend.inbox = receiver.url  # type: ignore[attr-defined]
    receiver.mode = "400"  # the team's inbox refuses it for good: held for staff
    ui = Ui(qtbot, backend, catalogs)
    try:
        number = hand_in(ui, qtbot)
        assert receiver.stored == {}
        ui.presenter.code_read(staff_card())
        qtbot.waitUntil(lambda: ui.phase == "staff", timeout=WAIT)
        ui.press("English")
        ui.press("Held documents")
        (row,) = records(ui).held
        assert (row.team, row.error, row.quarantined) == ("explicit", "refused", False)
        assert ui.shows("1 document held: fix the cause, then send it again.")
        assert ui.shows("The team's inbox refused the document.")
        assert not any("12345" in text for text in ui.texts())  # nothing of the client's
        receiver.mode = "ok"  # the fix
        ui.press("Send again")
        qtbot.waitUntil(lambda: records(ui).sent is not None, timeout=WAIT)
        assert records(ui).sent == "delivered" and records(ui).held == ()
        assert ui.shows("Sent: the document was delivered.") and len(receiver.stored) == 1
        audit = backend.station.kiosk.staff.audit.path  # type: ignore[attr-defined]
        lines = [json.loads(line) for line in audit.read_text().splitlines()]
        (sent,) = [line for line in lines if line["event"] == "outbox.sent_again"]
        assert sent["card"] == "field-support-7" and sent["change"]["team"] == "explicit"
        assert sent["change"]["item"] == row.item_id

        ui.press("Back")
        ui.press("Did it arrive?")
        assert ui.window.stack.currentWidget() is ui.window.screens["staff-lookup"]
        type_receipt(ui, number)
        assert ui.shows(number)
        ui.press("Look it up")
        found = records(ui).found
        assert found is not None and found.receipt_id == number
        assert (found.pages, found.concern, found.team, found.state) == (
            10,
            "sick",
            "explicit",
            "delivered",
        )
        assert ui.shows("Delivered to the team's inbox") and ui.shows("I am sick")
        ui.press("Clear all")
        type_receipt(ui, "AAA-BBB-CCC")
        ui.press("Look it up")
        assert records(ui).not_found and ui.shows("No receipt with this number on this kiosk")
        ui.scan_like_a_reader(number.lower())  # the receipt's QR code at the USB reader
        found = records(ui).found
        assert found is not None and found.receipt_id == number

        ui.press("Back")
        ui.press("Today's report")
        report = records(ui)
        assert report.total is not None
        assert [(t.team, t.documents, t.pages, t.delivered) for t in report.teams] == [
            ("explicit", 1, 10, 1)
        ]
        assert ui.shows("In the outbox now (any day): 0 waiting, 0 held.")
        ui.press("Back")
        ui.press("Close staff mode")
        assert ui.phase == "idle" and ui.presenter.records.shown is None
    finally:
        ui.close()


def test_a_receipts_qr_code_at_the_card_camera_is_looked_up(
    qtbot: QtBot, sane_config: Path, tmp_path: Path, catalogs: dict[str, Texts]
) -> None:
    """The camera that reads client cards reads the receipt on "Did it arrive?" (staff
    mode otherwise leaves it idle); the staff card in the same hand changes nothing."""
    number = "K7M-4QX-9TB"
    backend = with_staff_key(sane_config, tmp_path)
    box = backend.station.kiosk.outbox  # type: ignore[attr-defined]
    index = {"receipt_id": number, "concern": "renewal", "pages": 4, "team": "leistung-1"}
    parcel = Parcel("ab" * 16, f"20260601-093000_{number}_renewal", b"%PDF-1.7 x", index)
    assert box.deliver(box.put(parcel, tmp_path.as_uri() + "/", team="leistung-1")).delivered
    frames = [*frames_of(staff_card()), *frames_of(number)]  # staff card, receipt, in turn
    feed = CameraFeed(FrameListSource(frames, fps=15, loop=True, live=True), CombinedReader())
    ui = Ui(qtbot, backend, catalogs, feed)
    try:
        qtbot.waitUntil(lambda: ui.phase == "staff", timeout=WAIT)
        ui.press("English")
        ui.press("Did it arrive?")
        qtbot.waitUntil(lambda: ui.presenter.records.shown is not None
                        and ui.presenter.records.shown.found is not None, timeout=WAIT)  # fmt: skip
        found = records(ui).found
        assert found is not None and (found.receipt_id, found.pages) == (number, 4)
        assert found.state == "delivered" and ui.shows("I want to keep receiving Bürgergeld")
        ui.press("Back")
        assert ui.phase == "staff"  # the camera is idle again on the staff pages
    finally:
        ui.close()
