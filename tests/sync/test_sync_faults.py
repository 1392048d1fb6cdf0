"""Every backend fault leaves the cache intact, says why, and heals by itself (T12–T15, T27)."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest

from station.adapters.clock import FixedClock, SystemClock
from station.cache.database import open_cache
from station.cache.freshness import FreshnessPolicy, assess
from station.cache.status_list import StatusFlags
from station.cache.sync_state import SyncStateStore
from station.issuer.dcc import issue_dcc, vaccination_payload
from station.issuer.pki import make_signer
from sync.context import SyncContext
from sync.enrollment import enroll
from sync.http import BackendClient, HttpLimits
from sync.hub import Hub, HubConfig, HubServer
from sync.runner import sync_sources

NOW = datetime.now(UTC)
LIMITS = HttpLimits(connect_timeout_s=2, read_timeout_s=1.0, total_deadline_s=2.0)
TRUST = "/station/v1/bundles/trust-list"
REVOCATIONS = "/station/v1/bundles/revocations"
STATUS = "/station/v1/bundles/status-list"


def _pass(signer, serial: int) -> str:
    payload = vaccination_payload()
    payload["v"][0]["ci"] = f"URN:UVCI:01:VN:FAULT{serial:012d}#1"
    return issue_dcc(
        signer, payload, issued_at=NOW - timedelta(days=5), expires=NOW + timedelta(days=90)
    )


class Setup:
    """A hub with data, a station that synced it once, and a change waiting at the hub."""

    def __init__(self, folder) -> None:
        config = HubConfig(kdf_memory_kib=8192, kdf_iterations=1, page_size=2)
        self.hub = Hub(folder / "hub.sqlite", config)
        self.server = HubServer(self.hub).start()
        self.signers = [
            make_signer(algorithm="ES256", not_before=NOW - timedelta(days=100)) for _ in range(2)
        ]
        self.hub.add_dscs([self.signers[0].der])
        self.hub.revoke_pass(_pass(self.signers[0], 1))
        self.hub.publish_status("079203000123", int(StatusFlags.VACCINATED))
        code = self.hub.create_enrollment_code()
        self.enrollment = enroll(self.server.url, code, self.hub.key_fingerprint(), now=NOW)
        self.cache = open_cache(folder / "cache.sqlite")
        self.client = BackendClient(self.server.url, token=self.enrollment.token, limits=LIMITS)
        self.ctx = SyncContext(
            self.client, self.cache, self.enrollment.pinned_keys(), SystemClock()
        )
        assert all(outcome.ok for outcome in sync_sources(self.ctx))
        self.change_everything()

    def change_everything(self) -> None:
        self.hub.add_dscs([self.signers[1].der])
        self.hub.revoke_pass(_pass(self.signers[0], 2))
        self.hub.publish_status("079203000456", int(StatusFlags.POSITIVE))

    def data(self) -> str:
        return self.cache.content_digest(include_sync_state=False)

    def sync(self, source: str):
        (outcome,) = sync_sources(self.ctx, [source])
        return outcome

    def close(self) -> None:
        self.client.close()
        self.cache.close()
        self.server.stop()
        self.hub.close()


@pytest.fixture
def setup(tmp_path):
    setup = Setup(tmp_path)
    yield setup
    setup.close()


FAULTS = [
    ("trust-list", TRUST, "tamper", {}, {"SIGNATURE_REJECTED", "DATA_INVALID"}),
    ("trust-list", TRUST, "wrong_key", {}, {"SIGNATURE_REJECTED"}),
    ("trust-list", TRUST, "alg_none", {}, {"SIGNATURE_REJECTED"}),
    ("trust-list", TRUST, "unsigned", {}, {"SIGNATURE_REJECTED"}),
    ("trust-list", TRUST, "other_source", {}, {"DATA_INVALID"}),
    ("trust-list", TRUST, "expired", {}, {"DATA_EXPIRED"}),
    ("trust-list", "/signercertificateUpdate", "tamper", {}, {"DATA_INVALID"}),
    ("trust-list", "/signercertificateUpdate", "truncate", {}, {"RESPONSE_TRUNCATED"}),
    ("revocations", REVOCATIONS, "truncate", {}, {"RESPONSE_TRUNCATED"}),
    ("revocations", REVOCATIONS, "oversize", {"size": 100 * 1024 * 1024}, {"RESPONSE_TOO_LARGE"}),
    ("revocations", REVOCATIONS, "slow", {"interval": 0.5}, {"TIMEOUT"}),
    ("revocations", REVOCATIONS, "silence", {"seconds": 5.0}, {"TIMEOUT"}),
    ("revocations", REVOCATIONS, "reset", {}, {"NETWORK_UNREACHABLE", "RESPONSE_TRUNCATED"}),
    ("revocations", REVOCATIONS, "redirect", {}, {"REDIRECT_REFUSED"}),
    ("revocations", REVOCATIONS, "status", {"status": 500}, {"SERVER_BUSY"}),
    ("status-list", STATUS, "tamper", {}, {"SIGNATURE_REJECTED", "DATA_INVALID"}),
    ("status-list", STATUS, "status", {"status": 429, "retry_after": 60}, {"RATE_LIMITED"}),
    ("rules", "/rules", "tamper", {}, {"SIGNATURE_REJECTED", "DATA_INVALID"}),
    ("valuesets", "/valuesets", "status", {"status": 503}, {"SERVER_BUSY"}),
]


@pytest.mark.parametrize(("source", "path", "kind", "params", "codes"), FAULTS)
def test_a_fault_leaves_the_cache_byte_identical_and_heals(
    setup, source, path, kind, params, codes
):
    before = setup.data()
    setup.hub.faults.add(path, kind, **params)
    outcome = setup.sync(source)
    assert not outcome.ok
    assert outcome.error.code in codes, outcome.error
    assert setup.data() == before
    state = SyncStateStore(setup.cache).get(source)
    assert state.last_error_code == outcome.error.code
    assert state.last_error_message == outcome.error.message
    assert state.next_attempt_at is not None and state.next_attempt_at > NOW
    setup.hub.faults.clear()
    healed = setup.sync(source)
    assert healed.ok, healed.error
    assert SyncStateStore(setup.cache).get(source).last_error_code is None


def test_retry_after_sets_the_next_attempt(setup):
    setup.hub.faults.add(REVOCATIONS, "status", status=503, retry_after=120)
    outcome = setup.sync("revocations")
    assert outcome.error.code == "SERVER_BUSY"
    wait = outcome.next_attempt_at - datetime.now(UTC)
    assert timedelta(seconds=100) < wait <= timedelta(seconds=121)


def test_a_replayed_older_list_is_a_rollback_attempt_and_the_newer_list_stays(setup):
    assert setup.sync("trust-list").ok  # the station now holds the newer version
    before = setup.data()
    held = SyncStateStore(setup.cache).get("trust-list").version
    setup.hub.faults.add(TRUST, "rollback")
    outcome = setup.sync("trust-list")
    assert outcome.error.code == "ROLLBACK_ATTEMPT"
    assert "Rollback attempt" in outcome.error.message
    assert setup.data() == before
    assert SyncStateStore(setup.cache).get("trust-list").version == held


def test_a_failure_on_a_later_page_discards_the_earlier_pages(setup):
    """The revocation delta spans several pages; page 1 breaks after page 0 arrived."""
    for serial in range(3, 8):
        setup.hub.revoke_pass(_pass(setup.signers[0], serial))
    before = setup.data()
    hub = setup.hub

    class BreakAfterFirstPage(BackendClient):
        def get(self, path, **kwargs):
            answer = super().get(path, **kwargs)
            if (kwargs.get("params") or {}).get("page") == 0:
                hub.faults.add(REVOCATIONS, "tamper", times=1)
            return answer

    client = BreakAfterFirstPage(setup.server.url, token=setup.enrollment.token, limits=LIMITS)
    ctx = SyncContext(client, setup.cache, setup.ctx.pinned_keys, SystemClock())
    try:
        (outcome,) = sync_sources(ctx, ["revocations"])
    finally:
        client.close()
    assert outcome.error.code in {"SIGNATURE_REJECTED", "DATA_INVALID"}
    assert setup.data() == before
    assert setup.sync("revocations").ok
    assert setup.data() != before


def test_a_wrongly_pinned_station_refuses_the_hubs_data(setup):
    from cryptography.hazmat.primitives.asymmetric import ec

    from sync.bundle import key_id

    stranger = ec.generate_private_key(ec.SECP256R1()).public_key()
    ctx = SyncContext(setup.client, setup.cache, {key_id(stranger): stranger}, SystemClock())
    before = setup.data()
    outcomes = sync_sources(ctx)
    assert {o.error.code for o in outcomes} == {"SIGNATURE_REJECTED"}
    assert setup.data() == before


def test_stale_data_degrades_the_station_and_says_why(setup):
    later = datetime.now(UTC) + timedelta(hours=80)
    health = assess(
        SyncStateStore(setup.cache).all(),
        ["trust-list", "revocations"],
        FreshnessPolicy(),
        FixedClock(later).now(),
    )
    assert health.state == "DEGRADED" and health.stale
    assert any("3 days" in source.reason for source in health.sources), health.sources


def test_kids_in_the_signed_list_are_checked_against_the_certificates(setup):
    """A DER whose recomputed kid is not the one announced never enters the cache."""
    kid = base64.b64encode(setup.signers[1].kid).decode()
    assert kid  # the pending DSC; tampering its answer changes either its DER or its kid
    setup.hub.faults.add("/signercertificateUpdate", "tamper")
    before = setup.data()
    outcome = setup.sync("trust-list")
    assert outcome.error.code == "DATA_INVALID"
    assert setup.data() == before


@pytest.mark.parametrize(
    ("shift", "code"),
    [(timedelta(days=730), "DATA_EXPIRED"), (-timedelta(days=730), "CLOCK_SUSPECT")],
)
def test_a_station_clock_far_off_refuses_new_data_and_says_why(setup, shift, code):
    """Two years ahead, every bundle looks expired; two years behind, every bundle looks issued
    in the future. Either way nothing is applied and the reason names the problem."""
    before = setup.data()
    ctx = SyncContext(
        setup.client, setup.cache, setup.ctx.pinned_keys, FixedClock(datetime.now(UTC) + shift)
    )
    outcomes = sync_sources(ctx, ["trust-list", "revocations", "status-list"])
    assert {outcome.error.code for outcome in outcomes} == {code}
    assert setup.data() == before


def test_sync_over_tls_to_the_pinned_authority_and_not_to_an_impostor(tmp_path):
    from tls_certificates import make_authority, make_server_pair

    hub = Hub(tmp_path / "hub.sqlite", HubConfig(kdf_memory_kib=8192, kdf_iterations=1))
    good, rogue = make_authority(tmp_path, "hub"), make_authority(tmp_path, "rogue")
    cert, key = make_server_pair(tmp_path, good, "hub")
    server = HubServer(hub, tls_cert=cert, tls_key=key).start()
    impostor_cert, impostor_key = make_server_pair(tmp_path, rogue, "impostor")
    impostor = HubServer(hub, tls_cert=impostor_cert, tls_key=impostor_key).start()
    signer = make_signer(algorithm="ES256", not_before=NOW - timedelta(days=10))
    hub.add_dscs([signer.der])
    try:
        assert server.url.startswith("https://")
        code = hub.create_enrollment_code()
        ca = str(good.pem_path)
        enrollment = enroll(server.url, code, hub.key_fingerprint(), ca_file=ca, now=NOW)
        with open_cache(tmp_path / "cache.sqlite") as cache:
            with enrollment.client(LIMITS) as client:
                ctx = SyncContext(client, cache, enrollment.pinned_keys(), SystemClock())
                assert all(outcome.ok for outcome in sync_sources(ctx))
            before = cache.content_digest(include_sync_state=False)
            hub.add_dscs([make_signer(algorithm="ES256", not_before=NOW).der])
            token = enrollment.token
            with BackendClient(impostor.url, ca_file=ca, token=token, limits=LIMITS) as client:
                ctx = SyncContext(client, cache, enrollment.pinned_keys(), SystemClock())
                outcomes = sync_sources(ctx)
            assert {outcome.error.code for outcome in outcomes} == {"BACKEND_IDENTITY"}
            assert cache.content_digest(include_sync_state=False) == before
    finally:
        impostor.stop()
        server.stop()
        hub.close()
