"""Fixtures of the entry-log tests: the authority's key pair, a real DCC verifier, real results.

Test modules load this with `pytest_plugins = ["entrylog_fixtures"]`; helpers are in
entrylog_helpers.py.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from station.adapters.clock import FixedClock
from station.entrylog.sealing import SealingKey, generate_authority_key
from station.issuer.dcc import issue_dcc, vaccination_payload
from station.issuer.pki import Signer
from station.model import VerificationResult
from station.trust.certificate import load_trusted_certificate
from station.trust.index import TrustIndex
from station.verify.verifier import Verifier

DccResult = Callable[..., VerificationResult]


@pytest.fixture(scope="session")
def authority_key() -> X25519PrivateKey:
    """The health authority's private key: held by the authority, never by a station."""
    return generate_authority_key()


@pytest.fixture(scope="session")
def sealing_key(authority_key: X25519PrivateKey) -> SealingKey:
    return SealingKey(authority_key.public_key())


@pytest.fixture(scope="session")
def dcc_verifier(es256_signer: Signer, now: datetime) -> Verifier:
    return Verifier(TrustIndex([load_trusted_certificate(es256_signer.der)]), FixedClock(now))


@pytest.fixture(scope="session")
def dcc_result(es256_signer: Signer, dcc_verifier: Verifier, now: datetime) -> DccResult:
    """A real verdict on a real signed DCC naming whoever the test chooses."""

    def make(
        family: str = "Nguyễn", given: str = "Văn An", dob: str = "1990-05-17"
    ) -> VerificationResult:
        text = issue_dcc(
            es256_signer,
            vaccination_payload(family=family, given=given, dob=dob),
            issued_at=now - timedelta(days=1),
            expires=now + timedelta(days=100),
        )
        return dcc_verifier.verify(text)

    return make


@pytest.fixture()
def log_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "log.sqlite"
