"""The station's device key: an ES256 key that signs every upload body.

The bearer token says which station is calling; the signature says the body was made by the
device that holds the key, so a token copied off a station (or a proxy altering a batch) cannot
put entries in another station's name. The private key never leaves `device-key.pem` (0600);
the hub keeps the public half it received at enrollment.

Signatures are raw `r || s` (32 bytes each) in base64url without padding, as in a JWS.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from sync import bundle
from sync.errors import SyncError

DEVICE_KEY_FILE = "device-key.pem"
_COORDINATE_BYTES = 32
_SIGNATURE = re.compile(r"[A-Za-z0-9_-]{86}")


class DeviceKeyError(SyncError):
    code = "DEVICE_KEY_MISSING"
    default_message = (
        "This station has no usable device key: enroll it again so uploads can be signed."
    )


def device_key_path(base: Path) -> Path:
    return base / DEVICE_KEY_FILE


def create_device_key(base: Path) -> ec.EllipticCurvePrivateKey:
    """Make a new P-256 key and write it 0600; refuses to overwrite an existing key file."""
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    base.mkdir(parents=True, exist_ok=True)
    handle = os.open(device_key_path(base), os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(handle, "wb") as stream:
        stream.write(pem)
        stream.flush()
        os.fsync(stream.fileno())
    return key


def load_device_key(base: Path) -> ec.EllipticCurvePrivateKey:
    """The station's device key; `DeviceKeyError` when it is missing or not a P-256 key."""
    path = device_key_path(base)
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except FileNotFoundError as exc:
        raise DeviceKeyError(f"{path} does not exist") from exc
    except (OSError, ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise DeviceKeyError(f"{path} is not a readable private key") from exc
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1):
        raise DeviceKeyError(f"{path} does not hold a P-256 key")
    return key


def public_key_pem(key: ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey) -> str:
    """The public half as SubjectPublicKeyInfo PEM (what enrollment sends to the hub)."""
    public = key.public_key() if isinstance(key, ec.EllipticCurvePrivateKey) else key
    return bundle.public_key_pem(public)


def sign_body(key: ec.EllipticCurvePrivateKey, body: bytes) -> str:
    """ES256 over exactly `body`: base64url (no padding) of raw `r || s`."""
    r, s = decode_dss_signature(key.sign(body, ec.ECDSA(hashes.SHA256())))
    raw = r.to_bytes(_COORDINATE_BYTES, "big") + s.to_bytes(_COORDINATE_BYTES, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def verify_body(public_key: ec.EllipticCurvePublicKey, body: bytes, signature: str) -> bool:
    """Whether `signature` (as `sign_body` makes it) is the key's signature over `body`."""
    if not isinstance(signature, str) or not _SIGNATURE.fullmatch(signature):
        return False
    try:
        raw = base64.urlsafe_b64decode(signature + "==")
    except (binascii.Error, ValueError):
        return False
    if len(raw) != 2 * _COORDINATE_BYTES:
        return False
    r = int.from_bytes(raw[:_COORDINATE_BYTES], "big")
    s = int.from_bytes(raw[_COORDINATE_BYTES:], "big")
    try:
        public_key.verify(encode_dss_signature(r, s), body, ec.ECDSA(hashes.SHA256()))
    except (InvalidSignature, ValueError):
        return False
    return True
