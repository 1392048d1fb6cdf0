"""Fixtures of the NZ COVID Pass tests: a real issuer key, a real cache holding the keys taken
from its DID document, and a verifier over that cache.

Test modules load this with `pytest_plugins = ["nzcp_fixtures"]`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from station.adapters.clock import FixedClock
from station.cache.database import CacheDatabase, open_cache
from station.cache.issuer_keys import IssuerKeyCache
from station.cache.trust_view import CachedTrust
from station.issuer.nzcp import NzcpIssuer, new_issuer
from station.ports import TrustSources
from station.verify import nzcp
from station.verify.nzcp_keys import jwks_from_did_document
from station.verify.verifier import Verifier


@pytest.fixture(scope="session")
def nzcp_issuer() -> NzcpIssuer:
    """An issuer under the spec's test DID (accepted only where explicitly allowed)."""
    return new_issuer()


@pytest.fixture()
def test_issuer_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a test station does to accept the spec's test issuer as well."""
    monkeypatch.setattr(nzcp, "TRUSTED_ISSUERS", nzcp.WITH_TEST_ISSUER)


@pytest.fixture()
def nzcp_cache(tmp_path: Path, nzcp_issuer: NzcpIssuer) -> Iterator[CacheDatabase]:
    """A fresh cache holding the issuer's keys, imported from its DID document."""
    with open_cache(tmp_path / "cache.sqlite") as cache:
        keys = jwks_from_did_document(nzcp_issuer.did_document())["keys"]
        IssuerKeyCache(cache).import_keys("nzcp", nzcp_issuer.did, keys)
        yield cache


@pytest.fixture()
def nzcp_trust(nzcp_cache: CacheDatabase, now: datetime) -> TrustSources:
    return CachedTrust(nzcp_cache, FixedClock(now)).sources()


@pytest.fixture()
def nzcp_verifier(nzcp_trust: TrustSources, now: datetime, test_issuer_allowed: None) -> Verifier:
    return Verifier(nzcp_trust, FixedClock(now))
