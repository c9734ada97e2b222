"""webdav:// and webdavs:// inboxes: PUT to a hidden temporary name, then MOVE into place."""

from __future__ import annotations

import hashlib
import re
import secrets
import ssl
from contextlib import suppress
from urllib.parse import quote, urlsplit

from kiosk.services.channels.base import (
    ChannelSettings,
    DeliveryError,
    Parcel,
    sidecar_json,
)
from kiosk.services.channels.httpio import (
    Answer,
    Deadline,
    exchange,
    retry_after,
    safe_stem,
    tls_context,
)

_RETRYABLE = {408, 425, 429}
_CHUNK = 64 * 1024

# -- the channel --------------------------------------------------------------------


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

    def _check(self, reply: Answer, what: str) -> None:
        if 200 <= reply.status < 300:
            return
        retryable = reply.status in _RETRYABLE or reply.status >= 500
        raise DeliveryError(
            f"{what} answered {reply.status} {reply.reason}",
            permanent=not retryable,
            retry_after=retry_after(reply.headers.get("retry-after")) if retryable else None,
        )

    def _request(
        self,
        method: str,
        path: str,
        clock: Deadline,
        context: ssl.SSLContext | None,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
        limit: int = _CHUNK,
    ) -> Answer:
        """One request on its own connection (httpio: the attempt's deadline holds)."""
        clock.remaining(f"{method} {self.host}")  # no time left: a retryable error now
        return exchange(
            self._origin + path,
            method,
            body=body,
            headers=headers,
            deadline=clock.at,
            context=context,
            limit=limit,
        )
