"""Benchmark: outbox drain rate to each channel on loopback (documents per second), and the
time from "send" to the receipt for a 10-page document (build PDF, spool, first delivery).

Run: ./dev.sh bench   (or .venv/bin/python tests/bench/bench_delivery.py [--docs N])
Real servers on 127.0.0.1: a folder, the test suite's HTTPS receiver, wsgidav (WebDAV over
TLS), aiosmtpd (SMTP with STARTTLS). Shared machine: compare channels, not absolute numbers.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from drivers.scanner.protocol import ColorMode, ScanRequest, Source  # noqa: E402
from drivers.scanner.sane_scanner import SaneScanner  # noqa: E402
from kiosk.core.concerns import concern_by_key  # noqa: E402
from kiosk.core.identity import parse_case_number  # noqa: E402
from kiosk.services.channels import ChannelSettings, Parcel, TlsSettings  # noqa: E402
from kiosk.services.pages.scanjob import scan_encoded  # noqa: E402
from kiosk.services.routing.table import Route  # noqa: E402
from kiosk.services.spool.outbox import Outbox, RetryPolicy  # noqa: E402
from kiosk.services.spool.vault import Vault  # noqa: E402
from kiosk.services.submission import submit  # noqa: E402
from tests.services.channels.servers import dav_server, smtp_relay  # noqa: E402
from tests.services.https_receiver import Receiver  # noqa: E402
from tests.tlsutil import Pki, make_pki  # noqa: E402

Inbox = Callable[[Pki, Path], "Iterator[str]"]


@contextmanager
def folder(pki: Pki, work: Path) -> Iterator[str]:
    (work / "inbox").mkdir()
    yield (work / "inbox").as_uri()


@contextmanager
def https(pki: Pki, work: Path) -> Iterator[str]:
    with Receiver(pki.server_cert, pki.server_key) as receiver:
        yield receiver.url


@contextmanager
def webdavs(pki: Pki, work: Path) -> Iterator[str]:
    (work / "dav").mkdir()
    with dav_server(work / "dav", pki.server_cert, pki.server_key) as port:
        yield f"webdavs://localhost:{port}/"


@contextmanager
def smtp(pki: Pki, work: Path) -> Iterator[str]:
    with smtp_relay(pki.server_cert, pki.server_key, data_size_limit=50_000_000) as relay:
        yield f"smtp://localhost:{relay.port}/team-12@jobcenter.example"


CHANNELS = {"file": folder, "https": https, "webdavs": webdavs, "smtp": smtp}


def outbox(work: Path, pki: Pki) -> Outbox:
    return Outbox(
        work / "outbox",
        Vault(os.urandom(32)),
        policy=RetryPolicy(attempt_deadline=60),
        settings=ChannelSettings(tls=TlsSettings(pki.ca_cert), kiosk_id="bench"),
    )


def drain(name: str, pki: Pki, docs: int, size: int) -> float:
    with tempfile.TemporaryDirectory() as tmp, CHANNELS[name](pki, Path(tmp)) as url:
        box = outbox(Path(tmp), pki)
        for n in range(docs):
            document_id = os.urandom(16).hex()
            pdf = b"%PDF-1.4\n" + os.urandom(size) + b"\n%%EOF\n"
            box.put(
                Parcel(
                    document_id,
                    f"bench_{n:04d}",
                    pdf,
                    {"receipt_id": f"BEN-{n:03d}", "concern": "sick", "pages": 1},
                ),
                url,
            )
        started = time.perf_counter()
        results = box.flush()
        elapsed = time.perf_counter() - started
        assert all(r.delivered for r in results), [r.error for r in results if not r.delivered]
        return docs / elapsed


def send_to_receipt(name: str, pki: Pki, pages: list, rounds: int) -> float:  # type: ignore[type-arg]
    times = []
    case = parse_case_number("12345BG0012345")
    with tempfile.TemporaryDirectory() as tmp, CHANNELS[name](pki, Path(tmp)) as url:
        box = outbox(Path(tmp), pki)
        for _ in range(rounds):
            started = time.perf_counter()
            outcome = submit(
                box,
                case,
                concern_by_key("renewal"),
                pages,
                kiosk_id="bench",
                route=Route(url, "t"),
                scanned_at=datetime.now().astimezone(),
                pseudonym_key=b"k" * 32,
            )
            times.append(time.perf_counter() - started)
            assert outcome.receipt.delivered
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=40)
    parser.add_argument("--size-kb", type=int, default=350)  # about one scanned page
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pki = make_pki(Path(tmp))
        scanner = SaneScanner(ROOT / "drivers" / "scanner" / "sane_config")
        pages = scan_encoded(scanner, ScanRequest("test:0", Source.ADF, ColorMode.COLOR, 300))
        size = sum(len(p.data) for p in pages)
        print(
            f"Outbox drain, {args.docs} documents of {args.size_kb} KB each, loopback; "
            f"send-to-receipt: 10 pages A4 300 dpi ({size / 1024:.0f} KB encoded), "
            f"median of {args.rounds}"
        )
        print(f"{'channel':<9} {'docs/s':>8} {'send->receipt s':>16}")
        for name in CHANNELS:
            rate = drain(name, pki, args.docs, args.size_kb * 1024)
            receipt = send_to_receipt(name, pki, pages, args.rounds)
            print(f"{name:<9} {rate:8.1f} {receipt:16.3f}")


if __name__ == "__main__":
    main()
