"""smtp:// inboxes: one mail per document to a team mailbox over a STARTTLS-protected relay."""

from __future__ import annotations

import email.policy
import re
import smtplib
import socket
import ssl
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from urllib.parse import unquote, urlsplit

from kiosk.services.channels.address import plain_address
from kiosk.services.channels.base import ChannelSettings, DeliveryError, Parcel, sidecar_json
from kiosk.services.channels.httpio import Deadline, safe_stem, tls_context

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_SUBJECT = "Scan-Kiosk: {title} – {pages} Seite(n) – Quittung {receipt}"
_BODY = """\
Am Scan-Kiosk {kiosk} wurde ein Dokument abgegeben.

Anliegen:      {title}
Fallnummer:    {case} ({kind})
Seiten:        {pages}
Gescannt am:   {scanned}
Quittung:      {receipt}
Team:          {team}
Dokument-ID:   {document}

Im Anhang: das PDF und dieselben Angaben als JSON für die Aktenablage.
Diese Nachricht wurde automatisch erzeugt; bitte nicht antworten.
"""


class _Smtp(smtplib.SMTP):
    """An SMTP client that connects later, under the watchdog, yet checks the relay's
    certificate against its name on STARTTLS (smtplib takes that name from __init__)."""

    def __init__(self, host: str, timeout: float) -> None:
        # local_hostname given: smtplib would otherwise resolve our FQDN, unbounded by time
        super().__init__(local_hostname="localhost", timeout=timeout)
        self._host = host


def _sock(smtp: smtplib.SMTP) -> socket.socket:
    if smtp.sock is None:
        raise smtplib.SMTPServerDisconnected("connection lost")
    return smtp.sock


def _clean(value: object, limit: int = 120) -> str:
    """Index values for the mail text: one line, no control characters, bounded."""
    text = _CONTROL.sub(" ", str(value if value is not None else "-")).strip()
    return text[:limit] or "-"


