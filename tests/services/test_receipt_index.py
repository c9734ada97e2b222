"""The receipt index follows the real outbox (folder and HTTPS inboxes); held items are
listed and sent again; today's report counts them."""

from __future__ import annotations

import json
import os
import random
from datetime import date
from pathlib import Path

import pytest

from kiosk.services.channels import ChannelSettings, Parcel, TlsSettings
from kiosk.services.day_report import day_report
from kiosk.services.receipt_index import ItemState, ReceiptIndex, normalize_receipt_id
from kiosk.services.spool.outbox import HELD, QUARANTINED, Outbox
from kiosk.services.spool.stuck import ErrorClass, age_words, send_again, stuck_items
from kiosk.services.spool.vault import Vault
from tests.services.https_receiver import Receiver
from tests.tlsutil import Pki

KEY = os.urandom(32)
DAY = 86_400.0


class Clock:
    def __init__(self) -> None:
        self.now = 1_780_000_000.0

    def __call__(self) -> float:
        return self.now


def make(tmp_path: Path, pki: Pki, clock: Clock, keep_days: int = 90) -> Outbox:
    index = ReceiptIndex(tmp_path / "receipts", keep_days=keep_days, clock=clock)
    return Outbox(
        tmp_path / "outbox",
        Vault(KEY),
        settings=ChannelSettings(tls=TlsSettings(pki.ca_cert)),
        clock=clock,
        rng=random.Random(3),
        receipts=index,
    )


def parcel(
    n: int, receipt: str = "K7M-4QX-9TB", team: str = "leistung-1", pages: int = 3
) -> Parcel:
    index = {
        "receipt_id": receipt,
        "concern": "sick",
        "team": team,
        "pages": pages,
        "case_number": "12345BG0012345",
        "scanned_at": "2026-06-01T09:30:00+02:00",
    }
    return Parcel(f"{n:032x}", f"20260601-0930{n:02d}_{receipt}_sick", b"%PDF-1.7 x", index)


def folder(tmp_path: Path) -> str:
    (tmp_path / "inbox").mkdir(exist_ok=True)
    return (tmp_path / "inbox").as_uri() + "/"


def test_a_delivered_receipt_is_found_as_typed_with_no_case_number_on_disk(
    tmp_path: Path, pki: Pki
) -> None:
    clock = Clock()
    box = make(tmp_path, pki, clock)
    item = box.put(parcel(1), folder(tmp_path), team="leistung-1", masked_case="12345BG•••2345")
    assert box.receipts is not None
    waiting = box.receipts.find("K7M-4QX-9TB")
    assert waiting is not None and waiting.state is ItemState.WAITING
    clock.now += 30
    assert box.deliver(item).delivered
    for typed in ("k7m4qx9tb", " K7M 4QX 9TB ", "k7m-4qx-9tb", "K7M-4QX-9T8"[:-1] + "B"):
        record = box.receipts.find(typed)
        assert record is not None, typed
    assert record.state is ItemState.DELIVERED and record.delivered_at == clock.now
    assert (record.pages, record.concern, record.team) == (3, "sick", "leistung-1")
    assert record.handed_in == "2026-06-01T09:30:00+02:00"
    for path in (tmp_path / "receipts").iterdir():
        text = path.read_text() if path.is_file() else ""
        assert "12345" not in text and "2345" not in text
    assert box.receipts.find("AAA-AAA-AAA") is None and box.receipts.find("nonsense") is None


def test_lookalike_characters_and_separators_are_tolerated() -> None:
    assert normalize_receipt_id("k7m-4qx-9tb") == "K7M-4QX-9TB"
    assert normalize_receipt_id("o1l 0IL abc") == "011-011-ABC"
    assert normalize_receipt_id("K7M-4QX-9T") is None
    assert normalize_receipt_id("K7M-4QX-9TU") is None  # U is not in the alphabet


def test_a_document_split_into_two_items_is_one_receipt_delivered_when_both_are(
    tmp_path: Path, pki: Pki, receiver: Receiver
) -> None:
    clock = Clock()
    box = make(tmp_path, pki, clock)
    first = box.put(parcel(1, pages=20), folder(tmp_path), team="leistung-1")
    second = box.put(parcel(2, pages=5), receiver.url, team="leistung-1")
    receiver.mode = "503"
    assert box.deliver(first).delivered and not box.deliver(second).delivered
    assert box.receipts is not None
    record = box.receipts.find("K7M4QX9TB")
    assert record is not None and record.pages == 25 and record.state is ItemState.WAITING
    assert record.delivered_at is None
    receiver.mode = "ok"
    clock.now += 60
    assert box.flush()[0].delivered
    record = box.receipts.find("K7M4QX9TB")
    assert record is not None and record.state is ItemState.DELIVERED
    assert record.delivered_at == clock.now and len(record.items) == 2


def test_days_past_the_keeping_time_are_pruned_on_write_and_at_start(
    tmp_path: Path, pki: Pki
) -> None:
    clock = Clock()
    box = make(tmp_path, pki, clock, keep_days=2)
    box.put(parcel(1, receipt="AAA-BBB-CCC"), folder(tmp_path))
    clock.now += 3 * DAY
    box.put(parcel(2, receipt="DDD-EEE-FFF"), folder(tmp_path))  # a write prunes
    assert box.receipts is not None
    assert box.receipts.find("AAA-BBB-CCC") is None
    assert box.receipts.find("DDD-EEE-FFF") is not None
    clock.now += 3 * DAY
    reopened = ReceiptIndex(tmp_path / "receipts", keep_days=2, clock=clock)  # start prunes
    assert reopened.find("DDD-EEE-FFF") is None
    assert [p.name for p in (tmp_path / "receipts").glob("*.json")] == []


