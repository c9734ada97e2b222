"""Whether an inbox URL can ever work: one rule for routing tables, --inbox and delivery.

Messages are for staff: short, saying what to do, and never repeating the URL (it may
hold credentials, the one thing that must not end up in a log).
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import SplitResult, unquote, urlsplit

from msgspec import Struct

INBOX_SCHEMES = ("file", "https", "webdav", "webdavs", "smtp")


class InboxPolicy(Struct, frozen=True):
    """What [delivery] allows beyond the safe defaults. (A Struct, and no channel imported
    here: the configuration's check loads this module before the first paint.)"""

    allow_plaintext_webdav: bool = False
    allow_plaintext_smtp: bool = False  # STARTTLS is checked when delivering, not here


STRICT = InboxPolicy()

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_ATOM = r"[A-Za-z0-9_+=-]+"
# One plain addr-spec, deliberately narrower than RFC 5322: no quoting, no comments, no
# display names, no separators, nothing a header or an SMTP command could be split on.
_ADDRESS = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@{_LABEL}(?:\.{_LABEL})*")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_NETLOC = re.compile(r"(\[[^\]]*\]|[^\[\]:]*)(?::([^:]*))?")
# Host names as resolvers take them: ASCII labels (underscores occur in office networks).
_HOST_LABEL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?")
_PRINTABLE_PATH = re.compile(r"/[\x21-\x7e]*")  # what an HTTP request line can carry
_PRINTABLE = re.compile(r"[\x21-\x7e]*")
_FILE_EXAMPLE = "file:///srv/scans/team-12/"


def is_plain_address(text: object) -> bool:
    """One plain e-mail address, safe in a header and an SMTP command."""
    return (
        isinstance(text, str)
        and len(text) <= 254
        and _ADDRESS.fullmatch(text) is not None
        and len(text.split("@")[0]) <= 64
    )


def plain_address(text: str, what: str) -> str:
    """``text`` if it is one plain e-mail address; else a permanent DeliveryError."""
    from kiosk.services.channels.base import DeliveryError

    if not is_plain_address(text):
        raise DeliveryError(f"{what} is not one plain e-mail address", permanent=True)
    return text


def inbox_problem(url: object, policy: InboxPolicy = STRICT) -> str | None:
    """Why this inbox URL can never work, or None. Never raises."""
    try:
        return _inbox_problem(url, policy)
    except (ValueError, TypeError, UnicodeError):  # a safety net: the checks above expect none
        return "is not a usable URL"


def https_url_problem(url: object) -> str | None:
    """Why this is not a usable https:// endpoint (routing sync, token lookup), or None."""
    try:
        problem = _common_problem(url)
        if problem is not None:
            return problem
        assert isinstance(url, str)
        if _scheme(url) != "https":
            return "must be an https:// URL"
        parts, problem = _split(url)
        return problem or _https_problem(parts)
    except (ValueError, TypeError, UnicodeError):
        return "is not a usable URL"


def _inbox_problem(url: object, policy: InboxPolicy) -> str | None:
    problem = _common_problem(url)
    if problem is not None:
        return problem
    assert isinstance(url, str)
    scheme = _scheme(url)
    if scheme is None:
        return f"is not a URL: write scheme://..., e.g. {_FILE_EXAMPLE}"
    if scheme.lower() == "http":
        return "plain http without TLS is refused: use https://"
    if scheme not in INBOX_SCHEMES:
        if scheme.lower() in INBOX_SCHEMES:
            return f"write the scheme in lower case ({scheme.lower()}://)"
        return f"scheme must be one of {', '.join(INBOX_SCHEMES)} (http without TLS is refused)"
    parts, problem = _split(url)
    if problem is not None:
        return problem
    if scheme == "file":
        return _file_problem(parts)
    if scheme == "https":
        return _https_problem(parts)
    if scheme == "smtp":
        return _smtp_problem(parts)
    return _webdav_problem(parts, policy)


