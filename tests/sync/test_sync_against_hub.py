"""A station enrolls at a real hub on 127.0.0.1, syncs every source and verifies offline (T12)."""

from __future__ import annotations

import base64
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from station.adapters.clock import SystemClock
from station.cache.database import open_cache
from station.cache.status_list import StatusFlags, StatusListCache
from station.cache.sync_state import SyncStateStore
from station.cache.trust_view import CachedTrust
from station.codec.cbor import Tagged
from station.codec.cbor_encode import encode_cbor
from station.issuer.dcc import encode_hc1, issue_dcc, vaccination_payload
from station.issuer.pki import make_signer
from station.reasons import Reason, Status
from station.verify import dcc_decode
from station.verify.verifier import Verifier
from sync.context import SyncContext
from sync.enrollment import enroll
from sync.hub import Hub, HubConfig, HubServer
from sync.runner import SOURCES, sync_sources
from sync.scheduler import Schedule, run_daemon

NOW = datetime.now(UTC)
P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
CITIZEN_ID = "079 203 000 123"


@pytest.fixture(scope="module")
def signers():
    start = NOW - timedelta(days=200)
    return [make_signer(algorithm="ES256", not_before=start, usages="vtr") for _ in range(2)]


_serial = iter(range(1, 10**6))


def issue(signer) -> str:
    """A valid pass with its own certificate identifier (UCI), as every real pass has."""
    payload = vaccination_payload()
    payload["v"][0]["ci"] = f"URN:UVCI:01:VN:TEST{next(_serial):016d}#4"
    return issue_dcc(
        signer,
        payload,
        issued_at=NOW - timedelta(days=10),
        expires=NOW + timedelta(days=300),
    )


def malleate(text: str) -> str:
    """The same pass with its ECDSA signature re-encoded as (r, n−s): still a valid signature."""
    raw = dcc_decode.decode_transport(dcc_decode.strip_prefix(text))
    cose = dcc_decode.parse_cose_sign1(dcc_decode.decompress(raw, 65536))
    r, s = cose.signature[:32], int.from_bytes(cose.signature[32:], "big")
    signature = r + (P256_ORDER - s).to_bytes(32, "big")
    return encode_hc1(encode_cbor(Tagged(18, [cose.protected_bytes, {}, cose.payload, signature])))


class Station:
    """An enrolled station: its cache, sync context and verifier, over the test's hub."""

    def __init__(self, hub: Hub, url: str, folder) -> None:
        code = hub.create_enrollment_code("gate-1")
        self.enrollment = enroll(url, code, hub.key_fingerprint(), now=NOW)
        self.cache = open_cache(folder / "cache.sqlite")
        self.client = self.enrollment.client()
        self.ctx = SyncContext(
            self.client, self.cache, self.enrollment.pinned_keys(), SystemClock()
        )
        view = CachedTrust(self.cache, SystemClock(), expected_sources=tuple(SOURCES))
        self.verifier = Verifier(view.sources(), SystemClock())

    def sync(self, *names: str):
        outcomes = sync_sources(self.ctx, names or None)
        return {outcome.source: outcome for outcome in outcomes}

    def verify(self, text: str):
        return self.verifier.verify(text)

    def close(self) -> None:
        self.client.close()
        self.cache.close()


@pytest.fixture
def hub(tmp_path):
    hub = Hub(
        tmp_path / "hub.sqlite", HubConfig(kdf_memory_kib=8192, kdf_iterations=1, page_size=3)
    )
    yield hub
    hub.close()


@pytest.fixture
def server(hub):
    server = HubServer(hub).start()
    yield server
    server.stop()


@pytest.fixture
def station(hub, server, tmp_path):
    station = Station(hub, server.url, tmp_path)
    yield station
    station.close()


def test_a_fresh_station_syncs_every_source_and_verifies_offline(hub, server, station, signers):
    hub.add_dscs([signer.der for signer in signers])
    hub.publish_status(CITIZEN_ID, int(StatusFlags.VACCINATED))
    outcomes = station.sync()
    assert all(outcome.ok for outcome in outcomes.values()), outcomes
    assert outcomes["trust-list"].result.added == 2
    result = station.verify(issue(signers[0]))
    assert result.status is Status.VALID, result.failed_checks
    assert result.check("revocation").ok is True
    assert result.details["data"]["state"] == "OK"
    server.stop()  # offline from here on: verification keeps working from the cache
    assert station.verify(issue(signers[1])).status is Status.VALID
    entry = StatusListCache(station.cache).lookup(CITIZEN_ID)
    assert entry is not None and entry.flags == StatusFlags.VACCINATED


def test_a_dsc_removed_at_the_hub_invalidates_its_passes_after_the_next_sync(hub, station, signers):
    hub.add_dscs([signer.der for signer in signers])
    station.sync("trust-list")
    text = issue(signers[0])
    assert station.verify(text).status is Status.VALID
    hub.remove_dsc(base64.b64encode(signers[0].kid).decode())
    outcome = station.sync("trust-list")["trust-list"]
    assert outcome.ok and outcome.result.removed == 1
    result = station.verify(text)
    assert result.status is Status.INVALID
    assert result.check("signature").code == Reason.SIGNER_REVOKED
    assert station.verify(issue(signers[1])).status is Status.VALID


