"""The outbox: states, a retry schedule that survives restarts, and nothing ever dropped."""

from __future__ import annotations

import os
import random
import threading
from pathlib import Path

import pytest

from kiosk.core.receipt import ReceiptStatus
from kiosk.services.channels import ChannelSettings, Parcel, TlsSettings
from kiosk.services.spool.delivery_worker import DeliveryWorker
from kiosk.services.spool.outbox import (
    HELD,
    PENDING,
    QUARANTINED,
    DeliveryState,
    Outbox,
    RetryPolicy,
)
from kiosk.services.spool.vault import Vault
from kiosk.services.submission import receipt_status
from tests.services.https_receiver import Receiver
from tests.tlsutil import Pki

KEY = os.urandom(32)


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def make_outbox(tmp_path: Path, pki: Pki, clock: Clock | None = None, **policy: float) -> Outbox:
    return Outbox(
        tmp_path / "outbox",
        Vault(KEY),
        settings=ChannelSettings(tls=TlsSettings(pki.ca_cert)),
        policy=RetryPolicy(**policy),
        clock=clock or Clock(),
        rng=random.Random(7),
    )


def parcel(n: int = 1) -> Parcel:
    return Parcel(
        f"{n:032x}",
        f"20261121-0930{n:02d}_K7M-4QX-9TB_sick",
        b"%PDF " + os.urandom(64),
        {
            "receipt_id": "K7M-4QX-9TB",
            "concern": "sick",
            "pages": 1,
            "case_number": "12345BG0012345",
        },
    )


def test_delivered_items_leave_the_spool(tmp_path: Path, pki: Pki, receiver: Receiver) -> None:
    box = make_outbox(tmp_path, pki)
    item = box.put(parcel(), receiver.url, team="leistung-12", masked_case="12345BG•••2345")
    assert box.deliver(item).delivered
    assert list((tmp_path / "outbox").iterdir()) == [] and item in receiver.stored


def test_status_files_hold_no_case_number(tmp_path: Path, pki: Pki, receiver: Receiver) -> None:
    box = make_outbox(tmp_path, pki)
    box.put(parcel(), receiver.url, masked_case="12345BG•••2345")
    for path in (tmp_path / "outbox").iterdir():
        assert b"12345BG0012345" not in path.read_bytes()


def test_a_failed_attempt_is_rescheduled_and_the_schedule_survives_a_restart(
    tmp_path: Path, pki: Pki, receiver: Receiver
) -> None:
    clock = Clock()
    box = make_outbox(tmp_path, pki, clock, base=10, cap=100)
    item = box.put(parcel(), receiver.url)
    receiver.mode = "500"
    result = box.deliver(item)
    assert (result.delivered, result.state) == (False, PENDING)
    status = box.status(item)
    assert status.attempts == 1 and clock.now <= status.next_attempt <= clock.now + 20
    restarted = make_outbox(tmp_path, pki, clock, base=10, cap=100)  # a new process, same disk
    assert restarted.status(item) == status
    if status.next_attempt > clock.now:
        assert restarted.due() == []
    clock.now = status.next_attempt
    receiver.mode = "ok"
    assert [s.item_id for s in restarted.due()] == [item]
    assert restarted.deliver(item).delivered


def test_retry_after_is_honoured_but_clamped(tmp_path: Path, pki: Pki, receiver: Receiver) -> None:
    clock = Clock()
    box = make_outbox(tmp_path, pki, clock, base=0.001, cap=5)  # the server asks for 7 s
    item = box.put(parcel(), receiver.url)
    receiver.mode = "503"
    box.deliver(item)
    assert box.status(item).next_attempt == pytest.approx(clock.now + 5)
    roomy = make_outbox(tmp_path, pki, clock, base=0.001, cap=60)
    roomy.deliver(item)
    assert roomy.status(item).next_attempt == pytest.approx(clock.now + 7)


def test_backoff_is_full_jitter_with_a_cap() -> None:
    policy, rng = RetryPolicy(base=2, cap=50), random.Random(1)
    for attempts in range(1, 12):
        delays = [policy.delay(attempts, None, rng) for _ in range(200)]
        ceiling = min(50, 2 * 2**attempts)
        assert all(0 <= d <= ceiling for d in delays)
        assert max(delays) > ceiling * 0.8 and min(delays) < ceiling * 0.2  # spread, not fixed


def test_a_permanent_rejection_is_held_for_staff_never_dropped(
    tmp_path: Path, pki: Pki, receiver: Receiver
) -> None:
    box = make_outbox(tmp_path, pki)
    item = box.put(parcel(), receiver.url)
    receiver.mode = "400"
    assert box.deliver(item).state == HELD
    assert box.status(item).state == HELD and box.due() == [] and box.flush() == []
    receiver.mode = "ok"
    box.retry(item)
    assert box.deliver(item).delivered


def test_a_tampered_item_is_quarantined_and_kept(
    tmp_path: Path, pki: Pki, receiver: Receiver
) -> None:
    box = make_outbox(tmp_path, pki)
    item = box.put(parcel(), receiver.url)
    path = tmp_path / "outbox" / f"{item}.item"
    blob = bytearray(path.read_bytes())
    blob[-5] ^= 0x55
    path.write_bytes(bytes(blob))
    assert box.deliver(item).state == QUARANTINED
    assert path.exists() and box.status(item).state == QUARANTINED and receiver.stored == {}


