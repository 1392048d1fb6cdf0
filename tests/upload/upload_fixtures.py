"""Fixtures of the upload tests: a real hub on 127.0.0.1, a station enrolled at it with a device
key, a 2000-entry queue written by the real entry log, and a recording proxy.

Test modules load this with `pytest_plugins = ["upload_fixtures"]` (no conftest.py here, so no
module named `conftest` from this folder shadows another folder's); plain helpers are in
upload_helpers.py.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from upload_helpers import FAST, QUEUE_SIZE, RecordingProxy, Station, enroll_station, fill_log

from station.adapters.clock import FixedClock
from station.entrylog.sealing import SealingKey, generate_authority_key
from station.issuer.dcc import issue_dcc, vaccination_payload
from station.model import VerificationResult
from station.trust.certificate import load_trusted_certificate
from station.trust.index import TrustIndex
from station.verify.verifier import Verifier
from sync.hub import Hub, HubServer


@pytest.fixture(scope="session")
def authority_key() -> X25519PrivateKey:
    """The health authority's private key: only the hub side (tests) may open sealed blocks."""
    return generate_authority_key()


@pytest.fixture(scope="session")
def sealing_key(authority_key: X25519PrivateKey) -> SealingKey:
    return SealingKey(authority_key.public_key())


@pytest.fixture()
def hub(tmp_path: Path) -> Iterator[Hub]:
    with Hub(tmp_path / "hub" / "hub.sqlite", FAST) as opened:
        yield opened


@pytest.fixture()
def hub_server(hub: Hub) -> Iterator[HubServer]:
    running = HubServer(hub).start()
    yield running
    running.stop()


@pytest.fixture()
def station(tmp_path: Path, hub: Hub, hub_server: HubServer, now: datetime) -> Station:
    return enroll_station(hub, hub_server.url, tmp_path / "station", now)


@pytest.fixture(scope="session")
def valid_result(es256_signer: Any, now: datetime) -> VerificationResult:
    """A real VALID result of a real DCC (reused for every queued entry)."""
    text = issue_dcc(
        es256_signer,
        vaccination_payload(),
        issued_at=now - timedelta(days=30),
        expires=now + timedelta(days=180),
    )
    verifier = Verifier(TrustIndex([load_trusted_certificate(es256_signer.der)]), FixedClock(now))
    result = verifier.verify(text)
    assert str(result.status) == "VALID", result.reason
    return result


@pytest.fixture(scope="session")
def queue_template(
    tmp_path_factory: pytest.TempPathFactory,
    valid_result: VerificationResult,
    sealing_key: SealingKey,
    now: datetime,
) -> Path:
    """A closed log of QUEUE_SIZE sealed entries, written once and copied into each test."""
    path = tmp_path_factory.mktemp("queue") / "log.sqlite"
    fill_log(path, QUEUE_SIZE, valid_result, sealing_key, now)
    return path


@pytest.fixture()
def queued(station: Station, queue_template: Path) -> Station:
    """The enrolled station with the 2000-entry queue as its log."""
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{queue_template}{suffix}")
        if source.exists():
            shutil.copyfile(source, Path(f"{station.log}{suffix}"))
            Path(f"{station.log}{suffix}").chmod(0o600)
    return station


@pytest.fixture()
def proxy_factory(hub_server: HubServer) -> Iterator[Callable[..., RecordingProxy]]:
    started: list[RecordingProxy] = []

    def start(refuse: Callable[[str, bytes], bool] | None = None) -> RecordingProxy:
        proxy = RecordingProxy(hub_server.url, refuse)
        started.append(proxy)
        return proxy

    yield start
    for proxy in started:
        proxy.stop()
