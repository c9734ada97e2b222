"""webdav:// and webdavs:// inboxes: PUT to a hidden temporary name, then MOVE into place."""

from __future__ import annotations

import hashlib
import http.client
import re
import secrets
import socket
import ssl
from contextlib import suppress
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from kiosk.services.channels.base import (
    ChannelSettings,
    DeliveryError,
    Parcel,
    sidecar_json,
)
from kiosk.services.channels.httpio import Deadline, retry_after, safe_stem, tls_context

_RETRYABLE = {408, 425, 429}
_CHUNK = 64 * 1024

# -- the channel --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Reply:
    status: int
    reason: str
    retry_after: float | None
    body: bytes


class WebDavChannel:
    def __init__(self, url: str, settings: ChannelSettings) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("webdav", "webdavs") or not parts.hostname:
            raise DeliveryError("not a webdav:// or webdavs:// URL", permanent=True)
        if parts.username is not None or parts.password is not None:
            # never echo the URL here: it holds the credentials we refuse
            raise DeliveryError("WebDAV URLs must not carry credentials", permanent=True)
        if not re.fullmatch(r"/[\x21-\x7e]*", parts.path or "/"):
            raise DeliveryError("WebDAV path must be printable ASCII (percent-encoded)", True)
        if parts.query or parts.fragment:
            raise DeliveryError("WebDAV inbox URLs take no query or fragment", permanent=True)
        self.secure = parts.scheme == "webdavs"
        if not self.secure and not settings.allow_plaintext_webdav:
            raise DeliveryError(
                "webdav:// sends social data unencrypted; use webdavs:// "
                "(or set allow_plaintext_webdav for a trusted segment)",
                permanent=True,
            )
        self.settings = settings
        self.host = parts.hostname
        try:
            self.port = parts.port or (443 if self.secure else 80)
        except ValueError as err:
            raise DeliveryError("WebDAV URL has a bad port", permanent=True) from err
        self.collection = parts.path if parts.path.endswith("/") else parts.path + "/"
        http_scheme = "https" if self.secure else "http"
        self.inbox = f"{parts.scheme}://{parts.netloc}{self.collection}"
        self._origin = f"{http_scheme}://{parts.netloc}"

    def deliver(self, parcel: Parcel, deadline: float) -> str:
        stem = safe_stem(parcel.file_stem)
        clock = Deadline(deadline)
        context = tls_context(self.settings.tls) if self.secure else None
        # PDF first, sidecar last: an importer that waits for the sidecar never sees a
        # half document.
        self._place(f"{stem}.pdf", parcel.pdf, "application/pdf", clock, context)
        self._place(f"{stem}.json", sidecar_json(parcel), "application/json", clock, context)
        return self.inbox + quote(f"{stem}.pdf")

    def _place(
        self,
        name: str,
        data: bytes,
        content_type: str,
        clock: Deadline,
        context: ssl.SSLContext | None,
    ) -> None:
        """Upload under a hidden temporary name, then MOVE it to ``name`` without overwrite."""
        final = self.collection + quote(name)
        temp = self.collection + quote(f".{name}.{secrets.token_hex(8)}.part")
        try:
            put = self._request("PUT", temp, clock, context, data, {"Content-Type": content_type})
            self._check(put, f"upload of {name}")
            moved = self._request(
                "MOVE",
                temp,
                clock,
                context,
                headers={"Destination": self._origin + final, "Overwrite": "F"},
            )
            if moved.status == 412:  # the name is taken: our own earlier attempt?
                self._same_content(final, name, data, clock, context)
            else:
                self._check(moved, f"move of {name} into place")
                return
        except DeliveryError:
            self._forget(temp, clock, context)
            raise
        self._forget(temp, clock, context)

    def _same_content(
        self, final: str, name: str, data: bytes, clock: Deadline, context: ssl.SSLContext | None
    ) -> None:
        got = self._request("GET", final, clock, context, limit=len(data) + 1)
        if got.status == 404:  # taken a moment ago, gone now (an importer?): try again
            raise DeliveryError(f"{name} vanished while being checked")
        self._check(got, f"check of the existing {name}")
        if hashlib.sha256(got.body).digest() != hashlib.sha256(data).digest():
            raise DeliveryError(f"{name} exists in the inbox with other content", permanent=True)

    def _forget(self, temp: str, clock: Deadline, context: ssl.SSLContext | None) -> None:
        """Best effort: remove a temporary upload, if time is left for it."""
        with suppress(DeliveryError):  # left over, it is a hidden *.part file
            self._request("DELETE", temp, clock, context)

    def _check(self, reply: _Reply, what: str) -> None:
        if 200 <= reply.status < 300:
            return
        retryable = reply.status in _RETRYABLE or reply.status >= 500
        raise DeliveryError(
            f"{what} answered {reply.status} {reply.reason}",
            permanent=not retryable,
            retry_after=reply.retry_after if retryable else None,
        )

    def _request(
        self,
        method: str,
        path: str,
        clock: Deadline,
        context: ssl.SSLContext | None,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        limit: int = _CHUNK,
    ) -> _Reply:
        """One request on its own connection; reads at most ``limit`` bytes of the answer."""
        timeout = clock.remaining(f"{method} {self.host}")
        conn: http.client.HTTPConnection
        if context is not None:
            conn = http.client.HTTPSConnection(
                self.host, self.port, timeout=timeout, context=context
            )
        else:
            conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        # http.client drops conn.sock when an answer says "Connection: close", while the
        # answer still reads from it: keep our own hold on the socket for the watchdog.
        held: list[socket.socket] = []
        try:
            with clock.watch(lambda: held[0] if held else conn.sock):
                conn.connect()
                held.append(conn.sock)
                conn.request(method, path, body=body, headers=headers or {})
                answer = conn.getresponse()
                content = self._read(held[0], answer, clock, limit)
            if clock.fired:
                # A cut socket reads like a clean end to http.client: an answer that was
                # cut short may look complete (a truncated body, half the headers).
                raise DeliveryError(f"{self.host} too slow: deadline passed")
            reason = re.sub(r"[^\x20-\x7e]", "?", answer.reason)[:60]
            return _Reply(
                answer.status, reason, retry_after(answer.getheader("Retry-After")), content
            )
        except ssl.SSLCertVerificationError as err:
            # Retryable, as in httpio: the document is fine; once the server's certificate
            # is fixed it goes out by itself. last_error tells staff meanwhile.
            raise DeliveryError(
                f"TLS certificate of {self.host} not trusted: {err.verify_message}"
            ) from err
        except (OSError, http.client.HTTPException) as err:
            if clock.fired:
                raise DeliveryError(f"{self.host} too slow: deadline passed") from err
            raise DeliveryError(f"{method} to {self.host} failed: {err!r}") from err
        finally:
            conn.close()

    @staticmethod
    def _read(
        sock: socket.socket, answer: http.client.HTTPResponse, clock: Deadline, limit: int
    ) -> bytes:
        """Read in chunks, checking the clock: read1() returns after one recv() each."""
        content = bytearray()
        while len(content) < limit:
            sock.settimeout(clock.remaining("the rest of the answer"))
            chunk = answer.read1(min(_CHUNK, limit - len(content)))
            if not chunk:
                break
            content += chunk
        return bytes(content)
