"""Fixtures for the channel tests: the test PKI and servers on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.services.channels.servers import dav_server
from tests.tlsutil import Pki, make_pki


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def dav_root(tmp_path: Path) -> Path:
    root = tmp_path / "dav" / "team-12"
    root.mkdir(parents=True)
    return root


@pytest.fixture
def dav_port(dav_root: Path) -> Iterator[int]:
    """Plain-HTTP WebDAV serving dav_root's parent, so the inbox is /team-12/."""
    with dav_server(dav_root.parent) as port:
        yield port
