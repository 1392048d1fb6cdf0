"""Fixtures of the hub tests: a real hub on 127.0.0.1 per test and an enrolled client.

Test modules load this with `pytest_plugins = ["hub_fixtures"]` rather than through a
conftest.py, so no module named `conftest` from this folder shadows another folder's.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from hub_entries_helpers import Station, enroll_station
from hub_helpers import FAST, HubClient, enroll

from station.entrylog.sealing import SealingKey, generate_authority_key
from station.issuer.pki import Signer, make_signer
from sync.hub import Hub, HubServer


@pytest.fixture()
def hub(tmp_path: Path) -> Iterator[Hub]:
    with Hub(tmp_path / "hub.sqlite", FAST) as opened:
        yield opened


@pytest.fixture()
def server(hub: Hub) -> Iterator[HubServer]:
    """A started server; stopping it must bring the thread count back to where it was."""
    baseline = threading.active_count()
    running = HubServer(hub).start()
    yield running
    running.stop()
    assert threading.active_count() == baseline


@pytest.fixture()
def client(server: HubServer, hub: Hub) -> Iterator[HubClient]:
    enrolled = enroll(server.url, hub)
    yield enrolled
    enrolled.close()


@pytest.fixture()
def anonymous(server: HubServer) -> Iterator[requests.Session]:
    with requests.Session() as session:
        session.trust_env = False
        yield session


@pytest.fixture(scope="session")
def signers() -> list[Signer]:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    return [
        make_signer(country=country, common_name=f"DSC {country}", not_before=start)
        for country in ("VN", "DE", "FR", "IT")
    ]


@pytest.fixture()
def authority(hub: Hub) -> X25519PrivateKey:
    """The health authority's private key, its public half registered with the hub."""
    private_key = generate_authority_key()
    hub.set_sealing_key(SealingKey(private_key.public_key()))
    return private_key


@pytest.fixture()
def uploader(server: HubServer, hub: Hub) -> Iterator[Station]:
    """An enrolled station with a device key, ready to upload entries."""
    enrolled = enroll_station(server.url, hub, "gate-1")
    yield enrolled
    enrolled.close()
