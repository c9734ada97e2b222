"""https:// inboxes: an upload with an Idempotency-Key, as multipart or as PUTs."""

from __future__ import annotations

import secrets

from kiosk.services.channels.base import ChannelSettings, DeliveryError, Parcel, sidecar_json
from kiosk.services.channels.httpio import check_url, exchange, failure, tls_context


class HttpsChannel:
    def __init__(self, url: str, settings: ChannelSettings) -> None:
        check_url(url)
        if not url.startswith("https://"):
            raise DeliveryError(f"not an https URL: {url}", permanent=True)
        if settings.https_request not in ("multipart", "put"):
            raise DeliveryError(f"unknown request shape {settings.https_request!r}", permanent=True)
        self.url = url
        self.settings = settings
        self.context = tls_context(settings.tls)

    def _headers(self, key: str) -> dict[str, str]:
        headers = {"Idempotency-Key": key}
        if self.settings.bearer_token:
            headers["Authorization"] = f"Bearer {self.settings.bearer_token}"
        return headers

    def deliver(self, parcel: Parcel, deadline: float) -> str:
        index = sidecar_json(parcel)
        if self.settings.https_request == "put":
            base = self.url.rstrip("/") + "/" + parcel.file_stem
            for suffix, body, kind in (
                (".pdf", parcel.pdf, "application/pdf"),
                (".json", index, "application/json"),
            ):
                answer = exchange(
                    base + suffix,
                    "PUT",
                    body=body,
                    deadline=deadline,
                    context=self.context,
                    headers={**self._headers(parcel.document_id + suffix), "Content-Type": kind},
                )
                if (error := failure(answer, f"PUT {parcel.file_stem}{suffix}")) is not None:
                    raise error
            return base + ".pdf"
        boundary = "kiosk-" + secrets.token_hex(12)
        body = _multipart(
            boundary,
            [
                ("metadata", f"{parcel.file_stem}.json", "application/json", index),
                ("file", f"{parcel.file_stem}.pdf", "application/pdf", parcel.pdf),
            ],
        )
        headers = {
            **self._headers(parcel.document_id),
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        }
        answer = exchange(
            self.url, "POST", body=body, headers=headers, deadline=deadline, context=self.context
        )
        if (error := failure(answer, "upload")) is not None:
            raise error
        return answer.headers.get("location") or self.url


def _multipart(boundary: str, parts: list[tuple[str, str, str, bytes]]) -> bytes:
    chunks = []
    for name, filename, kind, data in parts:
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {kind}\r\n\r\n'.encode()
            + data
            + b"\r\n"
        )
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks)
