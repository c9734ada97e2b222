"""One HTTP(S) exchange that ends by its deadline, whatever the server does.

requests/urllib3 only bound each socket operation: a server that drips one byte every few
seconds keeps them busy forever. Here a timer shuts the socket down at the deadline.
TLS verification is always on; there is no switch to turn it off.
"""

from __future__ import annotations

import contextlib
import email.utils
import http.client
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from kiosk.services.channels import DeliveryError, TlsSettings

MAX_ANSWER_BYTES = 1 << 20
USER_AGENT = "jobcenter-scan-kiosk/1"


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes


def tls_context(tls: TlsSettings) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=str(tls.ca_bundle) if tls.ca_bundle else None)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    if tls.client_cert is not None:
        context.load_cert_chain(str(tls.client_cert), str(tls.client_key or tls.client_cert))
    return context


def check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.username or parts.password:
        raise DeliveryError(
            "credentials in an inbox URL are refused (they end up in logs)", permanent=True
        )
    if not parts.hostname:
        raise DeliveryError(f"inbox URL without a host: {url}", permanent=True)


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def failure(answer: Answer, what: str) -> DeliveryError | None:
    """None for success; otherwise whether a retry can help."""
    if 200 <= answer.status < 300:
        return None
    message = f"{what}: HTTP {answer.status}"
    if answer.status in (408, 425, 429) or answer.status >= 500:
        return DeliveryError(message, retry_after=retry_after(answer.headers.get("retry-after")))
    # 3xx: redirects are not followed (configure the final URL); 4xx: rejected for good.
    return DeliveryError(message, permanent=True)


def exchange(
    url: str,
    method: str,
    *,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    deadline: float,
    context: ssl.SSLContext | None = None,
) -> Answer:
    parts = urlsplit(url)
    secure = parts.scheme in ("https", "webdavs")
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise DeliveryError("no time left for this attempt")
    host, port = parts.hostname or "", parts.port
    conn: http.client.HTTPConnection = (
        http.client.HTTPSConnection(host, port, timeout=remaining, context=context)
        if secure
        else http.client.HTTPConnection(host, port, timeout=remaining)
    )
    cut = threading.Event()
    guard = threading.Timer(remaining, _cut, args=(conn, cut))
    guard.daemon = True
    guard.start()
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        conn.request(method, path, body=body, headers={"User-Agent": USER_AGENT, **(headers or {})})
        response = conn.getresponse()
        data = response.read(MAX_ANSWER_BYTES)
        guard.cancel()
        if cut.is_set():
            # Cutting the socket can look like a clean end of the answer to http.client:
            # whatever it parsed was not what the server meant to say.
            raise DeliveryError(f"no complete answer from {host} within the deadline")
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, data)
    except ssl.SSLCertVerificationError as err:
        # Retryable: once the server's certificate is fixed, the document goes out.
        raise DeliveryError(f"TLS certificate of {host} rejected: {err.verify_message}") from err
    except (OSError, http.client.HTTPException) as err:
        if time.monotonic() >= deadline - 0.01:
            raise DeliveryError(f"no complete answer from {host} within the deadline") from err
        raise DeliveryError(f"{host}: {type(err).__name__}: {err}") from err
    finally:
        guard.cancel()
        conn.close()


def _cut(conn: http.client.HTTPConnection, cut: threading.Event) -> None:
    cut.set()
    sock = conn.sock
    if sock is not None:
        with contextlib.suppress(OSError):  # already closed: nothing left to cut
            sock.shutdown(socket.SHUT_RDWR)
