"""A small HTTPS inbox for tests: stores uploads by Idempotency-Key, fails on purpose."""

from __future__ import annotations

import hashlib
import json
import socket
import ssl
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

# Modes: "ok", "500", "503" (Retry-After), "400", "reset" (store, then reset the connection
# without answering), "drip" (answer one byte every 0.3 s), "auth" (needs the bearer token),
# "slow" (store and answer as "ok" does, after half a second).
BEARER = "s3cr3t-token"


class Receiver:
    def __init__(self, cert: Path, key: Path, ca: Path | None = None) -> None:
        self.mode = "ok"
        self.stored: dict[str, dict[str, Any]] = {}  # idempotency key -> what arrived
        self.uploads: Counter[str] = Counter()  # idempotency key -> attempts, any outcome
        self.routing: tuple[bytes, str] | None = None  # GET /routing.toml body and ETag
        self.gets: list[dict[str, str]] = []
        self.tokens: dict[str, str] = {}  # for the lookup endpoint
        self.changed = threading.Condition()
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        if ca is not None:  # mTLS: only clients with a certificate from this CA
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(ca)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"https://localhost:{self.server.server_address[1]}/inbox/team-12"

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def attempted(self, key: str) -> None:
        with self.changed:
            self.uploads[key] += 1
            self.changed.notify_all()

    def store(self, key: str, record: dict[str, Any]) -> None:
        with self.changed:
            self.stored.setdefault(key, record)  # a repeated key is not stored again
            self.changed.notify_all()

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 20.0) -> None:
        """Block until an upload makes ``predicate`` true (no polling, no sleeps)."""
        with self.changed:
            if not self.changed.wait_for(predicate, timeout):
                raise TimeoutError("the receiver did not see the expected uploads")


def _multipart(body: bytes, content_type: str) -> dict[str, bytes]:
    boundary = content_type.split("boundary=")[1].encode()
    parts = {}
    for chunk in body.split(b"--" + boundary)[1:-1]:
        head, _, data = chunk.partition(b"\r\n\r\n")
        name = head.split(b'name="')[1].split(b'"')[0].decode()
        parts[name] = data[:-2]  # the CRLF before the next boundary
    return parts


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def _answer(self, status: int, body: bytes = b"", **headers: str) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _upload(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if self.path.endswith("/lookup"):  # card-token lookup endpoint
                case = receiver.tokens.get(json.loads(body).get("token", ""))
                if case is None:
                    return self._answer(404)
                return self._answer(200, json.dumps({"case": case}).encode())
            key = self.headers.get("Idempotency-Key", "")
            receiver.attempted(key)
            mode = receiver.mode
            if mode in ("500", "503", "400"):
                extra = {"Retry_After": "7"} if mode == "503" else {}
                return self._answer(int(mode), b"no", **extra)
            if mode == "slow":
                time.sleep(0.5)  # an attempt that is on the wire for a while
            if mode == "auth" and self.headers.get("Authorization") != f"Bearer {BEARER}":
                return self._answer(401, b"who are you?")
            if self.command == "POST":
                parts = _multipart(body, self.headers["Content-Type"])
                record = {"pdf": parts["file"], "index": json.loads(parts["metadata"])}
            else:
                record = {"path": self.path, "body": body}
            receiver.store(key, record)
            if mode == "reset":  # stored, but the client never hears so
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )
                self.close_connection = True
                self.connection.close()
                return None
            if mode == "drip":
                self.wfile.write(b"HTTP/1.1 201 Created\r\n")
                for _ in range(100):
                    self.wfile.write(b"X")
                    self.wfile.flush()
                    time.sleep(0.3)
                return None
            return self._answer(201, b"stored", Location=f"/stored/{key}")

        do_POST = _upload
        do_PUT = _upload

        def do_GET(self) -> None:
            receiver.gets.append(dict(self.headers))
            if receiver.routing is None:
                return self._answer(404)
            body, etag = receiver.routing
            if self.headers.get("If-None-Match") == etag:
                return self._answer(304)
            return self._answer(200, body, ETag=etag)

    return Handler


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
