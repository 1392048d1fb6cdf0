"""The proof's pieces on their own: issuer JWKs, candidate keys, base64url, the signed bytes."""

from __future__ import annotations

import hashlib

import pytest
from divoc_helpers import signed

from station.errors import Reject
from station.issuer.divoc import DivocIssuer, b64url, new_issuer
from station.reasons import Reason
from station.verify import divoc_canon, divoc_signature

pytest_plugins = ["divoc_fixtures"]


def message_of(credential: dict) -> tuple[divoc_signature.Proof, bytes]:
    proof = divoc_signature.parse_proof(credential["proof"])
    document = {k: v for k, v in credential.items() if k != "proof"}
    message = divoc_signature.signed_bytes(
        proof.header_part,
        divoc_canon.canonical_nquads(proof.options),
        divoc_canon.canonical_nquads(document),
    )
    return proof, message


def test_the_signed_bytes_are_header_dot_two_hashes():
    message = divoc_signature.signed_bytes("eyJ", "proof\n", "doc\n")
    assert (
        message == b"eyJ." + hashlib.sha256(b"proof\n").digest() + hashlib.sha256(b"doc\n").digest()
    )


def test_proof_options_drop_the_signature_and_take_the_security_context(divoc_issuer):
    proof = divoc_signature.parse_proof(signed(divoc_issuer)["proof"])
    assert proof.options["@context"] == "https://w3id.org/security/v2"
    assert "jws" not in proof.options and proof.options["type"] == "Ed25519Signature2018"


def test_a_rotated_key_under_the_same_id_is_found_among_candidates(divoc_issuer: DivocIssuer):
    proof, message = message_of(signed(divoc_issuer))
    old = new_issuer("EdDSA").public_jwk()
    divoc_signature.verify_with_keys(proof, [old, divoc_issuer.public_jwk()], message)
    with pytest.raises(Reject) as caught:
        divoc_signature.verify_with_keys(proof, [old], message)
    assert caught.value.reason is Reason.SIGNATURE_INVALID


@pytest.mark.parametrize(
    ("jwk", "alg", "reason"),
    [
        ({"kty": "OKP", "crv": "Ed25519", "x": b64url(bytes(31))}, "EdDSA", "KEY_ALG_MISMATCH"),
        ({"kty": "OKP", "crv": "X25519", "x": b64url(bytes(32))}, "EdDSA", "KEY_ALG_MISMATCH"),
        ({"kty": "OKP", "crv": "Ed25519", "x": "not base64!"}, "EdDSA", "KEY_ALG_MISMATCH"),
        (
            {"kty": "OKP", "crv": "Ed25519", "x": b64url(bytes(32)), "alg": "ES256"},
            "EdDSA",
            "KEY_ALG_MISMATCH",
        ),
        ({"kty": "EC", "crv": "P-256", "x": "AA", "y": "AA"}, "PS256", "KEY_ALG_MISMATCH"),
        ({"kty": "RSA", "n": b64url(bytes([0xC1]) * 128), "e": "AQAB"}, "PS256", "KEY_TOO_WEAK"),
        ({"kty": "RSA", "n": b64url(bytes([0xC1]) * 256), "e": "Ag"}, "PS256", "KEY_ALG_MISMATCH"),
    ],
)
def test_keys_that_cannot_check_the_proof(jwk, alg, reason):
    with pytest.raises(Reject) as caught:
        divoc_signature.public_key(jwk, alg)
    assert caught.value.reason == reason


def test_the_worst_key_problem_is_reported_when_none_verifies(divoc_issuer):
    proof, message = message_of(signed(divoc_issuer))
    weak = {"kty": "OKP", "crv": "Ed25519", "x": b64url(bytes(5))}
    with pytest.raises(Reject) as caught:
        divoc_signature.verify_with_keys(proof, [weak], message)
    assert caught.value.reason is Reason.KEY_ALG_MISMATCH
    with pytest.raises(Reject) as caught:
        divoc_signature.verify_with_keys(proof, [], message)
    assert caught.value.reason is Reason.KID_UNKNOWN


@pytest.mark.parametrize("text", ["", "a=", "ab+c", "ab/c", "a", "a b", None, 5])
def test_base64url_is_strict(text):
    with pytest.raises(ValueError):
        divoc_signature.b64url_decode(text)


def test_base64url_round_trip():
    assert divoc_signature.b64url_decode(b64url(bytes(range(256)))) == bytes(range(256))


def test_malformed_json_ld_is_refused_with_its_error_code():
    with pytest.raises(Reject) as caught:
        divoc_canon.canonical_nquads({"@id": 5, "https://schema.org/name": "x"})
    assert caught.value.reason is Reason.DIVOC_JSONLD_INVALID
    assert caught.value.detail and "5" not in caught.value.detail
