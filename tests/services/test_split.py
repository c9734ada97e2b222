"""A document over its inbox's size limit goes as numbered parts, each within the limit,
through the real outbox into a real folder inbox and a real SMTP relay."""

from __future__ import annotations

import email
import email.policy
import io
import json
import logging
import os
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pikepdf
import pytest

from drivers.scanner.protocol import ColorMode, ScannedPage
from kiosk.core.concerns import concern_by_key
from kiosk.core.identity import parse_case_number
from kiosk.core.receipt import ReceiptStatus
from kiosk.core.records import replace
from kiosk.services.channels import ChannelSettings
from kiosk.services.pages.imaging import EncodedPage, PageReport, encode_page
from kiosk.services.routing.table import Route
from kiosk.services.spool.outbox import Delivery, DeliveryState, Outbox
from kiosk.services.spool.vault import Vault
from kiosk.services.submission import Outcome, submit
from tests.services.channels.servers import smtp_relay

CASE = parse_case_number("12345BG0012345")
SICK = concern_by_key("sick")
AT = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)


def noisy(
    seed: int, mode: ColorMode = ColorMode.GRAY, size: int = 300, dpi: int = 36
) -> EncodedPage:
    """A page that JPEG cannot make small (about 75 KB in gray at 300 x 400)."""
    rng = np.random.default_rng(seed)
    shape = (size * 4 // 3, size, 3) if mode is ColorMode.COLOR else (size * 4 // 3, size)
    pixels = rng.integers(0, 255, shape, dtype=np.uint8)
    return encode_page(ScannedPage(size, size * 4 // 3, mode, dpi, pixels.tobytes()))


def send(tmp_path: Path, pages: list[EncodedPage], url: str, limit: int | None) -> Outcome:
    (tmp_path / "inbox").mkdir(exist_ok=True)
    outbox = Outbox(tmp_path / "outbox", Vault(os.urandom(32)), settings=ChannelSettings())
    route = Route(url, "leistung-12", max_bytes=limit)
    return submit(
        outbox, CASE, SICK, pages, kiosk_id="ws-01", route=route, scanned_at=AT,
        pseudonym_key=b"k" * 32,
    )  # fmt: skip


def arrived(inbox: Path) -> list[tuple[dict[str, object], bytes]]:
    """Every (sidecar, PDF) in a folder inbox, in page order."""
    found = []
    for path in sorted(inbox.glob("*.json")):
        index = json.loads(path.read_text())
        found.append((index, (inbox / str(index["pdf_file"])).read_bytes()))
    return sorted(found, key=lambda item: int(item[0].get("first_page", 1)))  # type: ignore[call-overload]


def images(pdf: bytes) -> list[bytes]:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return [
            image.read_raw_bytes() for page in doc.pages for image in page.get_images().values()
        ]


def test_a_document_over_the_limit_arrives_in_numbered_parts(tmp_path: Path) -> None:
    pages = [noisy(seed) for seed in range(10)]
    inbox = tmp_path / "inbox"
    outcome = send(tmp_path, pages, inbox.as_uri() + "/", 200_000)
    parts = arrived(inbox)
    assert 70_000 < min(len(p.data) for p in pages) < max(len(p.data) for p in pages) < 95_000
    assert len(parts) == 5  # 10 pages of 70-95 KB: two fit in 200 KB, three do not
    assert all(len(pdf) <= 200_000 for _, pdf in parts)
    assert [image for _, pdf in parts for image in images(pdf)] == [p.data for p in pages]
    first_pages = [1]
    for number, (index, pdf) in enumerate(parts, start=1):
        assert (index["part"], index["parts"]) == (number, len(parts))
        assert index["receipt_id"] == outcome.receipt.receipt_id
        assert index["first_page"] == first_pages[-1]
        first_pages.append(first_pages[-1] + int(index["pages"]))  # type: ignore[call-overload]
        assert index["bytes"] == len(pdf)
        assert f"_teil-{number}-von-{len(parts)}.pdf" in str(index["pdf_file"])
        with pikepdf.open(io.BytesIO(pdf)) as doc:
            label = f"Teil {number} von {len(parts)}"
            for key in ("/Title", "/Subject", "/Keywords"):
                assert label in str(doc.docinfo[key])
            assert label in str(doc.open_metadata()["dc:title"])
    assert first_pages[-1] == 11
    assert outcome.receipt.page_count == 10 and outcome.receipt.status is ReceiptStatus.DELIVERED
    assert len(outcome.deliveries) == len(parts) and outcome.delivery == outcome.deliveries[0]
    assert all(delivery.delivered for delivery in outcome.deliveries)


def test_a_document_within_the_limit_is_one_document(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    outcome = send(tmp_path, [noisy(1), noisy(2)], inbox.as_uri() + "/", 10_000_000)
    ((index, pdf),) = arrived(inbox)
    assert "part" not in index and index["pages"] == 2 and "teil" not in str(index["pdf_file"])
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert "Teil" not in str(doc.docinfo.Title)
    assert outcome.deliveries == (outcome.delivery,)


def test_page_reports_go_into_the_sidecar(tmp_path: Path) -> None:
    report = PageReport(
        mode="gray", rotation=180, skew_degrees=0.456, blank=True, problems=("dark",)
    )
    inbox = tmp_path / "inbox"
    send(tmp_path, [replace(noisy(1), report=report), noisy(2)], inbox.as_uri() + "/", None)
    ((index, _),) = arrived(inbox)
    assert index["page_reports"] == [report.to_json(), None]
    assert PageReport.from_json(index["page_reports"][0]) == replace(report, skew_degrees=0.46)  # type: ignore[index]


def test_a_page_alone_over_the_limit_is_encoded_smaller(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    big = noisy(7, ColorMode.COLOR, size=600, dpi=72)  # about 750 KB
    pages = [noisy(1), big, noisy(2)]
    inbox = tmp_path / "inbox"
    with caplog.at_level(logging.INFO):
        outcome = send(tmp_path, pages, inbox.as_uri() + "/", 300_000)
    parts = arrived(inbox)
    assert all(len(pdf) <= 300_000 for _, pdf in parts)
    sent = [image for _, pdf in parts for image in images(pdf)]
    assert sent[0] == pages[0].data and sent[-1] == pages[2].data and len(sent) == 3
    with pikepdf.open(
        io.BytesIO(next(pdf for _, pdf in parts if images(pdf)[0] == sent[1]))
    ) as doc:
        (image,) = doc.pages[0].get_images().values()
        assert image.Filter == "/DCTDecode" and image.ColorSpace == "/DeviceRGB"
        width = float(doc.pages[0].mediabox[2])
    assert round(width) == 600  # the same size on paper: 600 px at 72 dpi, fewer px now
    assert outcome.receipt.status is ReceiptStatus.DELIVERED
    assert "page 2 encoded again smaller" in caplog.text
    assert "12345BG0012345" not in caplog.text and "12345BG" not in caplog.text


def test_a_black_and_white_page_over_the_limit_becomes_g4(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    pixels = np.full((1400, 1000), 255, np.uint8)
    for _ in range(12_000):  # dense small marks, like small print
        top, left = rng.integers(0, 1392), rng.integers(0, 992)
        pixels[top : top + rng.integers(2, 8), left : left + rng.integers(1, 5)] = 0
    page = encode_page(ScannedPage(1000, 1400, ColorMode.BW, 120, pixels.tobytes()))
    inbox = tmp_path / "inbox"
    limit = len(page.data)  # the Flate page and the PDF around it are more
    send(tmp_path, [page], inbox.as_uri() + "/", limit)
    ((_, pdf),) = arrived(inbox)
    assert len(pdf) <= limit
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        (image,) = doc.pages[0].get_images().values()
        assert image.Filter == "/CCITTFaxDecode" and image.BitsPerComponent == 1
        back = np.asarray(pikepdf.PdfImage(image).as_pil_image().convert("L"))
    assert (back == pixels).all()  # G4 is lossless: the same pixels, fewer bytes


def test_a_page_that_never_fits_still_goes_out_alone_and_is_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    pages = [noisy(1), noisy(2, ColorMode.COLOR, size=600)]
    inbox = tmp_path / "inbox"
    with caplog.at_level(logging.INFO):
        outcome = send(tmp_path, pages, inbox.as_uri() + "/", 6_000)  # below any page
    parts = arrived(inbox)
    assert [index["pages"] for index, _ in parts] == [1, 1]  # nothing dropped, each alone
    assert "alone is more than the inbox limit" in caplog.text
    assert outcome.receipt.page_count == 2


def test_an_smtp_relay_with_a_size_limit_takes_every_part(tmp_path: Path) -> None:
    limit = 250_000
    pages = [noisy(seed) for seed in range(6)]  # about 450 KB, 600 KB in base64
    with smtp_relay(data_size_limit=limit) as relay:
        url = f"smtp://127.0.0.1:{relay.port}/team-12@jobcenter.example"
        settings = ChannelSettings(allow_plaintext_smtp=True)
        outbox = Outbox(tmp_path / "outbox", Vault(os.urandom(32)), settings=settings)
        outcome = submit(
            outbox, CASE, SICK, pages, kiosk_id="ws-01",
            route=Route(url, "leistung-12", max_bytes=limit), scanned_at=AT,
            pseudonym_key=b"k" * 32,
        )  # fmt: skip
        messages = list(relay.messages)
    assert outcome.receipt.status is ReceiptStatus.DELIVERED, outcome.delivery.error
    assert len(messages) == len(outcome.deliveries) >= 3
    sent: list[bytes] = []
    for envelope in messages:
        assert len(envelope.content) <= limit  # type: ignore[arg-type]
        message = email.message_from_bytes(envelope.content, policy=email.policy.SMTP)  # type: ignore[arg-type]
        (pdf,) = [
            part.get_content()
            for part in message.iter_attachments()
            if part.get_content_type() == "application/pdf"
        ]
        sent += images(pdf)
    assert sorted(sent) == sorted(page.data for page in pages)


def test_without_the_limit_the_relay_refuses_the_mail_and_staff_get_it(tmp_path: Path) -> None:
    # why max_bytes matters: the same document in one mail is over the relay's SIZE
    pages = [noisy(seed) for seed in range(6)]
    with smtp_relay(data_size_limit=250_000) as relay:
        url = f"smtp://127.0.0.1:{relay.port}/team-12@jobcenter.example"
        settings = ChannelSettings(allow_plaintext_smtp=True)
        outbox = Outbox(tmp_path / "outbox", Vault(os.urandom(32)), settings=settings)
        outcome = submit(
            outbox, CASE, SICK, pages, kiosk_id="ws-01", route=Route(url, "leistung-12"),
            scanned_at=AT, pseudonym_key=b"k" * 32,
        )  # fmt: skip
    assert outcome.receipt.status is ReceiptStatus.HELD and "SIZE" in str(outcome.delivery.error)


@pytest.mark.parametrize(
    "states,worst",
    [
        ((DeliveryState.DELIVERED, DeliveryState.PENDING), 1),
        ((DeliveryState.PENDING, DeliveryState.HELD, DeliveryState.PENDING), 1),
        ((DeliveryState.HELD, DeliveryState.QUARANTINED), 0),
        ((DeliveryState.DELIVERED, DeliveryState.GONE), 0),
    ],
)
def test_the_receipt_says_the_worst_of_the_parts(
    states: tuple[DeliveryState, ...], worst: int
) -> None:
    from kiosk.services.submission import worst_of

    deliveries = tuple(
        Delivery(f"item{n}", state is DeliveryState.DELIVERED, state=state)
        for n, state in enumerate(states)
    )
    assert worst_of(deliveries) is deliveries[worst]