def test_one_item_is_never_delivered_by_two_at_once(
    tmp_path: Path, pki: Pki, receiver: Receiver
) -> None:
    box = make_outbox(tmp_path, pki, attempt_deadline=1.0)
    item = box.put(parcel(), receiver.url)
    receiver.mode = "drip"  # the first attempt hangs until its deadline
    results: list[object] = []
    first = threading.Thread(target=lambda: results.append(box.deliver(item)))
    first.start()
    receiver.wait_for(lambda: receiver.uploads[item] == 1)  # the first attempt is on the wire
    second = box.deliver(item)
    first.join()
    assert second.state == "delivering" and receiver.uploads[item] == 1


def test_the_worker_drains_once_the_inbox_is_back(
    tmp_path: Path, pki: Pki, receiver: Receiver
) -> None:
    box = Outbox(
        tmp_path / "outbox",
        Vault(KEY),
        settings=ChannelSettings(tls=TlsSettings(pki.ca_cert)),
        policy=RetryPolicy(base=0.01, cap=0.05),
    )
    receiver.mode = "503"  # asks for 7 s, clamped to 0.05
    items = [box.put(parcel(n), receiver.url) for n in range(1, 4)]
    worker = DeliveryWorker(box, poll=0.05)
    worker.start()
    try:
        receiver.wait_for(lambda: all(receiver.uploads[i] >= 1 for i in items))
        assert receiver.stored == {}  # nothing stored while the inbox answers 503
        receiver.mode = "ok"
        worker.wake()
        receiver.wait_for(lambda: set(items) <= set(receiver.stored))
    finally:
        worker.stop()  # joins after the round in flight: the last unlink has happened
    assert box.pending() == []


class Broken:
    """A channel with a bug: it raises what no channel may raise."""

    def __init__(self, url: str, settings: ChannelSettings) -> None:
        self.url = url

    def deliver(self, parcel: Parcel, deadline: float) -> str:
        raise ValueError(f"Port out of range in {self.url}")


def test_a_channel_bug_is_held_for_staff_once_not_retried_forever_and_logs_no_traceback(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    box = Outbox(tmp_path / "outbox", Vault(KEY), channels=Broken)
    item = box.put(parcel(), "https://user:secret@127.0.0.1:99999/in")
    with caplog.at_level("INFO"):
        result = box.deliver(item)
    assert result.state == HELD and box.due() == [] and box.pending() == []
    status = box.status(item)
    assert status.state == HELD and status.attempts == 1
    assert "internal error in the https channel (ValueError at test_outbox.py:" in (
        status.last_error or ""
    )
    assert all(record.exc_info is None for record in caplog.records)  # no traceback
    assert "secret" not in caplog.text and "secret" not in (status.last_error or "")


def test_the_one_who_spooled_an_item_waits_for_an_attempt_in_flight(
    tmp_path: Path, pki: Pki, receiver: Receiver
) -> None:
    # The background worker may pick a new item up before the submitting thread's own
    # attempt: that thread must learn the outcome ("gone": delivered), not "being delivered".
    box = make_outbox(tmp_path, pki, attempt_deadline=5.0)
    item = box.put(parcel(), receiver.url)
    receiver.mode = "slow"
    results: list[object] = []
    first = threading.Thread(target=lambda: results.append(box.deliver(item)))
    first.start()
    receiver.wait_for(lambda: receiver.uploads[item] == 1)
    second = box.deliver(item, wait=True)
    first.join()
    assert [r.state for r in results] == [DeliveryState.DELIVERED]  # type: ignore[attr-defined]
    assert second.state == DeliveryState.GONE and receiver.uploads[item] == 1
    assert receipt_status(second) is ReceiptStatus.DELIVERED


def test_receipt_wording_follows_the_class_of_the_failure(
    tmp_path: Path, pki: Pki, receiver: Receiver
) -> None:
    box = make_outbox(tmp_path, pki)
    wanted = {"ok": ReceiptStatus.DELIVERED, "503": ReceiptStatus.QUEUED, "400": ReceiptStatus.HELD}
    for n, (mode, status) in enumerate(wanted.items(), start=1):
        receiver.mode = mode
        item = box.put(parcel(n), receiver.url)
        assert receipt_status(box.deliver(item, wait=True)) is status, mode
    unusable = box.put(parcel(9), "webdav://127.0.0.1:1/plain/")  # refused by the policy
    assert receipt_status(box.deliver(unusable)) is ReceiptStatus.HELD


def test_a_status_file_naming_a_state_that_is_never_stored_counts_as_pending(
    tmp_path: Path, pki: Pki
) -> None:
    box = make_outbox(tmp_path, pki)
    item = box.put(parcel(), "https://127.0.0.1:1/in")
    meta = tmp_path / "outbox" / f"{item}.json"
    meta.write_text(meta.read_text().replace('"pending"', '"delivered"'))
    assert box.status(item).state is PENDING


def test_the_worker_wakes_for_an_item_another_process_spools(
    tmp_path: Path, pki: Pki, receiver: Receiver
) -> None:
    # `kiosk run` and `kiosk deliver` share one spool: a document spooled by the one must
    # not wait for the other's 30 s poll. Another Outbox on the same directory never calls
    # this worker's wake(); only the spool's change can tell it.
    box = make_outbox(tmp_path, pki)
    worker = DeliveryWorker(box, poll=3600.0, watch=0.05)
    worker.start()
    try:
        other = make_outbox(tmp_path, pki)  # as another process would open it
        item = other.put(parcel(), receiver.url)
        receiver.wait_for(lambda: item in receiver.stored)
    finally:
        assert worker.stop(timeout=10)
    assert box.pending() == []


def test_stopping_the_worker_ends_its_thread(tmp_path: Path, pki: Pki) -> None:
    worker = DeliveryWorker(make_outbox(tmp_path, pki), poll=3600.0)
    worker.start()
    assert worker.stop(timeout=5)
