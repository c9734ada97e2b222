"""inbox_problem: the one rule for inbox URLs (routing tables, --inbox, delivery)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.services.channels import ChannelSettings, DeliveryError, channel_for
from kiosk.services.channels.address import (
    InboxPolicy,
    https_url_problem,
    inbox_problem,
    is_plain_address,
)

ACCEPTED = [
    "file:///srv/scans/team-12/",
    "file://localhost/srv/scans/team-12/",
    "file:/srv/scans/team-12",
    "file:///srv/scans/team%2012/",  # percent-encoded space
    "file:///srv/scans/Team 12/",  # a plain space is a folder name like any other
    "https://dms.local/api/inbox/12",
    "https://dms.local:8443/api/inbox/12?team=12",
    "https://dms.local",
    "https://dms.local:/api",  # an empty port means the default
    "https://127.0.0.1/in",
    "https://[::1]:8443/in",
    "https://[2001:db8::1]/in",
    "https://dms_01.jobcenter.local./in",  # underscores and a final dot resolve in practice
    "webdavs://dms.local/dav/team-12/",
    "webdavs://dms.local:443/dav/team%2012/",
    "smtp://relay.local/team-12@jobcenter.example",
    "smtp://relay.local:587/team-12@jobcenter.example",
]

REFUSED = [
    # (url, words in the message)
    (None, "URL string"),
    (12, "URL string"),
    ("", "URL string"),
    ("http://dms.local/in", "http without TLS"),
    ("HTTP://dms.local/in", "http without TLS"),
    ("HTTPS://dms.local/in", "lower case"),
    ("ftp://dms.local/in", "scheme must be one of"),
    ("dms.local/in", "not a URL"),
    ("/srv/scans/team-12/", "not a URL"),
    (" https://dms.local/in", "spaces"),
    ("https://dms.local/in ", "spaces"),
    ("https://dms.local/in\r\nX-Evil: 1", "control characters"),
    ("file:///srv/scans/\x00/", "control characters"),
    ("https:///in", "needs a host"),
    ("https://:443/in", "needs a host"),
    ("smtp://", "needs a host"),
    ("https://[::1/x", "IPv6"),
    ("https://[::1]x/", "host is not valid"),
    ("https://[zz::1]/", "IPv6"),
    ("https://::1/", "host is not valid"),
    ("https://dms..local/", "host name"),
    ("https://dms local/", "host name"),
    ("https://dmß.local/", "host name"),
    ("https://-dms.local/", "host name"),
    ("https://999.1.1.1/", "IPv4"),
    ("https://dms.local:99999/", "port"),
    ("https://dms.local:0/", "port"),
    ("https://dms.local:abc/", "port"),
    ("https://dms.local:" + "9" * 5000 + "/", "port"),
    ("https://dms.local:44 3/", "port"),
    ("https://dms.local/ä", "printable ASCII"),
    ("https://dms.local/a b", "printable ASCII"),
    ("webdav://dms.local/dav/", "unencrypted"),
    ("webdavs://dms.local/dav/ü/", "printable ASCII"),
    ("webdavs://dms.local/dav/?x=1", "query or fragment"),
    ("webdavs://dms.local/dav/#top", "query or fragment"),
    ("webdavs://dms.local:70000/dav/", "port"),
    ("smtp://relay.local/", "needs a recipient"),
    ("smtp://relay.local", "needs a recipient"),
    ("smtp://relay.local/Team <a@b.c>", "recipient"),
    ("smtp://relay.local/a@b.c%0d%0aBcc:x@y", "recipient"),
    ("smtp://relay.local/a@b.c,x@y.z", "recipient"),
    ("smtp://relay.local/a@b.c?cc=x@y.z", "query or fragment"),
    ("file://server/share/in/", "absolute path"),
    ("file://relative/path", "absolute path"),
    ("file:relative/path", "absolute path"),
    ("file:///", "cannot be / itself"),
    ("file:////./", "cannot be / itself"),
    ("file:///srv/../etc/", ".. segments"),
    ("file:///srv/%2E%2E/etc/", ".. segments"),
    ("file:///srv/a%2F..%2Fb/", ".. segments"),
    ("file:///srv/in%00/", "NUL"),
    ("file:///srv/in/?x", "query or fragment"),
]

CREDENTIALS = [
    "https://scan:s3cret@dms.local/in",
    "https://s3cret@dms.local/in",
    "webdavs://scan:s3cret@dms.local/dav/",
    "webdav://scan:s3cret@dms.local/dav/",
    "smtp://scan:s3cret@relay.local/team@jobcenter.example",
    "file://scan:s3cret@localhost/srv/in/",
    "https://scan:s3cret@[::1/x",  # broken and with credentials: still not echoed
    "https://scan:s3cret@dms.local:99999/in",
]


@pytest.mark.parametrize("url", ACCEPTED)
def test_usable_inbox_urls_pass(url: str) -> None:
    assert inbox_problem(url) is None
    channel_for(url)  # and a channel takes them


@pytest.mark.parametrize(("url", "words"), REFUSED, ids=[repr(r[0])[:40] for r in REFUSED])
def test_unusable_inbox_urls_say_why(url: object, words: str) -> None:
    problem = inbox_problem(url)
    assert problem is not None and words in problem


@pytest.mark.parametrize("url", CREDENTIALS)
def test_credentials_are_refused_and_never_repeated(url: str) -> None:
    problem = inbox_problem(url, InboxPolicy(allow_plaintext_webdav=True))
    assert problem is not None and "s3cret" not in problem and "scan" not in problem
    with pytest.raises(DeliveryError) as caught:
        channel_for(url)
    assert caught.value.permanent and "s3cret" not in str(caught.value)


def test_plain_webdav_only_when_the_policy_allows_it() -> None:
    url = "webdav://dms.local/dav/team-12/"
    assert inbox_problem(url) is not None
    assert inbox_problem(url, InboxPolicy(allow_plaintext_webdav=True)) is None
    assert inbox_problem(url, InboxPolicy(allow_plaintext_smtp=True)) is not None


@pytest.mark.parametrize(("url", "words"), REFUSED[3:], ids=[repr(r[0])[:40] for r in REFUSED[3:]])
def test_delivery_refuses_by_the_same_rule(url: str, words: str) -> None:
    with pytest.raises(DeliveryError) as caught:
        channel_for(url, ChannelSettings())
    assert caught.value.permanent and words in str(caught.value)


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("https://fachverfahren.local/kiosk/routing.toml", None),
        ("https://[::1]:8443/lookup", None),
        ("http://fachverfahren.local/routing.toml", "https://"),
        ("file:///srv/routing.toml", "https://"),
        ("https:///routing.toml", "host"),
        ("https://fachverfahren.local:99999/", "port"),
        ("https://u:s3cret@fachverfahren.local/", "credentials"),
        ("https://[::1/x", "IPv6"),
        (5, "URL string"),
    ],
)
def test_https_endpoints(url: object, words: str | None) -> None:
    problem = https_url_problem(url)
    if words is None:
        assert problem is None
    else:
        assert problem is not None and words in problem and "s3cret" not in problem


@pytest.mark.parametrize(
    ("address", "ok"),
    [
        ("team-12@jobcenter.example", True),
        ("a.b+c@x.y", True),
        ("kiosk@a.b\r\nBcc: x@y.z", False),
        ("Team <a@b.c>", False),
        ("a@b.c,x@y.z", False),
        ("a" * 65 + "@b.c", False),
        ("", False),
        (None, False),
    ],
)
def test_plain_addresses(address: object, ok: bool) -> None:
    assert is_plain_address(address) is ok


URLISH = st.builds(
    lambda scheme, sep, user, host, port, path: f"{scheme}{sep}{user}{host}{port}{path}",
    st.sampled_from(["file", "https", "webdav", "webdavs", "smtp", "http", "HTTPS", "x", ""]),
    st.sampled_from(["://", ":", ":///", "//", ""]),
    st.sampled_from(["", "u@", "u:s3cret@", "@", ":@"]),
    st.one_of(
        st.sampled_from(["dms.local", "[::1", "[::1]", "[zz]", "", "127.0.0.1", "a..b", "[]"]),
        st.text(max_size=12),
    ),
    st.one_of(
        st.sampled_from(["", ":", ":0", ":443", ":99999", ":abc", ":-1"]), st.text(max_size=6)
    ),
    st.text(max_size=30),
)


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(url=st.one_of(URLISH, st.text(max_size=60)), webdav=st.booleans())
def test_inbox_problem_never_raises_and_never_echoes_credentials(url: str, webdav: bool) -> None:
    problem = inbox_problem(url, InboxPolicy(allow_plaintext_webdav=webdav))
    assert problem is None or (isinstance(problem, str) and "s3cret" not in problem)
    endpoint = https_url_problem(url)
    assert endpoint is None or "s3cret" not in endpoint
    if problem is None:  # what passes is something a channel can be built for
        assert "s3cret" not in url
        channel_for(url, ChannelSettings(allow_plaintext_webdav=webdav))
