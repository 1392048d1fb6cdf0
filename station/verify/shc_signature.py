"""SMART Health Card signatures: ES256 over the compact `header.payload`, with allow-listed keys.

A card names its key by `kid` (the RFC 7638 thumbprint of the issuer's JWK) in the header, but
names its issuer (`iss`) only inside the compressed payload.  So that nothing untrusted is
inflated, the signature is checked first, against the key under that `kid` of every allow-listed
issuer (`trust.issuer_keys`, family "shc"); the pipeline later requires the card's `iss` to be
one of the issuers whose key verified.  Keys are held locally and never fetched at scan time.

Rules: `alg` must be ES256 (`none`, HS256, RS256, ES384... are refused before any key is
touched); the signature must be the raw 64-byte r‖s of JWS (a DER-encoded ECDSA signature is an
error, not an alternative); a stored key must be an EC P-256 public JWK whose thumbprint,
recomputed here, equals its `kid`, so a key filed under the wrong kid is never used.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from station.errors import Reject
from station.ports import IssuerKeys
from station.reasons import Reason
from station.verify.shc_decode import CompactJws, shown

FAMILY = "shc"
ALGORITHM = "ES256"
SIGNATURE_BYTES = 64
#: JWK members only a private key has (RFC 7518 §6.2.2, §6.3.2, §6.4).
PRIVATE_MEMBERS = frozenset({"d", "p", "q", "dp", "dq", "qi", "oth", "k"})
_KID = re.compile(r"[A-Za-z0-9_-]{1,128}")
_COORDINATE = re.compile(r"[A-Za-z0-9_-]{43}")
_ECDSA = ec.ECDSA(hashes.SHA256())
#: When no key verifies, the most telling reason among the attempts (every reason a key can fail
#: with is listed).
_FAILURE_PRIORITY = (
    Reason.SIGNATURE_INVALID,
    Reason.SHC_KEY_THUMBPRINT_MISMATCH,
    Reason.KEY_USAGE_MISMATCH,
    Reason.KEY_ALG_MISMATCH,
)


@dataclass(frozen=True, slots=True)
class SignatureOutcome:
    """The header's `kid` and every allow-listed issuer whose key under it verified."""

    kid: str
    issuers: tuple[str, ...]


def require_es256(header: Mapping[str, Any]) -> str:
    """The header's `kid`, once `alg` is ES256; `Reject` with the precise reason otherwise."""
    alg = header.get("alg")
    if alg is None:
        raise Reject(Reason.ALG_MISSING, "no alg in the header")
    if alg != ALGORITHM:
        raise Reject(Reason.ALG_UNSUPPORTED, f"algorithm {shown(alg)} is not ES256")
    kid = header.get("kid")
    if kid is None:
        raise Reject(Reason.KID_MISSING, "no kid in the header")
    if not isinstance(kid, str) or not _KID.fullmatch(kid):
        raise Reject(Reason.KID_INVALID, "kid is not a base64url key thumbprint")
    return kid


def verify_card_signature(jws: CompactJws, keys: IssuerKeys | None) -> SignatureOutcome:
    """Check the card's signature against every allow-listed key under its `kid`."""
    kid = require_es256(jws.header)
    if len(jws.signature) != SIGNATURE_BYTES:
        raise Reject(
            Reason.SIGNATURE_MALFORMED,
            f"{len(jws.signature)} bytes instead of a raw 64-byte r‖s (DER is not allowed)",
        )
    candidates = candidate_keys(keys, kid)
    signature = encode_dss_signature(
        int.from_bytes(jws.signature[:32], "big"), int.from_bytes(jws.signature[32:], "big")
    )
    verified: set[str] = set()
    failures: dict[Reason, Reject] = {}
    for issuer, jwk in candidates:
        try:
            public_key_for(jwk, kid).verify(signature, jws.signing_input, _ECDSA)
        except Reject as exc:
            failures.setdefault(exc.reason, exc)
        except InvalidSignature:
            failures.setdefault(Reason.SIGNATURE_INVALID, Reject(Reason.SIGNATURE_INVALID))
        else:
            verified.add(issuer)
    if verified:
        return SignatureOutcome(kid, tuple(sorted(verified)))
    raise failures[min(failures, key=_FAILURE_PRIORITY.index)]


def candidate_keys(keys: IssuerKeys | None, kid: str) -> list[tuple[str, Mapping[str, Any]]]:
    """(issuer, stored JWK) for every allow-listed issuer holding a key under `kid`."""
    if keys is None:
        raise Reject(Reason.SHC_ISSUER_KEYS_UNAVAILABLE, "no SMART Health Card issuer is trusted")
    found = list(keys.keys_with_kid(FAMILY, kid))
    if not found and not keys.issuers(FAMILY):
        raise Reject(Reason.SHC_ISSUER_KEYS_UNAVAILABLE, "no SMART Health Card issuer is trusted")
    if not found:
        raise Reject(Reason.KID_UNKNOWN, "no trusted issuer holds a key with this kid")
    return found


def public_key_for(jwk: Mapping[str, Any], kid: str) -> ec.EllipticCurvePublicKey:
    """The P-256 key of a stored public JWK whose thumbprint is `kid`."""
    if PRIVATE_MEMBERS & set(jwk):
        raise Reject(Reason.KEY_ALG_MISMATCH, "the stored issuer key holds private members")
    if jwk.get("kty") != "EC" or jwk.get("crv") != "P-256":
        raise Reject(Reason.KEY_ALG_MISMATCH, "the issuer key is not an EC P-256 key")
    if jwk.get("alg", ALGORITHM) != ALGORITHM:
        raise Reject(Reason.KEY_ALG_MISMATCH, "the issuer key is not for ES256")
    if jwk.get("use", "sig") != "sig":
        raise Reject(Reason.KEY_USAGE_MISMATCH, "the issuer key is not a signing key")
    x, y = jwk.get("x"), jwk.get("y")
    if not isinstance(x, str) or not isinstance(y, str):
        raise Reject(Reason.KEY_ALG_MISMATCH, "the issuer key lacks its coordinates")
    key, thumbprint = _p256_key(x, y)
    if thumbprint != kid or jwk.get("kid") != kid:
        raise Reject(Reason.SHC_KEY_THUMBPRINT_MISMATCH, "key thumbprint differs from its kid")
    return key


def jwk_thumbprint(x: str, y: str) -> str:
    """RFC 7638 thumbprint of an EC P-256 JWK: SHA-256 over its required members, sorted."""
    canonical = f'{{"crv":"P-256","kty":"EC","x":"{x}","y":"{y}"}}'
    digest = hashlib.sha256(canonical.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@lru_cache(maxsize=256)
def _p256_key(x: str, y: str) -> tuple[ec.EllipticCurvePublicKey, str]:
    """Point decoding, the on-curve check and the thumbprint, once per key instead of per scan."""
    if not _COORDINATE.fullmatch(x) or not _COORDINATE.fullmatch(y):
        raise Reject(Reason.KEY_ALG_MISMATCH, "the issuer key coordinates are malformed")
    try:
        point = b"\x04" + base64.urlsafe_b64decode(x + "=") + base64.urlsafe_b64decode(y + "=")
        key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except (ValueError, binascii.Error):
        raise Reject(Reason.KEY_ALG_MISMATCH, "the issuer key is not a P-256 point") from None
    return key, jwk_thumbprint(x, y)
