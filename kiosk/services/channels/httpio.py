"""One HTTP(S) exchange that ends by its deadline, whatever the server does.

requests/urllib3 only bound each socket operation: a server that drips one byte every few
seconds keeps them busy forever. Here a timer shuts the socket down at the deadline.
TLS verification is always on; there is no switch to turn it off.
"""

from __future__ import annotations

import datetime
import email.utils
import http.client
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from urllib.parse import urlsplit

from kiosk.services.channels.base import DeliveryError, TlsSettings

MAX_ANSWER_BYTES = 1 << 20
USER_AGENT = "jobcenter-scan-kiosk/1"


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes
    reason: str = ""  # the status line's phrase, printable ASCII, at most 60 characters


CALL_CAP = 30.0  # seconds: no single request may take longer, whatever the deadline
_SAFE_STEM = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,150}")


def tls_context(tls: TlsSettings) -> ssl.SSLContext:
    """A verifying context; unreadable TLS files are a configuration error (permanent)."""
    try:
        context = ssl.create_default_context(cafile=str(tls.ca_bundle) if tls.ca_bundle else None)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        if tls.client_cert is not None:
            context.load_cert_chain(str(tls.client_cert), str(tls.client_key or tls.client_cert))
    except (OSError, ssl.SSLError) as err:
        raise DeliveryError(f"TLS settings unusable: {err}", permanent=True) from err
    return context


def safe_stem(stem: str) -> str:
    if not _SAFE_STEM.fullmatch(stem) or ".." in stem:
        raise DeliveryError(f"unsafe file name {stem!r}", permanent=True)
    return stem


class Deadline:
    """The end of one delivery attempt, as a ``time.monotonic()`` value."""

    def __init__(self, at: float, cap: float = CALL_CAP) -> None:
        self.at = at
        self.cap = cap
        self.fired = False

    def remaining(self, before: str) -> float:
        """Seconds left for the next step (at most ``cap``); a retryable error if none."""
        left = self.at - time.monotonic()
        if left <= 0:
            raise DeliveryError(f"deadline passed before {before}")
        return min(left, self.cap)

    @contextmanager
    def watch(self, current_socket: Callable[[], socket.socket | None]) -> Iterator[None]:
        """Shut the socket down at the deadline.

        Socket timeouts bound each recv(), not a reply a server drips byte by byte; a shut
        down socket ends any blocked read at once, so nothing outlives the deadline.
        """

        def fire() -> None:
            self.fired = True
            sock = current_socket()
            if sock is not None:
                with suppress(OSError):  # the plain socket's shutdown: under SSL too
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)

        timer = threading.Timer(max(0.0, self.at - time.monotonic()), fire)
        timer.daemon = True
        timer.start()
        try:
            yield
        finally:
            timer.cancel()


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
    if when.tzinfo is None:  # "-0000": UTC with unknown origin (RFC 5322)
        when = when.replace(tzinfo=datetime.UTC)
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
    limit: int = MAX_ANSWER_BYTES,
) -> Answer:
    """One request on its own connection, over by ``deadline`` (a ``time.monotonic()``
    value) whatever the server does; at most ``limit`` bytes of the answer are read."""
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
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    watch = Deadline(deadline, cap=remaining)
    sockets: list[socket.socket] = []  # http.client drops conn.sock on "Connection: close"
    try:
        with watch.watch(lambda: sockets[0] if sockets else conn.sock):
            conn.connect()
            if conn.sock is not None:
                sockets.append(conn.sock)
            conn.request(
                method, path, body=body, headers={"User-Agent": USER_AGENT, **(headers or {})}
            )
            response = conn.getresponse()
            data = response.read(limit)
        if watch.fired:
            # Cutting the socket can look like a clean end of the answer to http.client:
            # whatever it parsed was not what the server meant to say.
            raise DeliveryError(f"no complete answer from {host} within the deadline")
        headers = {k.lower(): v for k, v in response.getheaders()}
        reason = re.sub(r"[^\x20-\x7e]", "?", response.reason)[:60]
        return Answer(response.status, headers, data, reason)
    except ssl.SSLCertVerificationError as err:
        # Retryable: once the server's certificate is fixed, the document goes out.
        raise DeliveryError(f"TLS certificate of {host} rejected: {err.verify_message}") from err
    except (OSError, http.client.HTTPException) as err:
        if watch.fired or time.monotonic() >= deadline - 0.01:
            raise DeliveryError(f"no complete answer from {host} within the deadline") from err
        raise DeliveryError(f"{host}: {type(err).__name__}: {err}") from err
    finally:
        conn.close()
