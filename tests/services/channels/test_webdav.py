"""The webdav(s):// channel against wsgidav, a scripted HTTP server and a drip server."""

from __future__ import annotations

import hashlib
import json
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from kiosk.services.channels import ChannelSettings, DeliveryError, TlsSettings, channel_for
from tests.services.channels.servers import (
    CASE,
    PDF,
    closed_port,
    dav_server,
    drip_server,
    sample_parcel,
    scripted_http,
)
from tests.tlsutil import Pki

PLAIN = ChannelSettings(allow_plaintext_webdav=True)
STEM = "20261121-093000_K7M-4QX-9TB_sick"


def soon(seconds: float = 10.0) -> float:
    return time.monotonic() + seconds


def names(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir())  # hidden *.part files included


def deliver_plain(port: int, pdf: bytes = PDF) -> str:
    return channel_for(f"webdav://127.0.0.1:{port}/team-12/", PLAIN).deliver(
        sample_parcel(pdf), soon()
    )


# -- against wsgidav -----------------------------------------------------------------


def test_pdf_then_sidecar_land_under_their_final_names_with_exact_bytes(
    dav_root: Path, dav_port: int
) -> None:
    where = deliver_plain(dav_port)
    assert where == f"webdav://127.0.0.1:{dav_port}/team-12/{STEM}.pdf"
    assert names(dav_root) == [f"{STEM}.json", f"{STEM}.pdf"]  # no .part leftovers
    assert (dav_root / f"{STEM}.pdf").read_bytes() == PDF
    sidecar = json.loads((dav_root / f"{STEM}.json").read_bytes())
    assert sidecar["case_number"] == CASE and sidecar["pdf_file"] == f"{STEM}.pdf"
    assert sidecar["sha256"] == hashlib.sha256(PDF).hexdigest() and sidecar["bytes"] == len(PDF)


def test_delivering_the_same_parcel_again_keeps_one_copy(dav_root: Path, dav_port: int) -> None:
    deliver_plain(dav_port)
    deliver_plain(dav_port)  # a retry after a crash or a lost answer
    assert names(dav_root) == [f"{STEM}.json", f"{STEM}.pdf"]
    assert (dav_root / f"{STEM}.pdf").read_bytes() == PDF


def test_other_content_under_the_same_name_is_permanent_and_left_alone(
    dav_root: Path, dav_port: int
) -> None:
    deliver_plain(dav_port)
    with pytest.raises(DeliveryError, match="other content") as caught:
        deliver_plain(dav_port, PDF + b"changed")
    assert caught.value.permanent
    assert (dav_root / f"{STEM}.pdf").read_bytes() == PDF
    assert names(dav_root) == [f"{STEM}.json", f"{STEM}.pdf"]  # the temp file was removed


def test_plaintext_is_refused_without_the_flag(dav_root: Path, dav_port: int) -> None:
    with pytest.raises(DeliveryError, match="unencrypted") as caught:
        channel_for(f"webdav://127.0.0.1:{dav_port}/team-12/").deliver(sample_parcel(), soon())
    assert caught.value.permanent and names(dav_root) == []


def test_credentials_in_the_url_are_refused_and_not_repeated() -> None:
    with pytest.raises(DeliveryError) as caught:
        channel_for("webdavs://scan:s3cret@dms.local/dav/team-12/")
    assert caught.value.permanent and "s3cret" not in str(caught.value)


@pytest.mark.parametrize(
    "cert,trust,ok",
    [
        ("server", True, True),
        ("server", False, False),  # the system store does not know the private CA
        ("expired", True, False),
        ("foreign", True, False),
    ],
)
def test_webdavs_verifies_the_server(
    tmp_path: Path, pki: Pki, cert: str, trust: bool, ok: bool
) -> None:
    tls = TlsSettings(ca_bundle=pki.ca_cert if trust else None)
    pem: Path = getattr(pki, f"{cert}_cert")
    with dav_server(tmp_path, pem, pem.with_suffix(".key")) as port:
        channel = channel_for(f"webdavs://localhost:{port}/", ChannelSettings(tls=tls))
        if ok:
            assert channel.deliver(sample_parcel(), soon()).startswith("webdavs://localhost")
            assert (tmp_path / f"{STEM}.pdf").read_bytes() == PDF
        else:
            with pytest.raises(DeliveryError, match="certificate") as caught:
                channel.deliver(sample_parcel(), soon())
            assert not caught.value.permanent  # fixable on the server; then it goes out
            assert names(tmp_path) == []


def test_webdavs_presents_the_client_certificate(tmp_path: Path, pki: Pki) -> None:
    mtls = TlsSettings(pki.ca_cert, pki.client_cert, pki.client_key)
    url = "webdavs://127.0.0.1:{}/"
    with dav_server(tmp_path, pki.server_cert, pki.server_key, client_ca=pki.ca_cert) as port:
        with pytest.raises(DeliveryError):
            tls = TlsSettings(pki.ca_cert)
            channel_for(url.format(port), ChannelSettings(tls=tls)).deliver(sample_parcel(), soon())
        channel_for(url.format(port), ChannelSettings(tls=mtls)).deliver(sample_parcel(), soon())
    assert names(tmp_path) == [f"{STEM}.json", f"{STEM}.pdf"]


# -- answers and failures, scripted --------------------------------------------------


