"""kill -9 at random moments while submitting and delivering: nothing acknowledged is lost,
nothing arrives corrupt, nothing is stored twice."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.services.channels import ChannelSettings, TlsSettings
from kiosk.services.spool.outbox import Outbox, RetryPolicy
from kiosk.services.spool.vault import Vault
from tests.services.https_receiver import Receiver, sha256
from tests.tlsutil import make_pki

KILLS = int(os.environ.get("KIOSK_CRASH_KILLS", "200"))
CLIENT = Path(__file__).with_name("crash_client.py")

# ~0.5 s a kill; the limit grows with KIOSK_CRASH_KILLS so a longer soak is not cut short.
pytestmark = [pytest.mark.soak, pytest.mark.timeout(max(600, 3 * KILLS))]


def test_kill_9_loses_nothing_acknowledged(tmp_path: Path) -> None:
    pki = make_pki(tmp_path / "pki")
    key_file = tmp_path / "spool.key"
    key_file.write_bytes(os.urandom(32))
    spool = tmp_path / "outbox"
    rng = random.Random(2026)
    acknowledged: set[str] = set()
    with Receiver(pki.server_cert, pki.server_key) as receiver:
        for _ in range(KILLS):
            client = subprocess.Popen(
                [
                    sys.executable,
                    str(CLIENT),
                    str(spool),
                    receiver.url,
                    str(pki.ca_cert),
                    str(key_file),
                ],
                stdout=subprocess.PIPE,
                text=True,
            )
            # a random moment: during start-up, spooling or delivering
            with contextlib.suppress(subprocess.TimeoutExpired):
                client.wait(timeout=rng.uniform(0.05, 0.9))
            client.send_signal(signal.SIGKILL)
            out, _ = client.communicate()
            acknowledged |= {
                line.split()[1]
                for line in out.splitlines()
                if line.startswith("ACK ") and len(line.split()) == 2
            }
        outbox = Outbox(
            spool,
            Vault(key_file.read_bytes()),
            settings=ChannelSettings(tls=TlsSettings(pki.ca_cert)),
            policy=RetryPolicy(attempt_deadline=10),
        )
        results = outbox.flush()
        left = list(outbox.items())
    print(
        f"\ncrash test: {KILLS} kills, {len(acknowledged)} acknowledged, "
        f"{len(receiver.stored)} stored, {sum(receiver.uploads.values())} uploads, "
        f"{len(results)} delivered by the final flush"
    )
    assert len(acknowledged) > KILLS // 4  # the kills did land while documents flowed
    assert left == [], [s.state for s in left]  # none pending, held or quarantined
    lost = acknowledged - set(receiver.stored)
    assert lost == set()
    for document_id, record in receiver.stored.items():  # none corrupt
        assert record["index"]["sha256"] == sha256(record["pdf"]), document_id
        assert record["pdf"].startswith(b"%PDF") and record["pdf"].endswith(b"%%EOF\n")
    # stored once each: the receiver keeps one copy per idempotency key, and no document
    # arrived under two keys
    assert len({sha256(r["pdf"]) for r in receiver.stored.values()}) == len(receiver.stored)
