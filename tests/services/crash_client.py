"""Crash-test client: spools documents and delivers them until it is killed.

Prints "ACK <id>" only after the spool has the document (what the client's receipt
promises). Run by tests/services/test_crash.py, which kills it at random moments.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kiosk.services.channels import ChannelSettings, Parcel, TlsSettings  # noqa: E402
from kiosk.services.spool.outbox import Outbox, RetryPolicy  # noqa: E402
from kiosk.services.spool.vault import Vault  # noqa: E402


def main() -> None:
    spool, url, ca, key_file = sys.argv[1:5]
    outbox = Outbox(
        Path(spool),
        Vault(Path(key_file).read_bytes()),
        settings=ChannelSettings(tls=TlsSettings(Path(ca))),
        policy=RetryPolicy(base=0.01, cap=0.05, attempt_deadline=10),
    )
    while True:
        document_id = os.urandom(16).hex()
        pdf = b"%PDF-1.4\n" + os.urandom(30_000) + b"\n%%EOF\n"
        parcel = Parcel(document_id, f"crash_{document_id}", pdf, {"receipt_id": document_id[:9]})
        outbox.put(parcel, url)
        print(f"ACK {document_id}", flush=True)
        for item in outbox.pending():
            outbox.deliver(item)


if __name__ == "__main__":
    main()