@pytest.mark.parametrize(
    "status,headers,permanent,wait",
    [
        (503, {"Retry-After": "7"}, False, 7.0),
        (429, {"Retry-After": "HTTP-date in 120 s"}, False, 120.0),
        (500, {}, False, None),
        (408, {}, False, None),
        (401, {}, True, None),
        (403, {}, True, None),
        (404, {}, True, None),
        (405, {}, True, None),
        (409, {}, True, None),  # the collection does not exist
        (413, {}, True, None),
        (301, {"Location": "/elsewhere/"}, True, None),
    ],
)
def test_put_answers_map_to_retry_or_give_up(
    status: int, headers: dict[str, str], permanent: bool, wait: float | None
) -> None:
    if headers.get("Retry-After", "").startswith("HTTP-date"):
        later = datetime.now(UTC) + timedelta(seconds=120)
        headers = {"Retry-After": format_datetime(later, usegmt=True)}
    with scripted_http({"PUT": (status, headers), "DELETE": (204, {})}) as server:
        url = f"webdav://127.0.0.1:{server.port}/team-12/"
        with pytest.raises(DeliveryError, match=str(status)) as caught:
            channel_for(url, PLAIN).deliver(sample_parcel(), soon())
    assert caught.value.permanent is permanent
    if wait is None:
        assert caught.value.retry_after is None
    else:
        assert caught.value.retry_after == pytest.approx(wait, abs=5)
    methods = [method for method, _, _ in server.seen]
    assert methods == ["PUT", "DELETE"]  # the half-written temp file is cleaned up
    assert server.seen[0][1] == server.seen[1][1]


def test_a_failed_move_removes_the_temp_file_and_no_index_data_leaves_in_headers() -> None:
    answers: dict[str, tuple[int, dict[str, str]]] = {
        "PUT": (201, {}),
        "MOVE": (502, {}),
        "DELETE": (204, {}),
    }
    with scripted_http(answers) as server:
        url = f"webdav://127.0.0.1:{server.port}/team-12/"
        with pytest.raises(DeliveryError, match="502") as caught:
            channel_for(url, PLAIN).deliver(sample_parcel(), soon())
    assert not caught.value.permanent
    (put, put_path, _), (move, move_path, move_headers), (delete, delete_path, _) = server.seen
    assert (put, move, delete) == ("PUT", "MOVE", "DELETE")
    assert put_path == move_path == delete_path
    assert put_path.startswith(f"/team-12/.{STEM}.pdf.") and put_path.endswith(".part")
    assert move_headers["Destination"] == f"http://127.0.0.1:{server.port}/team-12/{STEM}.pdf"
    assert move_headers["Overwrite"] == "F"
    sent = str(server.seen)
    assert CASE not in sent and "Vermittlung" not in sent and "2026-11-21T" not in sent


@pytest.mark.parametrize("stem", ["../evil", "a/b", "x\r\nHost: y", ".hidden", "", "a..b"])
def test_unsafe_file_stems_are_refused_before_any_request(stem: str) -> None:
    with scripted_http({}) as server:
        channel = channel_for(f"webdav://127.0.0.1:{server.port}/", PLAIN)
        with pytest.raises(DeliveryError, match="unsafe") as caught:
            channel.deliver(sample_parcel(stem=stem), soon())
    assert caught.value.permanent and server.seen == []


def test_an_unreachable_server_is_worth_a_retry() -> None:
    url = f"webdav://127.0.0.1:{closed_port()}/team-12/"
    with pytest.raises(DeliveryError) as caught:
        channel_for(url, PLAIN).deliver(sample_parcel(), soon())
    assert not caught.value.permanent


def test_a_passed_deadline_sends_nothing() -> None:
    with scripted_http({"PUT": (201, {}), "MOVE": (201, {})}) as server:
        channel = channel_for(f"webdav://127.0.0.1:{server.port}/", PLAIN)
        with pytest.raises(DeliveryError, match="deadline"):
            channel.deliver(sample_parcel(), time.monotonic() - 1)
    assert server.seen == []


@pytest.mark.parametrize(
    "prefix",
    [
        b"HTTP/1.1 201 Created\r\nContent-Length: 100000\r\n\r\n",  # a slow body
        b"HTTP/1.0 201 Created\r\nConnection: close\r\nContent-Length: 100000\r\n\r\n",
        b"HTTP/1.1 201 Created\r\nX-Slow: ",  # slow headers: socket timeouts never fire
    ],
    ids=["body", "body-connection-close", "headers"],
)
def test_a_dripping_server_cannot_hold_the_attempt_past_its_deadline(prefix: bytes) -> None:
    with drip_server(prefix) as port:
        channel = channel_for(f"webdav://127.0.0.1:{port}/", PLAIN)
        started = time.monotonic()
        with pytest.raises(DeliveryError) as caught:
            channel.deliver(sample_parcel(), started + 1.5)
        elapsed = time.monotonic() - started
    assert not caught.value.permanent
    assert elapsed < 1.5 + 0.5


def test_an_existing_file_cut_short_by_the_deadline_is_not_taken_for_other_content() -> None:
    small = b"%PDF-1.4 small"
    with drip_server(
        b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n",  # PUT
        b"HTTP/1.1 412 Precondition Failed\r\nContent-Length: 0\r\n\r\n",  # MOVE
        f"HTTP/1.1 200 OK\r\nContent-Length: {len(small)}\r\n\r\n%PDF".encode(),  # GET
    ) as port:
        channel = channel_for(f"webdav://127.0.0.1:{port}/", PLAIN)
        with pytest.raises(DeliveryError) as caught:
            channel.deliver(sample_parcel(small), time.monotonic() + 1.5)
    assert not caught.value.permanent  # unknown, not "other content": try again later
