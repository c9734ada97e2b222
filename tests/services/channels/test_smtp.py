"""The smtp:// channel against aiosmtpd relays on 127.0.0.1 (STARTTLS, SIZE, refusals)."""

from __future__ import annotations

import email
import email.policy
import json
import socket
import time
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from kiosk.core.records import replace
from kiosk.services.channels import ChannelSettings, DeliveryError, TlsSettings, channel_for
from tests.services.channels.servers import (
    CASE,
    PDF,
    closed_port,
    drip_server,
    sample_parcel,
    smtp_relay,
)
from tests.tlsutil import Pki

TEAM = "team-12@jobcenter.example"
SENDER = "scan-kiosk@jobcenter.example"
STEM = "20261121-093000_K7M-4QX-9TB_sick"


def settings(pki: Pki, **changes: Any) -> ChannelSettings:
    base = ChannelSettings(TlsSettings(pki.ca_cert), smtp_sender=SENDER, kiosk_id="kiosk-7")
    return replace(base, **changes)


def send(port: int, channel_settings: ChannelSettings, seconds: float = 10.0) -> str:
    channel = channel_for(f"smtp://127.0.0.1:{port}/{TEAM}", channel_settings)
    return channel.deliver(sample_parcel(), time.monotonic() + seconds)


def parsed(data: bytes) -> EmailMessage:
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def test_one_mail_over_starttls_with_stable_id_and_both_attachments(pki: Pki) -> None:
    with smtp_relay(pki.server_cert, pki.server_key) as relay:
        where = send(relay.port, settings(pki))
    assert len(relay.messages) == 1
    envelope = relay.messages[0]
    assert envelope.mail_from == SENDER and envelope.rcpt_tos == [TEAM]
    message = parsed(envelope.original_content or b"")
    assert message["Message-ID"] == "<a1b2c3d4e5f6@kiosk-7.scan-kiosk>"
    assert message["Message-ID"] in where
    assert message["To"] == TEAM and message["From"] == SENDER
    subject = str(message["Subject"])
    assert "Arbeitsunfähigkeit" in subject and "K7M-4QX-9TB" in subject and "2 Seite" in subject
    assert CASE not in subject and CASE[-7:] not in subject  # social data stays out
    body = message.get_body(("plain",))
    assert body is not None and CASE in body.get_content()
    files = {part.get_filename(): part.get_content() for part in message.iter_attachments()}
    assert files[f"{STEM}.pdf"] == PDF
    sidecar = json.loads(files[f"{STEM}.json"])
    assert sidecar["case_number"] == CASE and sidecar["pdf_file"] == f"{STEM}.pdf"


def test_a_resend_carries_the_same_message_id(pki: Pki) -> None:
    with smtp_relay(pki.server_cert, pki.server_key) as relay:
        send(relay.port, settings(pki))
        send(relay.port, settings(pki))
    ids = {parsed(e.original_content or b"")["Message-ID"] for e in relay.messages}
    assert len(relay.messages) == 2 and len(ids) == 1


def test_a_relay_without_starttls_gets_nothing_unless_plaintext_is_allowed(pki: Pki) -> None:
    with smtp_relay() as relay:
        with pytest.raises(DeliveryError, match="STARTTLS") as caught:
            send(relay.port, settings(pki))
        assert not caught.value.permanent  # see SmtpChannel._session: waits, never leaks
        assert relay.commands == [] and relay.messages == []
        send(relay.port, settings(pki, allow_plaintext_smtp=True))
    assert len(relay.messages) == 1


def test_a_message_over_the_relays_size_limit_is_permanent_and_never_offered(pki: Pki) -> None:
    limited = smtp_relay(pki.server_cert, pki.server_key, data_size_limit=100_000)
    with limited as relay, pytest.raises(DeliveryError, match="SIZE limit of 100000") as caught:
        send(relay.port, settings(pki))
    assert caught.value.permanent
    assert relay.commands == []  # not even MAIL FROM


@pytest.mark.parametrize(
    "reply,permanent",
    [("451 4.3.0 Mailbox temporarily unavailable", False), ("550 5.7.1 Not accepted", True)],
)
def test_relay_refusals_map_4xx_to_retry_and_5xx_to_give_up(
    pki: Pki, reply: str, permanent: bool
) -> None:
    refusing = smtp_relay(pki.server_cert, pki.server_key, data_reply=reply)
    with refusing as relay, pytest.raises(DeliveryError, match=reply[:3]) as caught:
        send(relay.port, settings(pki))
    assert caught.value.permanent is permanent
    assert relay.commands == ["MAIL"]


@pytest.mark.parametrize("cert", ["foreign", "expired"])
def test_an_untrusted_relay_certificate_stops_before_mail(pki: Pki, cert: str) -> None:
    pem: Path = getattr(pki, f"{cert}_cert")
    untrusted = smtp_relay(pem, pem.with_suffix(".key"))
    with untrusted as relay, pytest.raises(DeliveryError, match="certificate") as caught:
        send(relay.port, settings(pki))
    assert not caught.value.permanent
    assert relay.commands == [] and relay.messages == []


@pytest.mark.parametrize(
    "recipient",
    [
        "a@b.c%0d%0aBcc:x@y",
        "a@b.c%0aBcc:x@y",
        "../",
        "../team@jobcenter.example",
        "a@b.c,x@y.z",
        "Team <a@b.c>",
        "a@b.c%00",
        "a" * 300 + "@jobcenter.example",
        "team@" + "x" * 250 + ".example",
        "",
    ],
)
def test_hostile_recipients_are_refused_before_connecting(pki: Pki, recipient: str) -> None:
    with socket.create_server(("127.0.0.1", 0)) as listener:
        url = f"smtp://127.0.0.1:{listener.getsockname()[1]}/{recipient}"
        with pytest.raises(DeliveryError, match="recipient") as caught:
            channel_for(url, settings(pki)).deliver(sample_parcel(), time.monotonic() + 5)
        assert caught.value.permanent
        listener.setblocking(False)
        with pytest.raises(BlockingIOError):
            listener.accept()  # nobody connected


def test_a_sender_that_could_inject_headers_is_refused(pki: Pki) -> None:
    hostile = settings(pki, smtp_sender="kiosk@a.b\r\nBcc: x@y.z")
    with pytest.raises(DeliveryError, match="smtp_sender"):
        channel_for(f"smtp://127.0.0.1:25/{TEAM}", hostile)


def test_an_unreachable_relay_is_worth_a_retry(pki: Pki) -> None:
    with pytest.raises(DeliveryError) as caught:
        send(closed_port(), settings(pki))
    assert not caught.value.permanent


def test_a_dripping_relay_cannot_hold_the_attempt_past_its_deadline(pki: Pki) -> None:
    with drip_server(b"220-slow.relay ") as port:
        started = time.monotonic()
        with pytest.raises(DeliveryError, match="deadline") as caught:
            send(port, settings(pki), seconds=1.5)
        elapsed = time.monotonic() - started
    assert not caught.value.permanent and elapsed < 1.5 + 0.5
