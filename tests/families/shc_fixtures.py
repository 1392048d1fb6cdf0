"""Fixtures of the SMART Health Card tests: a real P-256 issuer, a real cache holding its public
JWKS, and a verifier over that cache; a cache trusting the spec's example issuer.

Test modules load this with `pytest_plugins = ["shc_fixtures"]`; helpers are in shc_helpers.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from shc_helpers import EXAMPLE_ISSUERS, VECTORS

from station.adapters.clock import FixedClock
from station.cache.database import CacheDatabase, open_cache
from station.cache.issuer_keys import IssuerKeyCache
from station.cache.trust_view import CachedTrust
from station.issuer.shc import ShcIssuer, make_shc_issuer
from station.ports import TrustSources
from station.verify.verifier import Verifier


@pytest.fixture(scope="session")
def shc_issuer() -> ShcIssuer:
    return make_shc_issuer()


@pytest.fixture(scope="session")
def stranger() -> ShcIssuer:
    """An issuer no station trusts."""
    return make_shc_issuer("https://untrusted.example.org/shc")


@pytest.fixture()
def shc_cache(tmp_path: Path, shc_issuer: ShcIssuer) -> Iterator[CacheDatabase]:
    """A fresh cache trusting `shc_issuer` with its published (public) JWKS."""
    with open_cache(tmp_path / "cache.sqlite") as cache:
        IssuerKeyCache(cache).import_keys("shc", shc_issuer.iss, shc_issuer.jwks()["keys"])
        yield cache


@pytest.fixture()
def shc_trust(shc_cache: CacheDatabase, now: datetime) -> TrustSources:
    return CachedTrust(shc_cache, FixedClock(now)).sources()


@pytest.fixture()
def shc_verifier(shc_trust: TrustSources, now: datetime) -> Verifier:
    return Verifier(shc_trust, FixedClock(now))


@pytest.fixture()
def example_cache(tmp_path: Path) -> Iterator[CacheDatabase]:
    """A cache trusting the spec's example issuer with the vendored public JWKS."""
    keys = json.loads((VECTORS / "jwks.json").read_text())["keys"]
    with open_cache(tmp_path / "examples.sqlite") as cache:
        for issuer in EXAMPLE_ISSUERS:
            IssuerKeyCache(cache).import_keys("shc", issuer, keys)
        yield cache