def test_a_revoked_pass_and_its_malleated_copy_are_invalid(hub, station, signers):
    hub.add_dscs([signers[0].der])
    text = issue(signers[0])
    twin = malleate(text)
    assert twin != text
    station.sync()
    assert station.verify(twin).status is Status.VALID  # genuinely valid before the block
    hub.revoke_pass(text)
    assert station.sync("revocations")["revocations"].ok
    for candidate in (text, twin):
        result = station.verify(candidate)
        assert result.status is Status.INVALID
        assert result.check("revocation").code == Reason.REVOKED
    assert station.verify(issue(signers[0])).status is Status.VALID  # other passes unaffected


def test_unrevoking_reaches_the_station_as_a_delta(hub, station, signers):
    hub.add_dscs([signers[0].der])
    passes = [issue(signers[0]) for _ in range(4)]
    for text in passes:
        hub.revoke_pass(text)  # 3 hashes each: 12 entries over 4 pages of 3
    station.sync()
    assert all(station.verify(t).status is Status.INVALID for t in passes)
    hub.unrevoke_pass(passes[0])
    outcomes = station.sync("revocations", "drl")  # both lists lift the block
    outcome = outcomes["revocations"]
    assert outcome.ok and outcome.result.removed == 3 and outcome.result.added == 0
    assert outcomes["drl"].ok
    assert station.verify(passes[0]).status is Status.VALID
    assert station.verify(passes[1]).status is Status.INVALID


def test_a_status_change_reaches_the_station_within_one_sync_interval(hub, station):
    hub.add_dscs([])
    station.sync()
    hub.publish_status(CITIZEN_ID, int(StatusFlags.POSITIVE | StatusFlags.ISOLATING))
    stop = threading.Event()
    schedule = Schedule(interval=timedelta(seconds=1), tick=timedelta(seconds=0.1))

    def daemon() -> None:
        # Its own connection, as `station sync --daemon` has in its own process.
        with open_cache(station.cache.path) as cache:
            ctx = SyncContext(station.client, cache, station.ctx.pinned_keys, SystemClock())
            run_daemon(ctx, stop, schedule=schedule)

    worker = threading.Thread(target=daemon)
    worker.start()
    try:
        deadline = time.monotonic() + 5
        entry = None
        while time.monotonic() < deadline:
            entry = StatusListCache(station.cache).lookup(CITIZEN_ID)
            if entry is not None and entry.flags & StatusFlags.POSITIVE:
                break
            time.sleep(0.1)
        assert entry is not None and entry.flags == StatusFlags.POSITIVE | StatusFlags.ISOLATING
    finally:
        stop.set()
        worker.join(timeout=5)
    assert not worker.is_alive()


def test_a_revoked_station_is_refused_and_keeps_its_cache(hub, station, signers):
    hub.add_dscs([signers[0].der])
    station.sync()
    before = station.cache.content_digest(include_sync_state=False)
    hub.revoke_station(station.enrollment.station_id)
    outcomes = station.sync()
    assert {o.error.code for o in outcomes.values()} == {"STATION_REVOKED"}
    state = SyncStateStore(station.cache).get("trust-list")
    assert state.last_error_code == "STATION_REVOKED"
    assert station.verify(issue(signers[0])).status is Status.VALID
    assert station.cache.content_digest(include_sync_state=False) == before


def test_a_rotated_hub_key_is_adopted_through_an_announcement_signed_by_the_old_key(
    hub, server, station, signers
):
    hub.add_dscs([signers[0].der])
    station.sync()
    old_ids = set(station.ctx.pinned_keys)
    saved: list[list[str]] = []
    ctx = replace(station.ctx, on_new_keys=saved.append)
    hub.rotate_key()
    hub.add_dscs([signers[1].der])  # the next trust list is signed with the new key only
    (outcome,) = sync_sources(ctx, ["trust-list"])
    assert outcome.ok, outcome.error
    assert outcome.result.added == 1
    assert old_ids < set(ctx.pinned_keys) and len(ctx.pinned_keys) == 2
    assert saved and len(saved[0]) == 2
    assert station.verify(issue(signers[1])).status is Status.VALID


def test_an_impostor_key_is_not_adopted(hub, server, station, signers):
    """A bundle signed by a stranger's key: the hub's own announcement does not list it."""
    hub.add_dscs([signers[0].der])
    station.sync()
    before = dict(station.ctx.pinned_keys)
    hub.faults.add("/station/v1/bundles/trust-list", "wrong_key")
    (outcome,) = sync_sources(station.ctx, ["trust-list"])
    assert outcome.error.code == "SIGNATURE_REJECTED"
    assert station.ctx.pinned_keys == before


def test_the_eu_revocation_distribution_alone_blocks_a_revoked_pass(hub, station, signers):
    """A station that syncs only the EU-style DRL (filters, no exact list) still says REVOKED."""
    hub.add_dscs([signers[0].der])
    text, other = issue(signers[0]), issue(signers[0])
    hub.revoke_pass(text)
    outcomes = station.sync("trust-list", "drl")
    assert all(outcome.ok for outcome in outcomes.values()), outcomes
    result = station.verify(text)
    assert result.status is Status.INVALID
    assert result.check("revocation").code == Reason.REVOKED
    assert station.verify(malleate(text)).check("revocation").code == Reason.REVOKED
    assert station.verify(other).status is Status.VALID
    assert station.sync("drl")["drl"].result.unchanged  # 304: nothing changed at the hub
