"""Memory bounded by design on "Send" (issue 15): building, spooling and delivering a
document keeps at most two copies of it alive at once, beside the pages it is made of;
the spool's streamed encryption writes what the one-piece form writes."""

from __future__ import annotations

import os
import tracemalloc
from datetime import datetime
from pathlib import Path

from kiosk.core.concerns import concern_by_key
from kiosk.core.identity import parse_case_number
from kiosk.services.pages.imaging import EncodedPage
from kiosk.services.routing.table import Route
from kiosk.services.spool.framing import frame, pieces, unframe
from kiosk.services.spool.outbox import Outbox
from kiosk.services.spool.vault import Vault
from kiosk.services.submission import submit

PAGES, PAGE_BYTES = 40, 250_000  # 10 MB: the copies stand out from everything else


def pages(count: int = PAGES) -> list[EncodedPage]:
    # Random bytes as JPEG data: never decoded on the way, and incompressible.
    return [
        EncodedPage(1240, 1754, 150, "DeviceRGB", 8, "DCTDecode", os.urandom(PAGE_BYTES))
        for _ in range(count)
    ]


def send(outbox: Outbox, inbox: Path, scanned: list[EncodedPage]) -> bool:
    outcome = submit(
        outbox, parse_case_number("12345BG0012345"), concern_by_key("renewal"), scanned,
        kiosk_id="k1", route=Route(inbox.as_uri() + "/", "team-1"),
        scanned_at=datetime.now().astimezone(), pseudonym_key=b"k" * 32,
    )  # fmt: skip
    return outcome.delivery.delivered


def test_sending_keeps_at_most_two_copies_of_the_document(tmp_path: Path) -> None:
    """Measured by tracemalloc (what Python allocates: the PDF, the framed, sealed, read
    and opened copies; not qpdf's own). Before issue 15 the spool framed and sealed the PDF
    in memory beside it, and delivery read it back beside all of them: four copies."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    outbox = Outbox(tmp_path / "outbox", Vault(os.urandom(32)))
    assert send(outbox, inbox, pages(1))  # imports (pikepdf, the channel) come first
    scanned = pages()
    document = sum(len(page.data) for page in scanned)
    tracemalloc.start()
    try:
        delivered = send(outbox, inbox, scanned)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert delivered
    assert sorted(p.stat().st_size > document for p in inbox.glob("*.pdf")) == [False, True]
    assert peak < 2.4 * document, f"{peak / document:.2f} copies of the document at once"


def test_a_document_sealed_in_pieces_opens_as_one_sealed_whole() -> None:
    vault = Vault(os.urandom(32))
    header = {"url": "file:///srv/scans/", "index": {"pages": 3}}
    parts = [os.urandom(3 * 2**20 + 17)]
    framed = b"".join(pieces(header, parts))
    assert framed == frame(header, parts)
    assert all(len(piece) <= 2**20 for piece in list(pieces(header, parts))[1:])
    sealed = b"".join(vault.sealing(pieces(header, parts), b"item-1"))
    assert len(sealed) == len(vault.seal(framed, b"item-1"))
    assert unframe(vault.open(sealed, b"item-1")) == (header, parts)
    assert vault.open(vault.seal(framed, b"item-1"), b"item-1") == framed
