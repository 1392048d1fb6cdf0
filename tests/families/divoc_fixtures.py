"""Fixtures of the DIVOC tests: real Ed25519 and RSA issuer keys, a real cache holding their
public JWKs under the issuer, and a verifier over that cache.

Test modules load this with `pytest_plugins = ["divoc_fixtures"]`.
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
from station.issuer.divoc import DivocIssuer, new_issuer
from station.ports import TrustSources
from station.verify.verifier import Verifier

RSA_KID = "did:divoc-test:rsa"


@pytest.fixture(scope="session")
def divoc_issuer() -> DivocIssuer:
    return new_issuer("EdDSA")


@pytest.fixture(scope="session")
def divoc_rsa_issuer() -> DivocIssuer:
    return new_issuer("PS256", kid=RSA_KID)


@pytest.fixture()
def divoc_cache(
    tmp_path: Path, divoc_issuer: DivocIssuer, divoc_rsa_issuer: DivocIssuer
) -> Iterator[CacheDatabase]:
    """A fresh cache trusting the test issuer with both its keys."""
    with open_cache(tmp_path / "cache.sqlite") as cache:
        keys = [divoc_issuer.public_jwk(), divoc_rsa_issuer.public_jwk()]
        IssuerKeyCache(cache).import_keys("divoc", divoc_issuer.issuer, keys)
        yield cache


@pytest.fixture()
def divoc_trust(divoc_cache: CacheDatabase, now: datetime) -> TrustSources:
    return CachedTrust(divoc_cache, FixedClock(now)).sources()


@pytest.fixture()
def divoc_verifier(divoc_trust: TrustSources, now: datetime) -> Verifier:
    return Verifier(divoc_trust, FixedClock(now))
