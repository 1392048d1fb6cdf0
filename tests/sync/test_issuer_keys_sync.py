"""Issuer keys of the other families reach the station through the hub's signed bundle."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from station.adapters.clock import SystemClock
from station.cache.database import open_cache
from station.cache.issuer_keys import IssuerKeyCache
from sync.context import SyncContext
from sync.enrollment import enroll
from sync.hub import Hub, HubConfig, HubServer
from sync.jwk import jwk_thumbprint
from sync.runner import sync_sources

ISS = "https://issuer.example.org/shc"
NOW = datetime.now(UTC)


def _b64(number: int) -> str:
    return base64.urlsafe_b64encode(number.to_bytes(32, "big")).rstrip(b"=").decode()


def shc_jwk() -> dict:
    numbers = ec.generate_private_key(ec.SECP256R1()).public_key().public_numbers()
    key = {"kty": "EC", "crv": "P-256", "x": _b64(numbers.x), "y": _b64(numbers.y)}
    return {**key, "kid": jwk_thumbprint(key), "use": "sig", "alg": "ES256"}


def test_rfc_7638_example_thumbprint():
    rsa = {
        "kty": "RSA",
        "e": "AQAB",
        "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6"
        "tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YG"
        "jQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bF"
        "TWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
        "alg": "RS256",
        "kid": "2011-04-29",
    }
    assert jwk_thumbprint(rsa) == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
    with pytest.raises(ValueError):
        jwk_thumbprint({"kty": "EC", "crv": "P-256", "x": "AA"})


@pytest.fixture
def hub_and_station(tmp_path):
    hub = Hub(tmp_path / "hub.sqlite", HubConfig(kdf_memory_kib=8192, kdf_iterations=1))
    server = HubServer(hub).start()
    enrollment = enroll(server.url, hub.create_enrollment_code(), hub.key_fingerprint(), now=NOW)
    cache = open_cache(tmp_path / "cache.sqlite")
    client = enrollment.client()
    ctx = SyncContext(client, cache, enrollment.pinned_keys(), SystemClock())
    yield hub, ctx
    client.close()
    cache.close()
    server.stop()
    hub.close()


def _sync(ctx):
    (outcome,) = sync_sources(ctx, ["issuer-keys"])
    return outcome


def test_keys_and_crls_reach_the_station_and_follow_the_hub(hub_and_station):
    hub, ctx = hub_and_station
    key = shc_jwk()
    crl = {"kid": key["kid"], "method": "rid", "ctr": 2, "rids": ["aaaa", "bbbb.1700000000"]}
    assert hub.add_issuer("shc", ISS, [key], [crl]) == 1
    outcome = _sync(ctx)
    assert outcome.ok, outcome.error
    store = IssuerKeyCache(ctx.cache)
    assert store.keys_for("shc", ISS, key["kid"]) == [key]
    assert store.is_revoked("shc", ISS, key["kid"], "aaaa", 1_800_000_000)
    assert store.is_revoked("shc", ISS, key["kid"], "bbbb", 1_600_000_000)
    assert not store.is_revoked("shc", ISS, key["kid"], "bbbb", 1_750_000_000)
    assert _sync(ctx).result.unchanged
    hub.remove_issuer("shc", ISS)
    assert _sync(ctx).ok
    assert store.keys_for("shc", ISS, key["kid"]) == []
    assert not store.is_revoked("shc", ISS, key["kid"], "aaaa", 1_800_000_000)


def test_manual_keys_survive_syncs(hub_and_station):
    hub, ctx = hub_and_station
    manual = shc_jwk()
    IssuerKeyCache(ctx.cache).import_keys("shc", "https://local.example", [manual])
    hub.add_issuer("shc", ISS, [shc_jwk()])
    assert _sync(ctx).ok
    assert IssuerKeyCache(ctx.cache).keys_for("shc", "https://local.example", manual["kid"])


def test_the_hub_refuses_a_shc_key_whose_kid_is_not_its_thumbprint(hub_and_station):
    hub, _ = hub_and_station
    key = dict(shc_jwk(), kid="made-up")
    with pytest.raises(ValueError, match="thumbprint"):
        hub.add_issuer("shc", ISS, [key])
    with pytest.raises(ValueError, match="private"):
        hub.add_issuer("nzcp", "did:web:example.org", [dict(shc_jwk(), d="secret")])


def test_a_tampered_bundle_changes_nothing(hub_and_station):
    hub, ctx = hub_and_station
    hub.add_issuer("shc", ISS, [shc_jwk()])
    before = ctx.cache.content_digest(include_sync_state=False)
    hub.faults.add("/station/v1/bundles/issuer-keys", "tamper")
    outcome = _sync(ctx)
    assert outcome.error.code in {"SIGNATURE_REJECTED", "DATA_INVALID"}
    assert ctx.cache.content_digest(include_sync_state=False) == before
