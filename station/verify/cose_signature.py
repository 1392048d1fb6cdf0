"""COSE_Sign1 signature verification against every trusted signer that shares the kid.

ES256 needs a P-256 key and a 64-byte raw r‖s signature; PS256 needs an RSA key of at least
2048 bits, a signature as long as the modulus, and PSS with a salt as long as the digest.
The algorithm comes from the protected header only.  Library errors become reasons here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from station.codec.cbor_encode import bstr_head, encode_cbor
from station.errors import Reject
from station.reasons import Reason
from station.trust.certificate import TrustedCertificate

ALG_ES256 = -7
ALG_PS256 = -37
SUPPORTED_ALGS = {ALG_ES256: "ES256", ALG_PS256: "PS256"}
DCC_KID_LENGTH = 8
MIN_RSA_BITS = 2048
_PSS = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
_SHA256 = hashes.SHA256()
_ECDSA = ec.ECDSA(_SHA256)


_SIG1_PREFIX = b"\x84" + encode_cbor("Signature1")


def sig_structure(protected_bytes: bytes, payload: bytes, external_aad: bytes = b"") -> bytes:
    """The bytes a COSE_Sign1 signature covers (RFC 9052 §4.4).

    The CBOR array ["Signature1", protected, external_aad, payload], assembled directly.
    """
    return b"".join(
        (
            _SIG1_PREFIX,
            bstr_head(len(protected_bytes)),
            protected_bytes,
            bstr_head(len(external_aad)),
            external_aad,
            bstr_head(len(payload)),
            payload,
        )
    )


def require_alg(alg: Any) -> int:
    if alg is None:
        raise Reject(Reason.ALG_MISSING, "no algorithm in the protected header")
    # `type(alg) is int`: -7.0 == -7 in Python, but a CBOR float is not a COSE algorithm id.
    if type(alg) is not int or alg not in SUPPORTED_ALGS:
        raise Reject(Reason.ALG_UNSUPPORTED, f"algorithm {alg!r} is not ES256 or PS256")
    return int(alg)


def require_kid(kid: Any, expected_length: int | None = DCC_KID_LENGTH) -> bytes:
    if kid is None:
        raise Reject(Reason.KID_MISSING, "no key identifier in either header")
    if not isinstance(kid, bytes):
        raise Reject(Reason.KID_INVALID, "key identifier is not a byte string")
    if expected_length is not None and len(kid) != expected_length:
        raise Reject(Reason.KID_INVALID, f"key identifier has {len(kid)} bytes, not 8")
    return kid


def verify_with_key(alg: int, key: Any, signature: bytes, message: bytes) -> None:
    """Verify one signature with one key, raising `Reject` with the precise reason."""
    if alg == ALG_ES256:
        if not isinstance(key, ec.EllipticCurvePublicKey):
            raise Reject(Reason.KEY_ALG_MISMATCH, "ES256 signature but the key is not EC")
        if not isinstance(key.curve, ec.SECP256R1):
            raise Reject(Reason.KEY_ALG_MISMATCH, f"ES256 requires P-256, key is {key.curve.name}")
        if len(signature) != 64:
            raise Reject(Reason.SIGNATURE_MALFORMED, f"ES256 signature has {len(signature)} bytes")
        der = encode_dss_signature(
            int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
        )
        try:
            key.verify(der, message, _ECDSA)
        except InvalidSignature:
            raise Reject(Reason.SIGNATURE_INVALID, "signature does not verify") from None
        return
    if not isinstance(key, rsa.RSAPublicKey):
        raise Reject(Reason.KEY_ALG_MISMATCH, "PS256 signature but the key is not RSA")
    if key.key_size < MIN_RSA_BITS:
        raise Reject(Reason.KEY_TOO_WEAK, f"RSA key of {key.key_size} bits")
    if len(signature) != (key.key_size + 7) // 8:
        raise Reject(Reason.SIGNATURE_MALFORMED, "PS256 signature length differs from the key")
    try:
        key.verify(signature, message, _PSS, _SHA256)
    except InvalidSignature:
        raise Reject(Reason.SIGNATURE_INVALID, "signature does not verify") from None


@dataclass(frozen=True, slots=True)
class SignatureOutcome:
    """Every candidate that verified (sorted by fingerprint), or the reason none did."""

    verified_by: tuple[TrustedCertificate, ...]
    failure: Reject | None


#: When no candidate verifies, report the most telling reason among the attempts.
_FAILURE_PRIORITY = (
    Reason.SIGNATURE_INVALID,
    Reason.SIGNATURE_MALFORMED,
    Reason.KEY_TOO_WEAK,
    Reason.KEY_ALG_MISMATCH,
)


def verify_against_candidates(
    alg: int, candidates: Sequence[TrustedCertificate], signature: bytes, message: bytes
) -> SignatureOutcome:
    """Try every candidate; the result is the same whatever order they come in."""
    if not candidates:
        return SignatureOutcome((), Reject(Reason.KID_UNKNOWN, "no trusted signer with this kid"))
    verified: list[TrustedCertificate] = []
    failures: list[Reject] = []
    for cert in sorted(candidates, key=lambda c: c.fingerprint):
        try:
            verify_with_key(alg, cert.public_key, signature, message)
        except Reject as exc:
            failures.append(exc)
        else:
            verified.append(cert)
    if verified:
        return SignatureOutcome(tuple(verified), None)
    reasons = {f.reason: f for f in failures}
    for reason in _FAILURE_PRIORITY:
        if reason in reasons:
            return SignatureOutcome((), reasons[reason])
    return SignatureOutcome((), failures[0])
