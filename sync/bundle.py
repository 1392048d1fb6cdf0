"""Signed bundles: how the hub proves that data came from it and how new it is.

A bundle is a compact JWS (`header.payload.signature`, base64url, ES256 only) whose payload is a
JSON object with at least `source`, `version` (an integer that only grows), `issued_at` and
`expires_at` (ISO 8601, UTC). The station pins the hub's public keys (two during a rotation), so
`alg:none`, an unpinned key, an `x5c` chain to some CA, a flipped byte or a bundle of another
source are all refused before any of its content is looked at.

Rule and value-set lists follow the DGCA convention instead: an `X-SIGNATURE` header holding an
ECDSA (SHA-256, DER, base64) signature over the lowercase SHA-256 hex string of the body.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from sync.errors import DataInvalid, SignatureRejected

ALGORITHM = "ES256"
BUNDLE_TYPE = "station-bundle+json"
#: A bundle is never larger than what a sync response may be (see sync/http.py caps).
MAX_BUNDLE_CHARS = 16 * 1024 * 1024


class KeyNotPinned(SignatureRejected):
    """Signed by a key id the station does not pin: an impostor, or a key the hub rotated to."""

    def __init__(self, key_id: str) -> None:
        self.key_id = key_id
        super().__init__("signed by a key this station does not pin")


@dataclass(frozen=True, slots=True)
class Bundle:
    """A verified bundle: its source, version, dates and the whole payload."""

    source: str
    version: int
    issued_at: datetime
    expires_at: datetime
    payload: Mapping[str, Any]
    key_id: str


def key_fingerprint(public_key: ec.EllipticCurvePublicKey) -> str:
    """SHA-256 hex of the SubjectPublicKeyInfo DER: what operators pin and compare."""
    spki = public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(spki).hexdigest()


def key_id(public_key: ec.EllipticCurvePublicKey) -> str:
    """The short id a bundle header names its key by (first 16 hex digits of the fingerprint)."""
    return key_fingerprint(public_key)[:16]


def load_public_key(pem_or_der: bytes) -> ec.EllipticCurvePublicKey:
    """A P-256 public key from PEM or DER SubjectPublicKeyInfo."""
    try:
        if pem_or_der.lstrip().startswith(b"-----"):
            key = serialization.load_pem_public_key(pem_or_der)
        else:
            key = serialization.load_der_public_key(pem_or_der)
    except ValueError as exc:
        raise DataInvalid("the pinned key is not a public key") from exc
    if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name != "secp256r1":
        raise DataInvalid("the pinned key is not an ECDSA P-256 key")
    return key


def public_key_pem(public_key: ec.EllipticCurvePublicKey) -> str:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def sign_bundle(private_key: ec.EllipticCurvePrivateKey, payload: Mapping[str, Any]) -> str:
    """Serialize `payload` and sign it as a compact JWS with the hub's key."""
    for name in ("source", "version", "issued_at", "expires_at"):
        if name not in payload:
            raise ValueError(f"a bundle payload needs {name!r}")
    header = {"alg": ALGORITHM, "kid": key_id(private_key.public_key()), "typ": BUNDLE_TYPE}
    signing_input = _b64(_json_bytes(header)) + "." + _b64(_json_bytes(payload))
    der = private_key.sign(signing_input.encode("ascii"), ec.ECDSA(hashes.SHA256()))
    r, s = decode_dss_signature(der)
    return signing_input + "." + _b64(r.to_bytes(32, "big") + s.to_bytes(32, "big"))


def verify_bundle(
    token: str | bytes,
    pinned: Mapping[str, ec.EllipticCurvePublicKey],
    expected_source: str,
) -> Bundle:
    """Check a compact JWS against the pinned keys (key id → key) and return its bundle.

    Raises `SignatureRejected` for anything about the signature, `DataInvalid` for a payload
    that is not a bundle of `expected_source`.
    """
    text = token.decode("ascii", "replace") if isinstance(token, bytes) else token
    if len(text) > MAX_BUNDLE_CHARS:
        raise DataInvalid("bundle too large")
    parts = text.strip().split(".")
    if len(parts) != 3 or not parts[2]:
        raise SignatureRejected("the answer is not a signed bundle")
    header = _json_object(parts[0], "header")
    if header.get("alg") != ALGORITHM:
        raise SignatureRejected(f"signature algorithm {header.get('alg')!r} is not allowed")
    key = pinned.get(str(header.get("kid")))
    if key is None:
        raise KeyNotPinned(str(header.get("kid"))[:64])
    raw = _unb64(parts[2], "signature")
    if len(raw) != 64:
        raise SignatureRejected("the signature has the wrong length")
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    try:
        key.verify(der, f"{parts[0]}.{parts[1]}".encode("ascii"), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature as exc:
        raise SignatureRejected("the signature does not match the data") from exc
    return _bundle(_json_object(parts[1], "payload"), expected_source, str(header["kid"]))


def sign_hash_string(private_key: ec.EllipticCurvePrivateKey, body: bytes) -> str:
    """DGCA `X-SIGNATURE`: ECDSA over the SHA-256 hex string of `body`, DER, base64."""
    digest_hex = hashlib.sha256(body).hexdigest().encode("ascii")
    return base64.b64encode(private_key.sign(digest_hex, ec.ECDSA(hashes.SHA256()))).decode()


def verify_hash_string(
    public_keys: Mapping[str, ec.EllipticCurvePublicKey], body: bytes, signature: str | None
) -> None:
    """Accept `body` only if `signature` is a DGCA `X-SIGNATURE` by one of the pinned keys."""
    if not signature:
        raise SignatureRejected("the list carries no signature")
    try:
        der = base64.b64decode(signature, validate=True)
    except ValueError as exc:
        raise SignatureRejected("the list signature is not base64") from exc
    digest_hex = hashlib.sha256(body).hexdigest().encode("ascii")
    for key in public_keys.values():
        try:
            key.verify(der, digest_hex, ec.ECDSA(hashes.SHA256()))
            return
        except InvalidSignature:
            continue
    raise SignatureRejected("the list signature does not match a pinned key")


def _bundle(payload: dict[str, Any], expected_source: str, kid: str) -> Bundle:
    if payload.get("source") != expected_source:
        raise DataInvalid(f"expected a {expected_source} bundle, got {payload.get('source')!r}")
    version = payload.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise DataInvalid("the bundle version is not a non-negative integer")
    return Bundle(
        source=expected_source,
        version=version,
        issued_at=_instant(payload.get("issued_at"), "issued_at"),
        expires_at=_instant(payload.get("expires_at"), "expires_at"),
        payload=payload,
        key_id=kid,
    )


def _instant(value: Any, name: str) -> datetime:
    if not isinstance(value, str):
        raise DataInvalid(f"the bundle's {name} is missing")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise DataInvalid(f"the bundle's {name} is not a date") from exc
    if parsed.tzinfo is None:
        raise DataInvalid(f"the bundle's {name} has no time zone")
    return parsed.astimezone(UTC)


def _json_object(part: str, what: str) -> dict[str, Any]:
    try:
        value = json.loads(_unb64(part, what))
    except (ValueError, RecursionError) as exc:
        raise DataInvalid(f"the bundle {what} is not JSON") from exc
    if not isinstance(value, dict):
        raise DataInvalid(f"the bundle {what} is not a JSON object")
    return value


def _json_bytes(value: Mapping[str, Any]) -> bytes:
    return json.dumps(value, separators=(",", ":"), sort_keys=True).encode("utf-8")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(part: str, what: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    except ValueError as exc:
        raise SignatureRejected(f"the bundle {what} is not base64url") from exc
