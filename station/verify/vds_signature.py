"""The signature of a VDS-NC seal: ECDSA over the canonical `data`, carried as base64url r‖s.

The technical report allows exactly ES256, ES384 and ES512 (ECDSA on P-256/P-384/P-521 with
SHA-256/384/512), as the Australian Passport Office's readers enforce; the signature is the
fixed-size concatenation of r and s (JWS style), not DER.  Anything else, including "none", an
RSA key, or a curve that does not match the algorithm, is refused before any verification.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from station.errors import Reject
from station.reasons import Reason

#: alg → (curve name, ECDSA algorithm, bytes per r or s).
ALGORITHMS: dict[str, tuple[str, ec.ECDSA, int]] = {
    "ES256": ("secp256r1", ec.ECDSA(hashes.SHA256()), 32),
    "ES384": ("secp384r1", ec.ECDSA(hashes.SHA384()), 48),
    "ES512": ("secp521r1", ec.ECDSA(hashes.SHA512()), 66),
}
_BASE64URL = re.compile(r"^[A-Za-z0-9_-]+={0,2}$")


def decode_base64url(text: str, reason: Reason, what: str) -> bytes:
    """RFC 4648 §5 base64url, padding optional; the standard alphabet and whitespace refused."""
    body = text.rstrip("=")
    if not _BASE64URL.match(text) or len(body) % 4 == 1:
        raise Reject(reason, f"{what} is not base64url")
    try:
        return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        raise Reject(reason, f"{what} is not base64url") from None


def require_algorithm(alg: Any) -> tuple[str, ec.ECDSA, int]:
    if alg is None:
        raise Reject(Reason.ALG_MISSING, "the seal names no signature algorithm")
    if not isinstance(alg, str) or alg not in ALGORITHMS:
        raise Reject(Reason.ALG_UNSUPPORTED, "algorithm is not ES256, ES384 or ES512")
    return ALGORITHMS[alg]


def verify_seal_signature(
    alg: Any,
    key: ec.EllipticCurvePublicKey | rsa.RSAPublicKey,
    signature_text: str,
    message: bytes,
) -> None:
    """Raise `Reject` with the precise reason unless `signature_text` verifies over `message`."""
    curve, algorithm, size = require_algorithm(alg)
    if not isinstance(key, ec.EllipticCurvePublicKey):
        raise Reject(Reason.KEY_ALG_MISMATCH, f"{alg} signature but the key is not EC")
    if key.curve.name != curve:
        raise Reject(Reason.KEY_ALG_MISMATCH, f"{alg} requires {curve}, key is {key.curve.name}")
    raw = decode_base64url(signature_text, Reason.SIGNATURE_MALFORMED, "signature")
    if len(raw) != 2 * size:
        raise Reject(Reason.SIGNATURE_MALFORMED, f"{alg} signature has {len(raw)} bytes")
    der = encode_dss_signature(int.from_bytes(raw[:size], "big"), int.from_bytes(raw[size:], "big"))
    try:
        key.verify(der, message, algorithm)
    except InvalidSignature:
        raise Reject(Reason.SIGNATURE_INVALID, "signature does not verify") from None
