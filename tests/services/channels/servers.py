"""Real servers on 127.0.0.1 for the channel tests: WebDAV, scripted HTTP, drip, SMTP."""

from __future__ import annotations

import asyncio
import os
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from cheroot import wsgi
from cheroot.ssl.builtin import BuiltinSSLAdapter
from wsgidav.wsgidav_app import WsgiDAVApp

from kiosk.services.channels import Parcel


def wait_listening(port: int, limit: float = 10.0) -> None:
    """Bounded poll until something accepts connections on 127.0.0.1:port."""
    end = time.monotonic() + limit
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1.0).close()
            return
        except OSError:
            if time.monotonic() > end:
                raise
            threading.Event().wait(0.02)


def closed_port() -> int:
    """A port nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


PDF = b"%PDF-1.4\n" + os.urandom(1_500_000) + b"\n%%EOF\n"  # > 1 MiB: several chunks
CASE = "12345BG0012345"


def sample_parcel(pdf: bytes = PDF, stem: str = "20261121-093000_K7M-4QX-9TB_sick") -> Parcel:
    index = {
        "document_id": "a1b2c3d4e5f6",
        "receipt_id": "K7M-4QX-9TB",
        "case_number": CASE,
        "case_kind": "bg",
        "concern": "sick",
        "concern_title": "Arbeitsunfähigkeit",
        "team": "Vermittlung 3",
        "pages": 2,
        "scanned_at": "2026-11-21T09:30:00+01:00",
        "kiosk_id": "kiosk-7",
    }
    return Parcel("a1b2c3d4e5f6", stem, pdf, index)


# -- WebDAV: wsgidav served by cheroot ---------------------------------------------------


@dataclass
class DavLog:
    """What a WebDAV server answered: (method, path, Destination header, status code)."""

    delay: float = 0.0  # seconds every request waits before it is handled
    answers: list[tuple[str, str, str, int]] = field(default_factory=list)

    def wrap(self, app: Any) -> Any:
        def logged(environ: dict[str, Any], start_response: Any) -> Any:
            if self.delay:
                time.sleep(self.delay)  # a slow inbox server, so kills land mid-delivery

            def start(status: str, headers: Any, *rest: Any) -> Any:
                self.answers.append(
                    (
                        environ["REQUEST_METHOD"],
                        environ.get("PATH_INFO", ""),
                        environ.get("HTTP_DESTINATION", ""),
                        int(status.split()[0]),
                    )
                )
                return start_response(status, headers, *rest)

            return app(environ, start)

        return logged


@contextmanager
def dav_server(
    root: Path,
    cert: Path | None = None,
    key: Path | None = None,
    client_ca: Path | None = None,
    *,
    port: int = 0,
    log: DavLog | None = None,
) -> Iterator[int]:
    """Anonymous read/write WebDAV on ``root``; HTTPS when a certificate is given, and
    client certificates signed by ``client_ca`` required when that is given. ``port``: a
    fixed one (an inbox that comes back where it was); ``log`` records every answer."""
    app: Any = WsgiDAVApp(
        {
            "provider_mapping": {"/": str(root)},
            "simple_dc": {"user_mapping": {"*": True}},
            "http_authenticator": {"domain_controller": None},
            "verbose": 0,
            "logging": {"enable": False},
        }
    )
    if log is not None:
        app = log.wrap(app)
    server = wsgi.Server(("127.0.0.1", port), app, numthreads=4)
    if cert and key:
        adapter = BuiltinSSLAdapter(str(cert), str(key), str(client_ca) if client_ca else None)
        if client_ca:
            adapter.context.verify_mode = ssl.CERT_REQUIRED
        server.ssl_adapter = adapter
    server.prepare()  # binds: bind_addr now holds the real port
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    port = server.bind_addr[1]
    wait_listening(port)
    try:
        yield port
    finally:
        server.stop()
        thread.join(10)


# -- HTTP that answers what a test scripts, and records what it got ----------------------


@dataclass
class Scripted:
    answers: dict[str, tuple[int, dict[str, str]]]  # method -> status, headers
    seen: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    port: int = 0


@contextmanager
def scripted_http(answers: dict[str, tuple[int, dict[str, str]]]) -> Iterator[Scripted]:
    script = Scripted(answers)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def answer(self) -> None:
            size = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(size)
            script.seen.append((self.command, self.path, dict(self.headers.items())))
            status, headers = script.answers.get(self.command, (404, {}))
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_PUT = do_MOVE = do_DELETE = do_GET = answer

        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    script.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield script
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(10)


# -- a server that answers one byte every half second ------------------------------------


@contextmanager
def drip_server(*prefixes: bytes) -> Iterator[int]:
    """Connection i gets ``prefixes[i]`` (the last one from then on) at once, then one
    more byte every 0.5 s, forever."""
    stop = threading.Event()
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)

    def drip(conn: socket.socket, prefix: bytes) -> None:
        with conn:
            try:
                conn.settimeout(0.2)
                with suppress(TimeoutError):
                    conn.recv(65536)  # the request (or nothing, for SMTP)
                conn.sendall(prefix)
                while not stop.wait(0.5):
                    conn.sendall(b"x")
            except OSError:
                return  # the client gave up: that is the point

    def accept() -> None:
        served = 0
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            prefix = prefixes[min(served, len(prefixes) - 1)]
            served += 1
            threading.Thread(target=drip, args=(conn, prefix), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(10)
        listener.close()


# -- SMTP: aiosmtpd ----------------------------------------------------------------------


class Relay(Controller):
    """aiosmtpd on a free port, recording commands and keeping every accepted message."""

    def __init__(self, data_reply: str | None = None, **smtp: Any) -> None:
        self.commands: list[str] = []
        self.messages: list[Envelope] = []
        self.data_reply = data_reply
        super().__init__(self, hostname="127.0.0.1", port=0, **smtp)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.data_reply:
            return self.data_reply
        self.messages.append(envelope)
        return "250 OK"

    def factory(self) -> SMTP:
        relay = self

        class Recording(SMTP):
            async def smtp_MAIL(self, arg: str | None) -> None:
                relay.commands.append("MAIL")
                await super().smtp_MAIL(arg)

        return Recording(self.handler, **self.SMTP_kwargs)

    def _trigger_server(self) -> None:
        # port=0 binds a free port; aiosmtpd's readiness probe needs the real one
        assert isinstance(self.server, asyncio.Server)
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()  # type: ignore[no-untyped-call]


@contextmanager
def smtp_relay(
    cert: Path | None = None, key: Path | None = None, **options: Any
) -> Iterator[Relay]:
    """STARTTLS (required) when a certificate is given, plaintext otherwise."""
    smtp: dict[str, Any] = {}
    if cert and key:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        smtp = {"tls_context": context, "require_starttls": True}
    relay = Relay(**{**smtp, **options})
    relay.start()
    try:
        yield relay
    finally:
        relay.stop()
