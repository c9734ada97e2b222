"""Keys, encryption at rest, the folder inbox, the spool and held batches."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from kiosk.core.identity import parse_case_number
from kiosk.services.channels import DeliveryError, Parcel
from kiosk.services.channels.folder import FolderChannel
from kiosk.services.pages.imaging import EncodedPage
from kiosk.services.spool.held import HeldBatches
from kiosk.services.spool.keys import KeyFileError, load_or_create_key
from kiosk.services.spool.outbox import Outbox
from kiosk.services.spool.vault import TamperedError, Vault

PDF = b"%PDF-1.4\n" + os.urandom(4096) + b"\n%%EOF\n"


def parcel(document_id: str = "a1b2c3", pdf: bytes = PDF) -> Parcel:
    return Parcel(
        document_id,
        "20261121-093000_K7M-4QX-9TB_sick",
        pdf,
        {"case_number": "12345BG0012345", "concern": "sick", "pages": 2},
    )


# -- keys -----------------------------------------------------------------------------


def test_a_missing_key_is_created_private_and_then_reused(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "spool.key"
    key = load_or_create_key(path)
    assert len(key) == 32 and path.stat().st_mode & 0o777 == 0o600
    assert load_or_create_key(path) == key


@pytest.mark.parametrize(
    "content,mode,words",
    [
        (b"short", 0o600, "holds 5 bytes"),
        (os.urandom(32), 0o644, "readable by other users"),
    ],
)
def test_an_unusable_key_is_refused_never_replaced(
    tmp_path: Path, content: bytes, mode: int, words: str
) -> None:
    path = tmp_path / "spool.key"
    path.write_bytes(content)
    path.chmod(mode)
    with pytest.raises(KeyFileError, match=words):
        load_or_create_key(path)
    assert path.read_bytes() == content


# -- vault ----------------------------------------------------------------------------


def test_sealed_data_needs_the_same_key_and_context() -> None:
    vault = Vault(os.urandom(32))
    blob = vault.seal(b"social data", b"item-1")
    assert b"social data" not in blob
    assert vault.open(blob, b"item-1") == b"social data"
    with pytest.raises(TamperedError):
        vault.open(blob, b"item-2")  # a file renamed to another item's name
    with pytest.raises(TamperedError):
        Vault(os.urandom(32)).open(blob, b"item-1")
    flipped = bytearray(blob)
    flipped[-1] ^= 1
    with pytest.raises(TamperedError):
        vault.open(bytes(flipped), b"item-1")


# -- folder channel ---------------------------------------------------------------------


def test_folder_delivery_writes_pdf_and_sidecar_atomically(tmp_path: Path) -> None:
    where = FolderChannel(tmp_path.as_uri() + "/").deliver(parcel())
    pdf = Path(where)
    assert pdf.read_bytes() == PDF
    sidecar = json.loads(pdf.with_suffix(".json").read_text())
    assert sidecar["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert sidecar["pdf_file"] == pdf.name and sidecar["case_number"] == "12345BG0012345"
    assert {p.name for p in tmp_path.iterdir()} == {pdf.name, pdf.with_suffix(".json").name}


def test_delivering_the_same_document_twice_is_harmless(tmp_path: Path) -> None:
    channel = FolderChannel(tmp_path.as_uri())
    assert channel.deliver(parcel()) == channel.deliver(parcel())
    assert len(list(tmp_path.iterdir())) == 2


def test_another_document_under_the_same_name_is_refused(tmp_path: Path) -> None:
    channel = FolderChannel(tmp_path.as_uri())
    channel.deliver(parcel())
    with pytest.raises(DeliveryError) as caught:
        channel.deliver(parcel(pdf=b"%PDF other"))
    assert caught.value.permanent
    assert (tmp_path / "20261121-093000_K7M-4QX-9TB_sick.pdf").read_bytes() == PDF


def test_a_missing_inbox_folder_is_not_created(tmp_path: Path) -> None:
    gone = tmp_path / "mnt" / "inbox"
    with pytest.raises(DeliveryError, match="mount missing"):
        FolderChannel(gone.as_uri()).deliver(parcel())
    assert not gone.exists()


@pytest.mark.parametrize("stem", ["../escape", "a/b", ".hidden", "x\x00y"])
def test_hostile_file_names_never_leave_the_inbox(tmp_path: Path, stem: str) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    with pytest.raises(DeliveryError):
        FolderChannel(inbox.as_uri()).deliver(Parcel("a1", stem, PDF))
    assert list(tmp_path.iterdir()) == [inbox] and list(inbox.iterdir()) == []


# -- outbox ---------------------------------------------------------------------------


def test_the_spool_holds_no_plaintext_and_delivers_then_forgets(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "outbox", Vault(os.urandom(32)))
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    item = outbox.put(parcel(), inbox.as_uri())
    spooled = (tmp_path / "outbox" / f"{item}.item").read_bytes()
    assert PDF[:64] not in spooled and b"12345BG0012345" not in spooled
    delivery = outbox.deliver(item)
    assert delivery.delivered and Path(delivery.where or "").read_bytes() == PDF
    assert outbox.pending() == []


def test_an_undeliverable_document_stays_spooled(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "outbox", Vault(os.urandom(32)))
    item = outbox.put(parcel(), (tmp_path / "not-mounted").as_uri())
    delivery = outbox.deliver(item)
    assert not delivery.delivered and "not there" in (delivery.error or "")
    assert outbox.pending() == [item]
    (tmp_path / "not-mounted").mkdir()
    assert outbox.deliver(item).delivered  # the next attempt, once the share is back


def test_a_tampered_spool_item_is_detected(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "outbox", Vault(os.urandom(32)))
    item = outbox.put(parcel(), tmp_path.as_uri())
    path = tmp_path / "outbox" / f"{item}.item"
    data = bytearray(path.read_bytes())
    data[40] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(TamperedError):
        outbox.load(item)


# -- held batches -----------------------------------------------------------------------


def test_held_pages_round_trip_encrypted(tmp_path: Path) -> None:
    held = HeldBatches(tmp_path / "held", Vault(os.urandom(32)))
    case = parse_case_number("12345BG0012345")
    pages = [
        EncodedPage(10, 20, 300, "DeviceGray", 8, "DCTDecode", b"\xff\xd8jpeg-1"),
        EncodedPage(30, 40, 300, "DeviceGray", 1, "FlateDecode", b"flate-2"),
    ]
    batch = held.hold(case, "sick", pages)
    assert held.take(held.hold(case, "sick", pages, batch_id="77793588")) == (case, "sick", pages)
    held.discard("77793588")
    stored = next((tmp_path / "held").iterdir()).read_bytes()
    assert b"jpeg-1" not in stored and b"12345BG" not in stored
    assert held.take(batch) == (case, "sick", pages)
    held.discard(batch)
    with pytest.raises(KeyError):
        held.take(batch)
    with pytest.raises(KeyError):
        held.take("../../etc")