def test_a_torn_day_file_does_not_break_lookups_or_writes(tmp_path: Path, pki: Pki) -> None:
    clock = Clock()
    box = make(tmp_path, pki, clock)
    box.put(parcel(1), folder(tmp_path))
    (day,) = (tmp_path / "receipts").glob("*.json")
    day.write_text('{"version": 1, "rece')
    assert box.receipts is not None and box.receipts.find("K7M-4QX-9TB") is None
    box.put(parcel(2, receipt="DDD-EEE-FFF"), folder(tmp_path))
    assert box.receipts.find("DDD-EEE-FFF") is not None
    assert json.loads(day.read_text())["version"] == 1


def test_an_unwritable_index_never_costs_the_document(tmp_path: Path, pki: Pki) -> None:
    clock = Clock()
    box = make(tmp_path, pki, clock)
    (tmp_path / "receipts").chmod(0o500)
    try:
        item = box.put(parcel(1), folder(tmp_path))
        assert box.deliver(item).delivered
    finally:
        (tmp_path / "receipts").chmod(0o700)
    if os.geteuid() != 0:  # root writes anyway
        assert box.receipts is not None and box.receipts.find("K7M-4QX-9TB") is None


def test_held_items_are_listed_without_client_data_and_sent_again_after_the_fix(
    tmp_path: Path, pki: Pki, receiver: Receiver
) -> None:
    clock = Clock()
    box = make(tmp_path, pki, clock)
    item = box.put(parcel(1), receiver.url, team="leistung-1")
    receiver.mode = "400"
    assert box.deliver(item).state == HELD
    assert box.receipts is not None
    found = box.receipts.find("K7M-4QX-9TB")
    assert found is not None and found.state is ItemState.HELD
    clock.now += 3 * 3600
    (stuck,) = stuck_items(box)
    assert (stuck.item_id, stuck.team, stuck.error) == (item, "leistung-1", ErrorClass.REFUSED)
    assert age_words(stuck.age_s(clock.now)) == (3, "h")
    audited: list[tuple[str, dict[str, str | int | float]]] = []
    receiver.mode = "ok"  # the inbox was fixed
    result = send_again(box, item, lambda event, change: audited.append((event, change)))
    assert result.delivered and stuck_items(box) == []
    assert audited == [("outbox.sent_again", {"item": item, "was": "held", "team": "leistung-1"})]
    found = box.receipts.find("K7M-4QX-9TB")
    assert found is not None and found.state is ItemState.DELIVERED
    with pytest.raises(KeyError):
        send_again(box, item)


def test_a_quarantined_item_sent_again_stays_quarantined(tmp_path: Path, pki: Pki) -> None:
    clock = Clock()
    box = make(tmp_path, pki, clock)
    item = box.put(parcel(1), folder(tmp_path))
    path = tmp_path / "outbox" / f"{item}.item"
    blob = bytearray(path.read_bytes())
    blob[-3] ^= 0x41
    path.write_bytes(bytes(blob))
    assert box.deliver(item).state == QUARANTINED
    assert stuck_items(box)[0].error is ErrorClass.UNREADABLE
    assert send_again(box, item).state == QUARANTINED and path.exists()


def test_todays_report_counts_documents_and_pages_per_team(
    tmp_path: Path, pki: Pki, receiver: Receiver
) -> None:
    clock = Clock()
    box = make(tmp_path, pki, clock)
    a = box.put(parcel(1, "AAA-AAA-AAA", "leistung-1", 2), folder(tmp_path), team="leistung-1")
    b = box.put(parcel(2, "BBB-BBB-BBB", "leistung-1", 4), receiver.url, team="leistung-1")
    c = box.put(parcel(3, "CCC-CCC-CCC", "but", 1), receiver.url, team="but")
    box.deliver(a)
    receiver.mode = "503"
    box.deliver(b)
    receiver.mode = "400"
    box.deliver(c)
    report = day_report(box.receipts, box, date.fromtimestamp(clock.now))
    rows = {t.team: (t.documents, t.pages, t.delivered, t.waiting, t.held) for t in report.teams}
    assert rows == {"leistung-1": (2, 6, 1, 1, 0), "but": (1, 1, 0, 0, 1)}
    assert (report.total.documents, report.total.pages) == (3, 7)
    assert (report.outbox_waiting, report.outbox_held) == (1, 1)
    assert "case" not in json.dumps(report.to_json())
    yesterday = day_report(box.receipts, box, date.fromtimestamp(clock.now - DAY))
    assert yesterday.teams == () and yesterday.outbox_held == 1


def test_a_crash_before_the_index_was_written_is_filled_in_by_the_delivery(
    tmp_path: Path, pki: Pki
) -> None:
    """Spooled by a process that died before it wrote the index: the delivery service,
    which finds the item, still records the receipt with all it knows."""
    clock = Clock()
    spooler = Outbox(tmp_path / "outbox", Vault(KEY), clock=clock)  # no index: the gap
    item = spooler.put(parcel(1), folder(tmp_path), team="leistung-1")
    service = make(tmp_path, pki, clock)
    assert service.receipts is not None and service.receipts.find("K7M-4QX-9TB") is None
    assert service.deliver(item).delivered
    record = service.receipts.find("K7M-4QX-9TB")
    assert record is not None and record.state is ItemState.DELIVERED
    assert (record.pages, record.concern, record.team) == (3, "sick", "leistung-1")
