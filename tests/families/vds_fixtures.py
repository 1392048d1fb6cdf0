"""Fixtures of the VDS-NC tests: a real CSCA and barcode signer, and verifiers over a fresh
station cache that trusts chosen CSCAs as issuer keys (family "vds").

Test modules load this with `pytest_plugins = ["vds_fixtures"]`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from station.adapters.clock import FixedClock
from station.cache.database import open_cache
from station.cache.issuer_keys import IssuerKeyCache
from station.cache.trust_view import CachedTrust
from station.config import VerifierConfig
from station.issuer.vds import (
    BarcodeSigner,
    CountryAuthority,
    make_barcode_signer,
    make_country_authority,
)
from station.verify.verifier import Verifier

Trusted = Mapping[str, Sequence[Mapping[str, Any]]]
VerifierFor = Callable[..., Verifier]


@pytest.fixture(scope="session")
def vds_authority() -> CountryAuthority:
    """Viet Nam's demo CSCA, valid 2021-01-01 to 2030-12-30."""
    return make_country_authority("VN")


@pytest.fixture(scope="session")
def vds_signer(vds_authority: CountryAuthority) -> BarcodeSigner:
    """A barcode signer under that CSCA, valid 2025-01-01 to 2029-12-31."""
    return make_barcode_signer(vds_authority)


@pytest.fixture()
def verifier_for(tmp_path: Path, now: datetime) -> VerifierFor:
    """verifier_for({"VNM": [issuer_key, ...]}, config=None): a verifier over a new cache."""
    count = 0

    def _make(trusted: Trusted, config: VerifierConfig | None = None) -> Verifier:
        nonlocal count
        count += 1
        cache = open_cache(tmp_path / f"cache-{count}.sqlite")
        keys = IssuerKeyCache(cache)
        for issuer, entries in trusted.items():
            keys.import_keys("vds", issuer, entries)
        return Verifier(CachedTrust(cache, FixedClock(now)).sources(), FixedClock(now), config)

    return _make


@pytest.fixture()
def vds_verifier(verifier_for: VerifierFor, vds_authority: CountryAuthority) -> Verifier:
    return verifier_for({"VNM": [vds_authority.issuer_key()]})
