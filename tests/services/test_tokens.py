"""Card tokens resolve through the routing table, then the lookup endpoint."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.services.channels import TlsSettings
from kiosk.services.routing.table import load_routing
from kiosk.services.routing.tokens import TokenLookupError, resolve_token
from tests.services.https_receiver import Receiver
from tests.tlsutil import Pki

TOKEN = "Zq8x_TOKEN-from-card-4711"


def test_the_routing_table_maps_tokens_to_cases(tmp_path: Path) -> None:
    path = tmp_path / "r.toml"
    path.write_text(f'triage = "file:///t/"\n[tokens]\n"{TOKEN}" = "12345//12345"\n')
    table = load_routing(path)
    assert resolve_token(TOKEN, table).value == "12345BG0012345"  # type: ignore[union-attr]
    assert resolve_token("unknown-token-000000", table) is None  # revoked or never issued


def test_the_lookup_endpoint_answers_what_the_table_does_not_know(
    receiver: Receiver, pki: Pki
) -> None:
    url = receiver.url.replace("/inbox/team-12", "/cards/lookup")
    receiver.tokens[TOKEN] = "123a456789"
    tls = TlsSettings(pki.ca_cert)
    assert resolve_token(TOKEN, None, url, tls).value == "123A456789"  # type: ignore[union-attr]
    assert resolve_token("another-token-000000", None, url, tls) is None
    receiver.tokens["broken-token-0000000"] = "not a number"
    with pytest.raises(TokenLookupError):
        resolve_token("broken-token-0000000", None, url, tls)


def test_an_unreachable_lookup_is_an_error_not_a_guess(pki: Pki) -> None:
    with pytest.raises(TokenLookupError):
        resolve_token(TOKEN, None, "https://127.0.0.1:9/lookup", TlsSettings(pki.ca_cert))
