"""Delivery channels: one module per inbox URL scheme, chosen by ``channel_for``.

A channel hands one parcel over exactly once per call, within a total deadline for the
attempt (not only socket timeouts), and says whether a failure is worth retrying.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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


_FROM_BASE = frozenset(__all__) - {"channel_for"}


def __getattr__(name: str) -> Any:
    """The records of channels.base, loaded when first asked for: the configuration's check
    imports channels.address (this package first) before the kiosk's first paint, and needs
    none of them."""
    if name in _FROM_BASE:
        from kiosk.services.channels import base

        return getattr(base, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def channel_for(url: str, settings: ChannelSettings | None = None) -> Channel:
    """The channel for an inbox URL; a URL that can never work is a permanent DeliveryError,
    by the same rule that ``kiosk config check`` applies (channels.address)."""
    from urllib.parse import urlsplit

    from kiosk.services.channels.address import InboxPolicy, inbox_problem
    from kiosk.services.channels.base import ChannelSettings, DeliveryError

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
