"""From a DID document to the JWKS the station imports, and from a stored JWK to a P-256 key."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from station.errors import Reject
from station.issuer.nzcp import new_issuer
from station.reasons import Reason
from station.verify import nzcp_keys
from station.verify.nzcp_keys import jwks_from_did_document, key_id, public_key_from_jwk

DID = "did:web:nzcp.example.nz"


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    """Two keys: key-1 may sign passes (assertionMethod), auth-1 may only authenticate."""
    signing, auth = new_issuer(DID, "key-1"), new_issuer(DID, "auth-1")
    doc = signing.did_document()
    doc["verificationMethod"].append(
        {
            "id": "#auth-1",
            "controller": DID,
            "type": "JsonWebKey2020",
            "publicKeyJwk": auth.public_jwk(),
        }
    )
    doc["authentication"] = [f"{DID}#auth-1"]
    return doc


def test_only_assertion_keys_are_taken_under_their_fragment(document):
    jwks = jwks_from_did_document(document)
    assert [key["kid"] for key in jwks["keys"]] == ["key-1"]
    assert jwks["keys"][0]["x"] == document["verificationMethod"][0]["publicKeyJwk"]["x"]


def test_relative_references_and_embedded_methods_are_understood(document):
    doc = copy.deepcopy(document)
    embedded = {**doc["verificationMethod"][1], "id": "#emb-1"}
    doc["assertionMethod"] = ["#key-1", embedded]
    assert [k["kid"] for k in jwks_from_did_document(doc)["keys"]] == ["key-1", "emb-1"]


def mutated(document: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    doc = copy.deepcopy(document)
    target = doc
    for step in path[:-1]:
        target = target[step]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return doc


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("verificationMethod", 0, "publicKeyJwk", "d"), "c2VjcmV0", r"private members \(d\)"),
        (("verificationMethod", 0, "type"), "Ed25519VerificationKey2018", "not of type"),
        (("verificationMethod", 0, "publicKeyJwk", "crv"), "P-384", "not an EC P-256 key"),
        (("verificationMethod", 0, "publicKeyJwk", "x"), "A" * 43, "not a P-256 point"),
        (("verificationMethod", 0, "publicKeyJwk"), KeyError, "no publicKeyJwk"),
        (("verificationMethod", 0, "id"), "did:web:other.nz#key-1", "lacks"),
        (("assertionMethod",), [], "no key is listed"),
        (("assertionMethod",), KeyError, "no key is listed"),
        (("assertionMethod",), "#key-1", "not a list"),
        (("assertionMethod", 0), "did:web:other.nz#key-1", "not a key of"),
        (("assertionMethod", 0), f"{DID}#", "not a key of"),
        (("id",), "did:key:z6Mk", "not a did:web"),
        (("verificationMethod",), "key-1", "not a list of objects"),
        (("assertionMethod", 0), 5, "not text"),
    ],
)
def test_documents_that_cannot_be_trusted_are_refused(document, path, value, message):
    with pytest.raises(ValueError, match=message):
        jwks_from_did_document(mutated(document, path, value))


def test_the_document_must_be_the_named_issuers(document):
    with pytest.raises(ValueError, match="not 'did:web:nzcp.identity.health.nz'"):
        jwks_from_did_document(document, "did:web:nzcp.identity.health.nz")
    assert jwks_from_did_document(document, DID)["keys"]
    with pytest.raises(ValueError, match="JSON object"):
        jwks_from_did_document(["not", "a", "document"])


@pytest.mark.parametrize(
    "jwk",
    [
        {"kty": "RSA", "n": "AQAB", "e": "AQAB"},
        {"kty": "EC", "crv": "P-256", "x": 1, "y": 2},
        {"kty": "EC", "crv": "P-256", "x": "A" * 42, "y": "A" * 43},
        {"kty": "EC", "crv": "P-256", "x": "A+" * 21 + "A", "y": "A" * 43},
        {"kty": "EC", "crv": "P-256", "x": "A" * 43, "y": "A" * 43, "d": "A" * 43},
    ],
)
def test_stored_keys_that_are_not_public_p256_keys_are_refused(jwk):
    with pytest.raises(Reject) as caught:
        public_key_from_jwk(jwk)
    assert caught.value.reason is Reason.KEY_ALG_MISMATCH


def test_a_published_key_round_trips_to_the_same_public_key():
    issuer = new_issuer()
    key = public_key_from_jwk(issuer.public_jwk())
    assert key.public_numbers() == issuer.key.public_key().public_numbers()


@pytest.mark.parametrize(
    ("kid", "expected"),
    [
        (b"key-1", "key-1"),
        ("key-1", "key-1"),
        (None, Reason.KID_MISSING),
        (b"", Reason.KID_INVALID),
        ("k" * (nzcp_keys.MAX_KID_CHARS + 1), Reason.KID_INVALID),
        (b"\xc3\x28", Reason.KID_INVALID),
        (["key-1"], Reason.KID_INVALID),
    ],
)
def test_key_ids_are_text_or_utf8_bytes(kid, expected):
    if isinstance(expected, str) and not isinstance(expected, Reason):
        assert key_id(kid) == expected
        return
    with pytest.raises(Reject) as caught:
        key_id(kid)
    assert caught.value.reason is expected
