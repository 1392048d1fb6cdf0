"""NZ COVID Pass issuer keys: from a published DID document to the JWKS the station imports,
and from a stored JWK to a P-256 public key at scan time.

An NZCP issuer publishes its keys in a did:web DID document (for the production issuer,
https://nzcp.identity.health.nz/.well-known/did.json).  The station never fetches it at scan
time; an operator converts a copy into a JWKS once and imports that, in two steps:

    python -c "import json, sys; from station.verify.nzcp_keys import jwks_from_did_document; \\
        print(json.dumps(jwks_from_did_document(json.load(open(sys.argv[1])))))" \\
        did.json > nzcp-jwks.json
    station trust import-keys --family nzcp --issuer did:web:nzcp.identity.health.nz \\
        nzcp-jwks.json

Only keys listed under `assertionMethod` are taken (the spec allows no other relationship to sign
passes), each under the key id a pass names: the fragment after `#` in the method's id.  A key
holding private members is refused, so a signing key can never be copied onto a kiosk.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from station.errors import Reject
from station.reasons import Reason

FAMILY = "nzcp"
#: JWK members only a private key has (RFC 7518 §6.2.2, §6.3.2, §6.4).
PRIVATE_MEMBERS = frozenset({"d", "p", "q", "dp", "dq", "qi", "oth", "k"})
METHOD_TYPE = "JsonWebKey2020"
MAX_KID_CHARS = 256
_COORDINATE = re.compile(r"[A-Za-z0-9_-]{43}")


def public_key_from_jwk(jwk: Mapping[str, Any]) -> ec.EllipticCurvePublicKey:
    """The P-256 key of a public JWK; `Reject(KEY_ALG_MISMATCH)` for anything else."""
    if PRIVATE_MEMBERS & set(jwk):
        raise Reject(Reason.KEY_ALG_MISMATCH, "the issuer key holds private members")
    if jwk.get("kty") != "EC" or jwk.get("crv") != "P-256":
        raise Reject(Reason.KEY_ALG_MISMATCH, "the issuer key is not an EC P-256 key")
    x, y = jwk.get("x"), jwk.get("y")
    if not isinstance(x, str) or not isinstance(y, str):
        raise Reject(Reason.KEY_ALG_MISMATCH, "the issuer key lacks its coordinates")
    return _p256_key(x, y)


@lru_cache(maxsize=64)
def _p256_key(x: str, y: str) -> ec.EllipticCurvePublicKey:
    """Point decoding and the on-curve check, done once per key rather than once per scan."""
    if not _COORDINATE.fullmatch(x) or not _COORDINATE.fullmatch(y):
        raise Reject(Reason.KEY_ALG_MISMATCH, "the issuer key coordinates are malformed")
    try:
        point = b"\x04" + base64.urlsafe_b64decode(x + "=") + base64.urlsafe_b64decode(y + "=")
        return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except (binascii.Error, ValueError):
        raise Reject(Reason.KEY_ALG_MISMATCH, "the issuer key is not a P-256 point") from None


def key_id(kid: Any) -> str:
    """The `kid` header as text.

    The spec says a text string, but every official example encodes it as a byte string, so both
    are accepted; bytes must be UTF-8.
    """
    if kid is None:
        raise Reject(Reason.KID_MISSING, "no key identifier in the protected header")
    if isinstance(kid, bytes):
        try:
            kid = kid.decode("utf-8")
        except UnicodeDecodeError:
            raise Reject(Reason.KID_INVALID, "key identifier is not UTF-8") from None
    if not isinstance(kid, str):
        raise Reject(Reason.KID_INVALID, "key identifier is not a text or byte string")
    if not kid or len(kid) > MAX_KID_CHARS:
        raise Reject(Reason.KID_INVALID, f"key identifier has {len(kid)} characters")
    return kid


def jwks_from_did_document(document: Any, did: str | None = None) -> dict[str, Any]:
    """`{"keys": [...]}` for `station trust import-keys --family nzcp --issuer <did>`.

    `did` defaults to the document's `id`; when given, the document must be that DID's.
    ValueError when the document is not a did:web document, a listed key is not a public P-256
    JWK of type JsonWebKey2020, or no key is listed under `assertionMethod`.
    """
    if not isinstance(document, Mapping):
        raise ValueError("a DID document is a JSON object")
    subject = document.get("id")
    did = did if did is not None else subject
    if not isinstance(did, str) or not did.startswith("did:web:"):
        raise ValueError("the document is not a did:web DID document")
    if subject is not None and subject != did:
        raise ValueError(f"the document is for {subject!r}, not {did!r}")
    methods = _methods_by_id(document.get("verificationMethod"), did)
    keys = [_assertion_key(entry, methods, did) for entry in _as_list(document, "assertionMethod")]
    if not keys:
        raise ValueError("no key is listed under assertionMethod")
    return {"keys": keys}


def _as_list(document: Mapping[str, Any], name: str) -> list[Any]:
    value = document.get(name, [])
    if not isinstance(value, list):
        raise ValueError(f"{name} is not a list")
    return value


def _absolute(method_id: Any, did: str) -> str:
    """A method id as `did#fragment` (DID documents may also write the relative `#fragment`)."""
    if not isinstance(method_id, str):
        raise ValueError("a verification method id is not text")
    absolute = did + method_id if method_id.startswith("#") else method_id
    owner, hash_sign, fragment = absolute.partition("#")
    if owner != did or not hash_sign or not fragment:
        raise ValueError(f"verification method {method_id!r} is not a key of {did}")
    return absolute


def _methods_by_id(methods: Any, did: str) -> dict[str, Mapping[str, Any]]:
    """This DID's own verification methods by absolute id (another DID's keys never count)."""
    if methods is None:
        return {}
    if not isinstance(methods, list) or not all(isinstance(m, Mapping) for m in methods):
        raise ValueError("verificationMethod is not a list of objects")
    own: dict[str, Mapping[str, Any]] = {}
    for method in methods:
        method_id = method.get("id")
        if isinstance(method_id, str) and method_id.startswith(("#", did + "#")):
            own[_absolute(method_id, did)] = method
    return own


def _assertion_key(
    entry: Any, methods: Mapping[str, Mapping[str, Any]], did: str
) -> dict[str, Any]:
    """The JWK of one `assertionMethod` entry: a reference to a method, or an embedded one."""
    method = entry if isinstance(entry, Mapping) else None
    reference = _absolute(entry.get("id") if method is not None else entry, did)
    if method is None:
        method = methods.get(reference)
        if method is None:
            raise ValueError(f"assertionMethod names {reference}, which the document lacks")
    if method.get("type") != METHOD_TYPE:
        raise ValueError(f"{reference} is not of type {METHOD_TYPE}")
    jwk = method.get("publicKeyJwk")
    if not isinstance(jwk, Mapping):
        raise ValueError(f"{reference} has no publicKeyJwk")
    private = PRIVATE_MEMBERS & set(jwk)
    if private:
        raise ValueError(
            f"refused: {reference} holds private members ({', '.join(sorted(private))})"
        )
    try:
        public_key_from_jwk(jwk)
    except Reject as exc:
        raise ValueError(f"{reference}: {exc.detail}") from None
    kid = reference.partition("#")[2]
    if len(kid) > MAX_KID_CHARS:
        raise ValueError(f"{reference}: the key id is too long")
    return {**jwk, "kid": kid}
