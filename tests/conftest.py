"""Shared fixtures: offscreen Qt, a fixed validation clock, and a fresh test PKI per session."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

VECTORS = Path(__file__).parent / "vectors"
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def now() -> datetime:
    return NOW


@pytest.fixture(scope="session")
def es256_signer():
    from station.issuer.pki import make_signer

    return make_signer(algorithm="ES256", not_before=datetime(2025, 1, 1, tzinfo=UTC), usages="vtr")


@pytest.fixture(scope="session")
def ps256_signer():
    from station.issuer.pki import make_signer

    return make_signer(algorithm="PS256", not_before=datetime(2025, 1, 1, tzinfo=UTC))