class SmtpChannel:
    def __init__(self, url: str, settings: ChannelSettings) -> None:
        parts = urlsplit(url)
        if parts.scheme != "smtp" or not parts.hostname:
            raise DeliveryError("not an smtp:// URL", permanent=True)
        if parts.username is not None or parts.password is not None:
            raise DeliveryError("SMTP URLs must not carry credentials", permanent=True)
        if parts.query or parts.fragment:
            raise DeliveryError("SMTP inbox URLs take no query or fragment", permanent=True)
        try:
            self.port = parts.port or 25
        except ValueError as err:
            raise DeliveryError("SMTP URL has a bad port", permanent=True) from err
        self.host = parts.hostname
        self.recipient = plain_address(unquote(parts.path.removeprefix("/")), "the recipient")
        self.sender = plain_address(settings.smtp_sender, "smtp_sender")
        self.kiosk = re.sub(r"[^A-Za-z0-9-]", "-", settings.kiosk_id)[:63] or "kiosk"
        self.settings = settings

    def message_id(self, parcel: Parcel) -> str:
        """Stable per document: a resend carries the same Message-ID, so mail systems and
        staff can recognise the duplicate."""
        if not re.fullmatch(r"[A-Za-z0-9]{1,64}", parcel.document_id):
            raise DeliveryError("unusable document id", permanent=True)
        return f"<{parcel.document_id}@{self.kiosk}.scan-kiosk>"

    def compose(self, parcel: Parcel) -> bytes:
        stem = safe_stem(parcel.file_stem)
        index = parcel.index
        # The case number (social data) stays out of the Subject: subjects show up in
        # mailbox lists, notifications and relay logs. Staff find it in the body and JSON.
        fields = {
            "title": _clean(index.get("concern_title") or index.get("concern") or "Dokument"),
            "pages": _clean(index.get("pages"), 6),
            "receipt": _clean(index.get("receipt_id"), 20),
            "case": _clean(index.get("case_number"), 40),
            "kind": _clean(index.get("case_kind"), 40),
            "scanned": _clean(index.get("scanned_at"), 40),
            "team": _clean(index.get("team")),
            "kiosk": self.kiosk,
            "document": parcel.document_id,
        }
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = self.recipient
        message["Subject"] = _SUBJECT.format(**fields)
        message["Date"] = format_datetime(datetime.now(UTC))
        message["Message-ID"] = self.message_id(parcel)
        message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies
        message["Content-Language"] = "de"
        message.set_content(_BODY.format(**fields), cte="quoted-printable")
        message.add_attachment(
            parcel.pdf, maintype="application", subtype="pdf", filename=f"{stem}.pdf"
        )
        message.add_attachment(
            sidecar_json(parcel),
            maintype="application",
            subtype="json",
            filename=f"{stem}.json",
        )
        return message.as_bytes(policy=email.policy.SMTP)

    def deliver(self, parcel: Parcel, deadline: float) -> str:
        clock = Deadline(deadline)
        data = self.compose(parcel)
        context = tls_context(self.settings.tls)
        smtp = _Smtp(self.host, clock.remaining("connecting"))
        try:
            with clock.watch(lambda: smtp.sock):
                self._session(smtp, data, clock, context)
        except ssl.SSLCertVerificationError as err:  # retryable: see webdav.py
            raise DeliveryError(
                f"TLS certificate of relay {self.host} not trusted: {err.verify_message}"
            ) from err
        except smtplib.SMTPRecipientsRefused as err:
            code, text = next(iter(err.recipients.values()), (-1, b""))
            raise self._answer(code, text, "recipient refused") from err
        except smtplib.SMTPResponseException as err:
            raise self._answer(err.smtp_code, err.smtp_error, "relay refused") from err
        except smtplib.SMTPNotSupportedError as err:
            raise DeliveryError(f"relay {self.host}: {err}", permanent=True) from err
        except (OSError, smtplib.SMTPException) as err:
            if clock.fired:
                raise DeliveryError(f"relay {self.host} too slow: deadline passed") from err
            raise DeliveryError(f"relay {self.host} unreachable: {err!r}") from err
        finally:
            smtp.close()
        return f"{self.recipient} via {self.host}:{self.port} as {self.message_id(parcel)}"

    def _session(
        self, smtp: smtplib.SMTP, data: bytes, clock: Deadline, context: ssl.SSLContext
    ) -> None:
        code, text = smtp.connect(self.host, self.port)
        if code != 220:
            raise smtplib.SMTPConnectError(code, text)
        address = _sock(smtp).getsockname()[0]
        smtp.local_hostname = f"[IPv6:{address}]" if ":" in address else f"[{address}]"
        self._ehlo(smtp, clock)
        if smtp.has_extn("starttls"):
            _sock(smtp).settimeout(clock.remaining("STARTTLS"))
            smtp.starttls(context=context)
            self._ehlo(smtp, clock)
        elif not self.settings.allow_plaintext_smtp:
            # Retryable, not permanent: nothing is wrong with this document. The relay
            # (TLS switched off, wrong port) or someone stripping STARTTLS on the way is
            # at fault; the item waits encrypted and goes out once TLS is back, instead of
            # every document being held for a manual release. last_error says why.
            raise DeliveryError(
                f"relay {self.host} offers no STARTTLS; refusing to send social data in clear"
            )
        limit = smtp.esmtp_features.get("size", "")
        if limit.isdigit() and 0 < int(limit) < len(data):
            raise DeliveryError(
                f"message of {len(data)} bytes exceeds the relay's SIZE limit of {limit}",
                permanent=True,
            )
        _sock(smtp).settimeout(clock.remaining("sending"))
        smtp.sendmail(self.sender, [self.recipient], data)
        try:  # the relay took the message: a failing QUIT changes nothing
            _sock(smtp).settimeout(min(clock.remaining("QUIT"), 2.0))
            smtp.quit()
        except (OSError, smtplib.SMTPException, DeliveryError):
            pass

    @staticmethod
    def _ehlo(smtp: smtplib.SMTP, clock: Deadline) -> None:
        _sock(smtp).settimeout(clock.remaining("EHLO"))
        code, text = smtp.ehlo()
        if code != 250:
            raise smtplib.SMTPHeloError(code, text)

    def _answer(self, code: int, text: bytes | str, what: str) -> DeliveryError:
        """4xx: try again later; 5xx: the relay will not take it, staff must look."""
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        reply = _clean(text, 200)
        return DeliveryError(f"{what}: {code} {reply}", permanent=500 <= code < 600)
