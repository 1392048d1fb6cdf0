"""Fixtures of the DRL tests: a real hub on 127.0.0.1 per test and an enrolled station.

Test modules load this with `pytest_plugins = ["drl_fixtures"]` rather than through a
conftest.py, so no module named `conftest` from this folder shadows another folder's.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from drl_helpers import FAST, NOW, DrlStation

from station.issuer.pki import Signer, make_signer
from sync.hub import Hub, HubServer


@pytest.fixture(scope="session")
def signer() -> Signer:
    return make_signer(algorithm="ES256", not_before=NOW - timedelta(days=200), usages="vtr")


@pytest.fixture()
def hub(tmp_path: Path) -> Iterator[Hub]:
    with Hub(tmp_path / "hub.sqlite", FAST) as opened:
        yield opened


@pytest.fixture()
def server(hub: Hub) -> Iterator[HubServer]:
    running = HubServer(hub).start()
    yield running
    running.stop()


@pytest.fixture()
def station(hub: Hub, server: HubServer, tmp_path: Path) -> Iterator[DrlStation]:
    enrolled = DrlStation(hub, server.url, tmp_path)
    yield enrolled
    enrolled.close()
