"""Credentials signed by other DIVOC implementations (jsonld-signatures in Node.js): a CoWIN
production certificate, DIVOC's own Ed25519 signer output, and KDE's CoWIN-shaped sample.

They prove that the station's canonicalisation (pyld, vendored contexts, proof options under the
security v2 context) computes the very bytes DIVOC signs.  Sources: tests/vectors/divoc/README.md.
"""

from __future__ import annotations

import base64
import io
import json
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from divoc_helpers import VECTORS, b58decode, text_of, text_of_json, vector_json

from station.adapters.clock import FixedClock
from station.cache.database import open_cache
from station.cache.issuer_keys import IssuerKeyCache
from station.cache.trust_view import CachedTrust
from station.errors import Reject
from station.issuer.divoc import b64url
from station.reasons import Reason, Status
from station.verify import divoc_canon, divoc_signature
from station.verify.divoc_contexts import load_vendored, vendored_contexts
from station.verify.verifier import Verifier

COWIN = "https://cowin.gov.in/"
INDIA_KID = "did:india"
CHECKED_AT = datetime(2021, 6, 1, tzinfo=UTC)


def india_jwk() -> dict[str, str]:
    key = serialization.load_pem_public_key((VECTORS / "india-public-key.pem").read_bytes())
    assert isinstance(key, rsa.RSAPublicKey)
    numbers = key.public_numbers()

    def encode(value: int) -> str:
        return b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))

    return {"kty": "RSA", "n": encode(numbers.n), "e": encode(numbers.e), "kid": INDIA_KID}


@pytest.fixture()
def cowin_verifier(tmp_path: Path) -> Iterator[Verifier]:
    with open_cache(tmp_path / "cache.sqlite") as cache:
        IssuerKeyCache(cache).import_keys("divoc", COWIN, [india_jwk()])
        clock = FixedClock(CHECKED_AT)
        yield Verifier(CachedTrust(cache, clock).sources(), clock)


def cowin_archive() -> bytes:
    return base64.b64decode((VECTORS / "cowin-production-rsa.b64").read_text(encoding="ascii"))


def cowin_certificate() -> bytes:
    """The credential JSON inside the vector's string-encoded certificate.json."""
    inner = json.loads(zipfile.ZipFile(io.BytesIO(cowin_archive())).read("certificate.json"))
    assert isinstance(inner, str)
    return inner.encode("utf-8")


def test_the_vector_as_packed_holds_a_json_string_not_a_credential(cowin_verifier):
    result = cowin_verifier.verify(cowin_archive().decode("latin-1"))
    assert result.status is Status.INVALID
    assert result.failed_checks[0].name == "json"
    assert result.failed_checks[0].code == Reason.DIVOC_JSON_INVALID


def test_a_cowin_production_signature_verifies(cowin_verifier):
    result = cowin_verifier.verify(text_of_json(cowin_certificate()))
    assert result.status is Status.VALID, result.failed_checks
    assert result.holder is not None and result.holder.name == "Third March User One"
    assert result.details["proof_type"] == "RsaSignature2018"
    assert result.details["vaccinations"][0]["vaccine"] == "COVISHIELD"
    assert (result.details["vaccinations"][0]["dose"], result.details["issued"]) == (
        1,
        "2021-03-03T04:28:46.012Z",
    )


@pytest.mark.parametrize(
    "change",
    [
        lambda c: c["credentialSubject"].update(name="Third March User Two"),
        lambda c: c["evidence"][0].update(totalDoses=1),
        lambda c: c.update(issuanceDate="2021-03-03T04:28:46.013Z"),
        lambda c: c["proof"].update(created="2021-03-03T04:28:47Z"),
    ],
)
def test_any_change_to_the_cowin_certificate_breaks_its_signature(change, cowin_verifier):
    credential = json.loads(cowin_certificate())
    change(credential)
    result = cowin_verifier.verify(text_of(credential))
    assert [(c.name, c.code) for c in result.failed_checks] == [
        ("signature", Reason.SIGNATURE_INVALID)
    ]


def test_the_cowin_key_trusted_for_another_issuer_does_not_count(tmp_path: Path):
    clock = FixedClock(CHECKED_AT)
    with open_cache(tmp_path / "cache.sqlite") as cache:
        IssuerKeyCache(cache).import_keys("divoc", "https://divoc.lgcc.gov.lk/", [india_jwk()])
        result = Verifier(CachedTrust(cache, clock).sources(), clock).verify(
            text_of_json(cowin_certificate())
        )
    assert [(c.name, c.code) for c in result.failed_checks] == [
        ("issuer", Reason.DIVOC_ISSUER_UNTRUSTED)
    ]


def test_kde_sample_subject_id_with_a_space_is_outside_the_signature(cowin_verifier):
    """Real 2021 CoWIN certificates named holders `did:Aadhaar Card:…` (DIVOC issue #762)."""
    credential = vector_json("kde-partial-vaccination.json")
    result = cowin_verifier.verify(text_of(credential))
    assert result.status is Status.INVALID
    assert [(c.name, c.code) for c in result.failed_checks] == [
        ("jsonld", Reason.DIVOC_JSONLD_INVALID)
    ]
    assert result.holder is None  # the unsigned name is never shown as the holder


def test_kde_sample_zeroed_signature_is_refused_once_its_id_is_an_iri(cowin_verifier):
    credential = vector_json("kde-partial-vaccination.json")
    credential["credentialSubject"]["id"] = "did:aadhaar:1234"
    signature = cowin_verifier.verify(text_of(credential)).check("signature")
    assert signature is not None
    assert signature.code == Reason.SIGNATURE_MALFORMED  # padded base64: not a JWS


def divoc_test_loader(url: str, options: Any = None) -> dict[str, Any]:
    """The vendored contexts plus DIVOC's development URL, served as DIVOC's test serves it."""
    if url == "https://divoc.dev/credentials/vaccination/v1":
        url = "https://cowin.gov.in/credentials/vaccination/v1"
    return load_vendored(url, options)


def divoc_test_key() -> dict[str, str]:
    raw = b58decode(vector_json("divoc-ed25519-test-key.json")["publicKeyBase58"])
    return {"kty": "OKP", "crv": "Ed25519", "x": b64url(raw), "kid": "did:india"}


def check_proof(credential: dict[str, Any]) -> None:
    document = {k: v for k, v in credential.items() if k != "proof"}
    proof = divoc_signature.parse_proof(credential["proof"])
    message = divoc_signature.signed_bytes(
        proof.header_part,
        divoc_canon.canonical_nquads(proof.options),
        divoc_canon.canonical_nquads(document, divoc_test_loader),
    )
    divoc_signature.verify_with_keys(proof, [divoc_test_key()], message)


def test_divoc_s_own_ed25519_signature_verifies():
    check_proof(vector_json("divoc-ed25519-test.json"))


def test_divoc_s_ed25519_signature_fails_once_tampered():
    credential = vector_json("divoc-ed25519-test.json")
    credential["credentialSubject"]["name"] = "Bhaya Mitra Jr"
    with pytest.raises(Reject) as caught:
        check_proof(credential)
    assert caught.value.reason is Reason.SIGNATURE_INVALID


def test_the_station_does_not_hold_divoc_s_development_context(cowin_verifier):
    result = cowin_verifier.verify(text_of(vector_json("divoc-ed25519-test.json")))
    assert [(c.name, c.code) for c in result.failed_checks] == [
        ("context", Reason.DIVOC_CONTEXT_UNKNOWN)
    ]
    assert "https://divoc.dev/credentials/vaccination/v1" not in vendored_contexts()
