"""Delivery channels: one module per inbox URL scheme, chosen by ``channel_for``.

A channel hands one parcel over exactly once per call, within a total deadline for the
attempt (not only socket timeouts), and says whether a failure is worth retrying.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from kiosk.services.channels.base import (
    SIDECAR_SCHEMA,
    Channel,
    ChannelSettings,
    DeliveryError,
    Parcel,
    TlsSettings,
    sidecar,
    sidecar_json,
)

__all__ = [
    "SIDECAR_SCHEMA",
    "Channel",
    "ChannelSettings",
    "DeliveryError",
    "Parcel",
    "TlsSettings",
    "channel_for",
    "sidecar",
    "sidecar_json",
]


def channel_for(url: str, settings: ChannelSettings | None = None) -> Channel:
    """The channel for an inbox URL; a URL that can never work is a permanent DeliveryError,
    by the same rule that ``kiosk config check`` applies (channels.address)."""
    from kiosk.services.channels.address import InboxPolicy, inbox_problem

    settings = settings or ChannelSettings()
    policy = InboxPolicy(settings.allow_plaintext_webdav, settings.allow_plaintext_smtp)
    problem = inbox_problem(url, policy)
    if problem is not None:
        raise DeliveryError(f"inbox URL: {problem}", permanent=True)
    scheme = urlsplit(url).scheme
    if scheme == "file":
        from kiosk.services.channels.folder import FolderChannel

        return FolderChannel(url)
    if scheme == "https":
        from kiosk.services.channels.https import HttpsChannel

        return HttpsChannel(url, settings)
    if scheme in ("webdav", "webdavs"):
        from kiosk.services.channels.webdav import WebDavChannel

        webdav: Channel = WebDavChannel(url, settings)
        return webdav
    if scheme == "smtp":
        from kiosk.services.channels.smtp import SmtpChannel

        smtp: Channel = SmtpChannel(url, settings)
        return smtp
    raise DeliveryError(f"no channel for {scheme}:// inboxes", permanent=True)
