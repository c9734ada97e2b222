"""The https:// channel against a real HTTPS receiver on 127.0.0.1."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.services.channels import ChannelSettings, DeliveryError, Parcel, TlsSettings
from kiosk.services.channels.httpio import retry_after
from kiosk.services.channels.https import HttpsChannel
from tests.services.https_receiver import BEARER, Receiver, sha256
from tests.tlsutil import Pki

PDF = b"%PDF-1.4\n" + os.urandom(20000) + b"\n%%EOF\n"


def parcel(document_id: str = "0123456789abcdef") -> Parcel:
    return Parcel(
        document_id,
        "20261121-093000_K7M-4QX-9TB_sick",
        PDF,
        {"receipt_id": "K7M-4QX-9TB", "concern": "sick", "pages": 2},
    )


def channel(url: str, pki: Pki, **settings: object) -> HttpsChannel:
    return HttpsChannel(url, ChannelSettings(tls=TlsSettings(pki.ca_cert), **settings))  # type: ignore[arg-type]


def soon(seconds: float = 10.0) -> float:
    return time.monotonic() + seconds


def test_multipart_upload_arrives_whole_with_its_index(receiver: Receiver, pki: Pki) -> None:
    channel(receiver.url, pki).deliver(parcel(), soon())
    record = receiver.stored["0123456789abcdef"]
    assert record["pdf"] == PDF
    assert (
        record["index"]["sha256"] == sha256(PDF) and record["index"]["receipt_id"] == "K7M-4QX-9TB"
    )


def test_put_shape_uploads_pdf_then_index(receiver: Receiver, pki: Pki) -> None:
    channel(receiver.url, pki, https_request="put").deliver(parcel(), soon())
    pdf = receiver.stored["0123456789abcdef.pdf"]
    index = receiver.stored["0123456789abcdef.json"]
    assert pdf["body"] == PDF and pdf["path"].endswith("/20261121-093000_K7M-4QX-9TB_sick.pdf")
    assert b'"sha256": "' + sha256(PDF).encode() in index["body"]


def test_the_same_document_twice_is_stored_once(receiver: Receiver, pki: Pki) -> None:
    for _ in range(2):
        channel(receiver.url, pki).deliver(parcel(), soon())
    assert receiver.uploads["0123456789abcdef"] == 2 and len(receiver.stored) == 1


def test_bearer_token(receiver: Receiver, pki: Pki) -> None:
    receiver.mode = "auth"
    with pytest.raises(DeliveryError) as caught:
        channel(receiver.url, pki).deliver(parcel(), soon())
    assert caught.value.permanent and "401" in str(caught.value)
    channel(receiver.url, pki, bearer_token=BEARER).deliver(parcel(), soon())
    assert "0123456789abcdef" in receiver.stored


def test_client_certificate_for_mtls(pki: Pki) -> None:
    with Receiver(pki.server_cert, pki.server_key, ca=pki.ca_cert) as mtls:
        with pytest.raises(DeliveryError):
            channel(mtls.url, pki).deliver(parcel(), soon())
        assert mtls.stored == {}
        tls = TlsSettings(pki.ca_cert, pki.client_cert, pki.client_key)
        HttpsChannel(mtls.url, ChannelSettings(tls=tls)).deliver(parcel(), soon())
        assert "0123456789abcdef" in mtls.stored


@pytest.mark.parametrize("which", ["no private CA", "expired", "foreign CA"])
def test_certificates_are_always_verified(pki: Pki, which: str) -> None:
    cert, key = {
        "no private CA": (pki.server_cert, pki.server_key),
        "expired": (pki.expired_cert, pki.expired_key),
        "foreign CA": (pki.foreign_cert, pki.foreign_key),
    }[which]
    with Receiver(cert, key) as server:
        settings = (
            ChannelSettings()
            if which == "no private CA"
            else ChannelSettings(tls=TlsSettings(pki.ca_cert))
        )
        with pytest.raises(DeliveryError, match="certificate") as caught:
            HttpsChannel(server.url, settings).deliver(parcel(), soon())
        assert not caught.value.permanent  # fixable on the server side: keep retrying
        assert server.stored == {}


@pytest.mark.parametrize(
    "mode,permanent,retry_after", [("500", False, None), ("503", False, 7.0), ("400", True, None)]
)
def test_server_errors_are_classified(
    receiver: Receiver, pki: Pki, mode: str, permanent: bool, retry_after: float | None
) -> None:
    receiver.mode = mode
    with pytest.raises(DeliveryError) as caught:
        channel(receiver.url, pki).deliver(parcel(), soon())
    assert (caught.value.permanent, caught.value.retry_after) == (permanent, retry_after)


def test_a_reset_after_storing_is_retried_without_storing_twice(
    receiver: Receiver, pki: Pki
) -> None:
    receiver.mode = "reset"
    with pytest.raises(DeliveryError) as caught:
        channel(receiver.url, pki).deliver(parcel(), soon())
    assert not caught.value.permanent
    receiver.mode = "ok"
    channel(receiver.url, pki).deliver(parcel(), soon())
    assert receiver.uploads["0123456789abcdef"] == 2 and len(receiver.stored) == 1


def test_a_dripping_server_cannot_hold_an_attempt_past_its_deadline(
    receiver: Receiver, pki: Pki
) -> None:
    receiver.mode = "drip"
    started = time.monotonic()
    with pytest.raises(DeliveryError, match="deadline"):
        channel(receiver.url, pki).deliver(parcel(), soon(1.5))
    assert time.monotonic() - started < 3.0  # the drip would take 30 s


def test_nobody_listening_is_retryable(pki: Pki) -> None:
    with pytest.raises(DeliveryError) as caught:
        channel("https://127.0.0.1:9/inbox", pki).deliver(parcel(), soon())
    assert not caught.value.permanent


@pytest.mark.parametrize("url", ["https://user:pw@localhost/inbox", "http://localhost/inbox"])
def test_unsafe_urls_are_refused(url: str, pki: Pki) -> None:
    with pytest.raises(DeliveryError) as caught:
        channel(url, pki)
    assert caught.value.permanent


def test_an_unreadable_ca_bundle_is_a_permanent_configuration_error(tmp_path: Path) -> None:
    settings = ChannelSettings(tls=TlsSettings(tmp_path / "missing-ca.pem"))
    with pytest.raises(DeliveryError, match="TLS settings unusable") as caught:
        HttpsChannel("https://localhost/inbox", settings)
    assert caught.value.permanent


@pytest.mark.parametrize(
    "header,seconds",
    [
        ("120", 120.0),
        ("Sat, 21 Nov 2026 10:02:00 GMT", 120.0),
        ("Sat, 21 Nov 2026 10:02:00 -0000", 120.0),  # UTC of unknown origin, not local time
        ("soon", None),
    ],
)
def test_retry_after_in_seconds_or_as_a_date(header: str, seconds: float | None) -> None:
    now = datetime(2026, 11, 21, 10, 0, tzinfo=UTC).timestamp()
    assert retry_after(header, now) == seconds