def _common_problem(url: object) -> str | None:
    if not isinstance(url, str) or not url:
        return "must be a URL string"
    if _CONTROL.search(url):
        return "must not contain control characters (line breaks, tabs)"
    if url != url.strip():
        return "must not start or end with spaces"
    return None


def _scheme(url: str) -> str | None:
    found = _SCHEME.match(url)
    return found.group(1) if found else None


def _split(url: str) -> tuple[SplitResult, str | None]:
    try:
        parts = urlsplit(url)
    except ValueError:
        return SplitResult("", "", "", "", ""), (
            "host is not valid (an IPv6 address needs both brackets: [2001:db8::1])"
        )
    if "@" in parts.netloc:
        return parts, (
            "credentials in the URL are refused (they end up in logs): remove user:password@"
        )
    return parts, None


def _host_problem(netloc: str) -> str | None:
    found = _NETLOC.fullmatch(netloc)
    if found is None:
        return "host is not valid (an IPv6 address needs both brackets: [2001:db8::1])"
    host, port = found.groups()
    if not host or host == "[]":
        return "needs a host name"
    if host.startswith("["):
        try:
            ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            return "the IPv6 address in brackets is not valid"
    else:
        name = host.removesuffix(".")
        labels = name.split(".")
        if len(name) > 253 or not all(_HOST_LABEL.fullmatch(label) for label in labels):
            return "host name is not valid (ASCII letters, digits, - and . only)"
        if all(label.isdigit() for label in labels):
            try:
                ipaddress.IPv4Address(name)
            except ValueError:
                return "host is not a valid IPv4 address"
    if port and not (
        port.isascii() and port.isdigit() and len(port) <= 5 and 1 <= int(port) <= 65535
    ):
        return "port must be a number from 1 to 65535"
    return None


def _https_problem(parts: SplitResult) -> str | None:
    problem = _host_problem(parts.netloc)
    if problem is not None:
        return problem
    if not _PRINTABLE_PATH.fullmatch(parts.path or "/") or not _PRINTABLE.fullmatch(parts.query):
        return "path must be printable ASCII (percent-encode other characters)"
    return None


def _webdav_problem(parts: SplitResult, policy: InboxPolicy) -> str | None:
    problem = _host_problem(parts.netloc)
    if problem is not None:
        return problem
    if not _PRINTABLE_PATH.fullmatch(parts.path or "/"):
        return "WebDAV path must be printable ASCII (percent-encoded)"
    if parts.query or parts.fragment:
        return "WebDAV inbox URLs take no query or fragment"
    if parts.scheme == "webdav" and not policy.allow_plaintext_webdav:
        return (
            "webdav:// sends social data unencrypted; use webdavs:// "
            "(or set [delivery] allow_plaintext_webdav for a trusted segment)"
        )
    return None


def _smtp_problem(parts: SplitResult) -> str | None:
    problem = _host_problem(parts.netloc)
    if problem is not None:
        return problem
    if parts.query or parts.fragment:
        return "SMTP inbox URLs take no query or fragment"
    recipient = unquote(parts.path.removeprefix("/"))
    if not recipient:
        return "needs a recipient: smtp://relay.example/team-12@jobcenter.example"
    if not is_plain_address(recipient):
        return "the recipient is not one plain e-mail address"
    return None


def _file_problem(parts: SplitResult) -> str | None:
    if parts.netloc not in ("", "localhost") or not parts.path.startswith("/"):
        return f"a file:// inbox needs an absolute path, e.g. {_FILE_EXAMPLE}"
    if parts.query or parts.fragment:
        return "a file:// inbox takes no query or fragment (write ? and # as %3F and %23)"
    path = unquote(parts.path)
    if "\x00" in path:
        return "a file:// inbox path must not contain NUL (%00)"
    segments = path.split("/")
    if ".." in segments:
        return "a file:// inbox path must not contain .. segments"
    if all(segment in ("", ".") for segment in segments):
        return f"a file:// inbox cannot be / itself: name its folder, e.g. {_FILE_EXAMPLE}"
    return None
