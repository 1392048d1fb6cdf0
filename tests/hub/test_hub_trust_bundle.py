"""The signed trust-list bundle: versions, removals, trust-list loads and key rotation."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import pytest
from hub_helpers import enroll

from station.errors import TrustImportError
from station.trust.certificate import compute_kid
from sync.bundle import verify_bundle
from sync.errors import SignatureRejected
from sync.hub import Hub, HubConfig, HubServer

pytest_plugins = ["hub_fixtures"]


def _kid(der: bytes) -> str:
    return base64.b64encode(compute_kid(der)).decode()


def test_every_published_change_bumps_the_version(hub, client, signers):
    empty = client.bundle("trust-list")
    assert (empty.version, empty.payload["kids"], empty.payload["removed_kids"]) == (0, [], [])
    hub.add_dscs([signers[0].der, signers[1].der])
    assert client.bundle("trust-list").version == 1
    assert hub.add_dscs([signers[0].der]) == 0
    assert client.bundle("trust-list").version == 1
    hub.remove_dsc(_kid(signers[0].der))
    removed = client.bundle("trust-list")
    assert removed.version == 2
    assert removed.payload["kids"] == [_kid(signers[1].der)]
    assert removed.payload["removed_kids"] == [_kid(signers[0].der)]
    hub.add_dscs([signers[0].der])
    again = client.bundle("trust-list")
    assert again.version == 3 and again.payload["removed_kids"] == []
    assert again.payload["kids"] == [_kid(signers[1].der), _kid(signers[0].der)]


def test_a_dsc_can_be_removed_by_its_sha256_fingerprint(hub, signers):
    hub.add_dscs([signers[0].der])
    fingerprint = hub.dscs()[0].fingerprint
    assert hub.remove_dsc(fingerprint.upper()) == 1
    assert hub.remove_dsc(fingerprint) == 0
    assert hub.version("trust-list") == 2
    with pytest.raises(ValueError):
        hub.remove_dsc("not base64 !")


def test_bundles_expire_after_the_configured_time(tmp_path, signers):
    config = HubConfig(bundle_ttl=timedelta(hours=6), kdf_memory_kib=8192, kdf_iterations=1)
    with Hub(tmp_path / "short.sqlite", config) as hub, HubServer(hub) as server:
        station = enroll(server.url, hub)
        try:
            bundle = station.bundle("trust-list")
        finally:
            station.close()
    assert bundle.expires_at - bundle.issued_at == timedelta(hours=6)


def test_default_bundles_live_seven_days(client):
    bundle = client.bundle("trust-list")
    assert bundle.expires_at - bundle.issued_at == timedelta(days=7)


def test_loading_a_trust_list_replaces_only_what_earlier_lists_loaded(hub, signers, tmp_path):
    hub.add_dscs([signers[3].der])
    assert hub.load_trust_list([signers[0].der, signers[1].der]) == (2, 0)
    assert hub.load_trust_list([signers[1].der, signers[2].der]) == (1, 1)
    current = {row.kid for row in hub.dscs() if not row.deleted}
    assert current == {_kid(s.der) for s in (signers[1], signers[2], signers[3])}
    assert hub.version("trust-list") == 3
    with pytest.raises(TrustImportError):
        hub.add_dscs([b"\x30\x03\x02\x01\x00"])


def test_rotation_signs_with_the_new_key_and_enrollment_returns_both(hub, server, signers):
    before = enroll(server.url, hub, "old")
    try:
        old_fingerprint = hub.key_fingerprint()
        new_fingerprint = hub.rotate_key()
        assert new_fingerprint != old_fingerprint
        assert hub.key_fingerprints() == [new_fingerprint, old_fingerprint]
        token = before.get("/station/v1/bundles/trust-list").text
        with pytest.raises(SignatureRejected):
            verify_bundle(token, before.pins, "trust-list")
    finally:
        before.close()
    after = enroll(server.url, hub, "new")
    try:
        assert len(after.pins) == 2
        assert after.bundle("trust-list").key_id == new_fingerprint[:16]
    finally:
        after.close()


def test_the_payload_is_the_documented_json(client):
    token = client.get("/station/v1/bundles/trust-list").text
    payload = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
    assert set(payload) == {"source", "version", "issued_at", "expires_at", "kids", "removed_kids"}
    assert payload["issued_at"].endswith("Z")
