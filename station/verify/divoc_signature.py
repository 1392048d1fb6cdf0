"""The linked-data proof of a DIVOC credential: a detached JWS over two canonical hashes.

jsonld-signatures (the library DIVOC signs with: egovernments/DIVOC
backend/certificate_signer_library/signer.js, Path-Check/divoc-sdk.js) computes, for
`RsaSignature2018` (JWS alg PS256) and `Ed25519Signature2018` (alg EdDSA):

    proof options = the proof without `jws`, with "@context": security v2
    verify data   = SHA-256(URDNA2015(proof options)) || SHA-256(URDNA2015(document - proof))
    jws           = base64url({"alg":…,"b64":false,"crit":["b64"]}) + ".." + base64url(signature)
    signed bytes  = ASCII(header part) + "." + verify data                 (RFC 7797, b64=false)

Issuer keys come from the station's cache (`trust.issuer_keys`, family "divoc", the credential's
`issuer`, kid = the proof's `verificationMethod`) as public JWKs: OKP/Ed25519 or RSA (at least
2048 bits, PS256 with a 32-byte salt as RFC 7518 requires).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ed25519, padding, rsa

from station.errors import Reject
from station.reasons import Reason
from station.verify.divoc_contexts import SECURITY_V2

#: Proof type → the JWS algorithm jsonld-signatures uses for it.
SUITES = {"Ed25519Signature2018": "EdDSA", "RsaSignature2018": "PS256"}
PROOF_PURPOSE = "assertionMethod"
MIN_RSA_BITS = 2048
_UNSIGNED_MEMBERS = ("jws", "signatureValue", "proofValue")
_BASE64URL = re.compile(r"^[A-Za-z0-9_-]+$")
_PSS = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)

PublicKey = ed25519.Ed25519PublicKey | rsa.RSAPublicKey


@dataclass(frozen=True, slots=True)
class Proof:
    alg: str
    verification_method: str
    header_part: str
    signature: bytes
    options: dict[str, Any]


def parse_proof(proof: Any) -> Proof:
    """The proof's parts, or `Reject` for a missing, unknown or malformed proof."""
    if not isinstance(proof, dict) or "type" not in proof:
        raise Reject(Reason.ALG_MISSING, "the credential carries no proof")
    alg = SUITES.get(proof["type"]) if isinstance(proof["type"], str) else None
    if alg is None:
        raise Reject(Reason.ALG_UNSUPPORTED, "a proof type this station does not accept")
    method = proof.get("verificationMethod")
    if not isinstance(method, str) or not method:
        raise Reject(Reason.KID_MISSING, "the proof names no verification method")
    if proof.get("proofPurpose") != PROOF_PURPOSE:
        raise Reject(Reason.SIGNATURE_MALFORMED, "the proof is not for assertions")
    header_part, signature = _split_detached_jws(proof.get("jws"))
    _check_header(header_part, alg)
    options = {k: v for k, v in proof.items() if k not in _UNSIGNED_MEMBERS}
    return Proof(alg, method, header_part, signature, {**options, "@context": SECURITY_V2})


def _split_detached_jws(jws: Any) -> tuple[str, bytes]:
    if not isinstance(jws, str) or jws.count(".") != 2:
        raise Reject(Reason.SIGNATURE_MALFORMED, "the proof has no detached JWS")
    header_part, payload, signature_part = jws.split(".")
    if payload:
        raise Reject(Reason.SIGNATURE_MALFORMED, "the JWS is not detached")
    try:
        return header_part, b64url_decode(signature_part)
    except ValueError:
        raise Reject(Reason.SIGNATURE_MALFORMED, "the signature is not base64url") from None


def _check_header(header_part: str, alg: str) -> None:
    try:
        header = json.loads(b64url_decode(header_part))
    except (ValueError, RecursionError):
        raise Reject(Reason.SIGNATURE_MALFORMED, "the JWS header is not JSON") from None
    if not isinstance(header, dict) or not isinstance(header.get("alg"), str):
        raise Reject(Reason.ALG_MISSING, "the JWS header names no algorithm")
    if header["alg"] != alg:
        raise Reject(Reason.ALG_UNSUPPORTED, f"JWS alg {header['alg'][:20]} for this proof type")
    if set(header) != {"alg", "b64", "crit"} or header["b64"] is not False:
        raise Reject(Reason.SIGNATURE_MALFORMED, "the JWS header is not the detached form")
    if header["crit"] != ["b64"]:
        raise Reject(Reason.SIGNATURE_MALFORMED, "the JWS header is not the detached form")


def signed_bytes(header_part: str, proof_nquads: str, document_nquads: str) -> bytes:
    return (
        header_part.encode("ascii")
        + b"."
        + hashlib.sha256(proof_nquads.encode("utf-8")).digest()
        + hashlib.sha256(document_nquads.encode("utf-8")).digest()
    )


def verify_with_keys(proof: Proof, keys: Sequence[Mapping[str, Any]], message: bytes) -> None:
    """Passes when one of `keys` verifies; else the most telling `Reject`."""
    if not keys:
        raise Reject(Reason.KID_UNKNOWN, "no key with this id for the issuer")
    failure = Reject(Reason.SIGNATURE_INVALID)
    for jwk in keys:
        try:
            key = public_key(jwk, proof.alg)
        except Reject as exc:
            failure = exc
            continue
        if _verifies(key, proof.signature, message):
            return
        failure = Reject(Reason.SIGNATURE_INVALID)
    raise failure


def public_key(jwk: Mapping[str, Any], alg: str) -> PublicKey:
    """The key a JWK describes, when it fits `alg`."""
    if jwk.get("alg") not in (None, alg):
        raise Reject(Reason.KEY_ALG_MISMATCH, "the key is meant for another algorithm")
    try:
        if alg == "EdDSA" and jwk.get("kty") == "OKP" and jwk.get("crv") == "Ed25519":
            return ed25519.Ed25519PublicKey.from_public_bytes(b64url_decode(jwk.get("x")))
        if alg == "PS256" and jwk.get("kty") == "RSA":
            return _rsa_key(jwk)
    except ValueError:
        raise Reject(Reason.KEY_ALG_MISMATCH, "the issuer key is damaged") from None
    raise Reject(Reason.KEY_ALG_MISMATCH, f"the issuer key does not fit {alg}")


def _rsa_key(jwk: Mapping[str, Any]) -> rsa.RSAPublicKey:
    n = int.from_bytes(b64url_decode(jwk.get("n")), "big")
    e = int.from_bytes(b64url_decode(jwk.get("e")), "big")
    if n.bit_length() < MIN_RSA_BITS:
        raise Reject(Reason.KEY_TOO_WEAK, f"RSA key of {n.bit_length()} bits")
    return rsa.RSAPublicNumbers(e, n).public_key()


def _verifies(key: PublicKey, signature: bytes, message: bytes) -> bool:
    try:
        if isinstance(key, ed25519.Ed25519PublicKey):
            key.verify(signature, message)
        else:
            key.verify(signature, message, _PSS, hashes.SHA256())
    except InvalidSignature:
        return False
    return True


def b64url_decode(text: Any) -> bytes:
    """Unpadded base64url, strictly (RFC 7515 §2); ValueError for anything else."""
    if not isinstance(text, str) or not _BASE64URL.match(text) or len(text) % 4 == 1:
        raise ValueError("not base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except binascii.Error:
        raise ValueError("not base64url") from None
