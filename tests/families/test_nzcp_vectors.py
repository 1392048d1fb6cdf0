"""The NZ COVID Pass specification's published examples, each with its expected outcome.

The spec's examples are signed by its test issuer `did:web:nzcp.covid19.health.nz`, which "must
be set to be a trusted issuer for the purposes of testing"; the keys come from the spec's example
DID document through the same converter an operator uses.  Validation time: two weeks after the
valid example became active (2021-11-02), when the expired example had expired and the
not-active one (active from 2026-11-02) was not yet active.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from nzcp_helpers import VECTORS

from station.adapters.clock import FixedClock
from station.cache.database import open_cache
from station.cache.issuer_keys import IssuerKeyCache
from station.cache.trust_view import CachedTrust
from station.reasons import Reason, Status
from station.verify import nzcp
from station.verify.nzcp_keys import jwks_from_did_document
from station.verify.verifier import Verifier

pytest_plugins = ["nzcp_fixtures"]

VALIDATION_TIME = datetime(2021, 11, 16, tzinfo=UTC)
#: file → (check that fails, reason); the valid example fails none.
EXPECTED = {
    "valid/nzcp.txt": None,
    "invalid/nzcp-bad-public-key.txt": ("signature", Reason.SIGNATURE_INVALID),
    "invalid/nzcp-not-associated-public-key.txt": ("signature", Reason.KID_UNKNOWN),
    "invalid/nzcp-modified-sig.txt": ("signature", Reason.SIGNATURE_INVALID),
    "invalid/nzcp-modified-payload.txt": ("signature", Reason.SIGNATURE_INVALID),
    "invalid/nzcp-expired-payload.txt": ("validity", Reason.EXPIRED),
    "invalid/nzcp-notactive-payload.txt": ("validity", Reason.NOT_YET_VALID),
}


def _did_document() -> dict[str, object]:
    loaded: dict[str, object] = json.loads((VECTORS / "valid" / "did.json").read_text())
    return loaded


@pytest.fixture()
def spec_verifier(tmp_path: Path, test_issuer_allowed: None):
    document = _did_document()
    with open_cache(tmp_path / "cache.sqlite") as cache:
        keys = jwks_from_did_document(document)["keys"]
        IssuerKeyCache(cache).import_keys("nzcp", nzcp.TEST_ISSUER, keys)
        clock = FixedClock(VALIDATION_TIME)
        yield Verifier(CachedTrust(cache, clock).sources(), clock)


def test_every_vendored_example_has_an_expected_outcome():
    files = {str(p.relative_to(VECTORS)) for p in VECTORS.glob("*/*.txt")}
    assert files == set(EXPECTED)
    assert (VECTORS / "LICENSE").read_text().startswith(" " * 33 + "Apache License")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_spec_example_gives_the_expected_outcome(spec_verifier: Verifier, name: str):
    result = spec_verifier.verify((VECTORS / name).read_text())
    assert result.format == "nzcp"
    expected = EXPECTED[name]
    if expected is None:
        assert result.status is Status.VALID, result.to_json()["checks"]
        return
    check_name, reason = expected
    assert result.status is Status.INVALID
    assert [(c.name, c.code) for c in result.failed_checks] == [(check_name, reason)]
    assert result.reason == reason


def test_valid_example_decodes_to_the_published_claims(spec_verifier: Verifier):
    published = json.loads((VECTORS / "valid" / "nzcp.json").read_text())
    result = spec_verifier.verify((VECTORS / "valid" / "nzcp.txt").read_text())
    assert result.payload == published["vc"]
    assert result.details["credential_id"] == published["jti"]
    assert result.details["issuer"] == published["iss"]
    assert (result.details["nbf"], result.details["exp"]) == (published["nbf"], published["exp"])
    assert result.details["kid"] == "key-1"
    assert result.holder is not None
    assert (result.holder.name, result.holder.date_of_birth) == ("Sparrow, Jack", "1960-04-16")


def test_spec_examples_keep_their_signatures_valid_when_only_their_dates_are_wrong(
    spec_verifier: Verifier,
):
    """The expired and not-active examples are genuinely signed: only the dates fail."""
    for name in ("invalid/nzcp-expired-payload.txt", "invalid/nzcp-notactive-payload.txt"):
        result = spec_verifier.verify((VECTORS / name).read_text())
        assert result.check("signature").ok is True
        assert result.check("payload").ok is True


def test_not_active_example_becomes_valid_once_active(spec_verifier: Verifier):
    text = (VECTORS / "invalid" / "nzcp-notactive-payload.txt").read_text()
    assert spec_verifier.verify(text, at=datetime(2026, 11, 3, tzinfo=UTC)).valid
    assert spec_verifier.verify(text, at=datetime(2021, 11, 16, tzinfo=UTC)).reason == (
        Reason.NOT_YET_VALID
    )


def test_spec_examples_are_refused_where_only_the_production_issuer_is_trusted(tmp_path: Path):
    """Without the explicit opt-in the test issuer is untrusted, even with its keys imported."""
    assert nzcp.TRUSTED_ISSUERS == frozenset({"did:web:nzcp.identity.health.nz"})
    with open_cache(tmp_path / "cache.sqlite") as cache:
        keys = jwks_from_did_document(_did_document())["keys"]
        IssuerKeyCache(cache).import_keys("nzcp", nzcp.TEST_ISSUER, keys)
        clock = FixedClock(VALIDATION_TIME)
        verifier = Verifier(CachedTrust(cache, clock).sources(), clock)
        result = verifier.verify((VECTORS / "valid" / "nzcp.txt").read_text())
    assert result.status is Status.INVALID
    assert result.check("issuer").code == Reason.NZCP_ISSUER_UNTRUSTED
    assert result.check("signature").ok is None


def test_converter_gives_the_spec_example_jwk_under_its_key_id():
    jwk = json.loads((VECTORS / "valid" / "jwk.json").read_text())
    assert jwks_from_did_document(_did_document()) == {"keys": [{**jwk, "kid": "key-1"}]}
