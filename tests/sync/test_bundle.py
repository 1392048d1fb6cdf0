"""Signed bundles: only the pinned key, only ES256, only the expected source (T14)."""

from __future__ import annotations

import base64
import json

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from sync.bundle import (
    key_fingerprint,
    key_id,
    load_public_key,
    public_key_pem,
    sign_bundle,
    sign_hash_string,
    verify_bundle,
    verify_hash_string,
)
from sync.errors import DataInvalid, SignatureRejected

PAYLOAD = {
    "source": "revocations",
    "version": 4,
    "issued_at": "2026-06-01T00:00:00Z",
    "expires_at": "2026-06-08T00:00:00Z",
    "added": [],
}


@pytest.fixture(scope="module")
def hub_key():
    return ec.generate_private_key(ec.SECP256R1())


@pytest.fixture(scope="module")
def pinned(hub_key):
    return {key_id(hub_key.public_key()): hub_key.public_key()}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_a_bundle_signed_by_the_pinned_key_verifies(hub_key, pinned):
    bundle = verify_bundle(sign_bundle(hub_key, PAYLOAD), pinned, "revocations")
    assert (bundle.version, bundle.source, bundle.payload["added"]) == (4, "revocations", [])
    assert bundle.expires_at.isoformat() == "2026-06-08T00:00:00+00:00"


def test_every_flipped_character_is_refused(hub_key, pinned):
    token = sign_bundle(hub_key, PAYLOAD)
    for position in range(0, len(token), 7):
        if token[position] == "." or position + 1 == len(token) or token[position + 1] == ".":
            continue  # a segment's last character may only carry padding bits
        flipped = (
            token[:position] + ("A" if token[position] != "A" else "B") + token[position + 1 :]
        )
        with pytest.raises((SignatureRejected, DataInvalid)):
            verify_bundle(flipped, pinned, "revocations")


def test_a_key_that_is_not_pinned_is_refused(pinned):
    stranger = ec.generate_private_key(ec.SECP256R1())
    with pytest.raises(SignatureRejected, match="does not pin"):
        verify_bundle(sign_bundle(stranger, PAYLOAD), pinned, "revocations")


def test_a_stranger_claiming_the_pinned_kid_is_refused(hub_key, pinned):
    stranger = ec.generate_private_key(ec.SECP256R1())
    token = sign_bundle(stranger, PAYLOAD)
    header = {"alg": "ES256", "kid": key_id(hub_key.public_key()), "x5c": ["MIIB"]}
    forged = _b64(json.dumps(header).encode()) + "." + token.split(".", 1)[1]
    with pytest.raises(SignatureRejected, match="does not match"):
        verify_bundle(forged, pinned, "revocations")


def test_alg_none_and_missing_signature_are_refused(hub_key, pinned):
    body = _b64(json.dumps(PAYLOAD).encode())
    none_header = _b64(json.dumps({"alg": "none", "kid": key_id(hub_key.public_key())}).encode())
    for token in (f"{none_header}.{body}.", f"{none_header}.{body}", json.dumps(PAYLOAD)):
        with pytest.raises(SignatureRejected):
            verify_bundle(token, pinned, "revocations")


def test_a_valid_bundle_of_another_source_is_refused(hub_key, pinned):
    token = sign_bundle(hub_key, dict(PAYLOAD, source="status-list"))
    with pytest.raises(DataInvalid, match="expected a revocations bundle"):
        verify_bundle(token, pinned, "revocations")


@pytest.mark.parametrize("version", [-1, "4", 4.0, True, None])
def test_the_version_must_be_a_non_negative_integer(hub_key, pinned, version):
    token = sign_bundle(hub_key, dict(PAYLOAD, version=version))
    with pytest.raises(DataInvalid):
        verify_bundle(token, pinned, "revocations")


def test_oversize_tokens_are_refused_before_parsing(pinned):
    with pytest.raises(DataInvalid, match="too large"):
        verify_bundle("a" * (17 * 1024 * 1024), pinned, "revocations")


def test_dgca_list_signatures(hub_key, pinned):
    body = b'[{"id": "x", "hash": "00"}]'
    signature = sign_hash_string(hub_key, body)
    verify_hash_string(pinned, body, signature)
    with pytest.raises(SignatureRejected):
        verify_hash_string(pinned, body + b" ", signature)
    with pytest.raises(SignatureRejected):
        verify_hash_string(pinned, body, None)
    with pytest.raises(SignatureRejected):
        verify_hash_string(pinned, body, "not base64!")


def test_pinned_keys_round_trip_through_pem(hub_key):
    pem = public_key_pem(hub_key.public_key()).encode()
    loaded = load_public_key(pem)
    assert key_fingerprint(loaded) == key_fingerprint(hub_key.public_key())
    rsa_like = b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"
    with pytest.raises(DataInvalid):
        load_public_key(rsa_like)
