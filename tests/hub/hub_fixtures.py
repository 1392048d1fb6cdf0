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
from hub_helpers import FAST, HubClient, enroll

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
