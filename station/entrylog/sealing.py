"""Sealed identity blocks: encrypted to the health authority, openable by nobody else.

Each block is an anonymous sealed box: a fresh X25519 key pair per block, a shared secret with
the authority's public key, HKDF-SHA256 to a ChaCha20-Poly1305 key, and the ephemeral public key
sent along. The station keeps no private key, so not even a stolen station (or its own code) can
read an entry back. The entry's UUID is bound in as associated data, so a block cannot be moved
to another entry without the authority noticing.

Layout: version (1 byte) | authority key id (8) | ephemeral public key (32) | ciphertext + tag.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

VERSION = 1
KEY_ID_BYTES = 8
PUBLIC_KEY_BYTES = 32
TAG_BYTES = 16
HEADER_BYTES = 1 + KEY_ID_BYTES + PUBLIC_KEY_BYTES
_INFO = b"checkpoint-station sealed identity v1"
#: Plaintexts are padded to a multiple of this, so a block's size does not give away how long
#: a name is.
PAD_TO = 128


class SealError(ValueError):
    """A block that is not ours, was altered, or belongs to another key or entry."""


def key_id(public_key: X25519PublicKey) -> bytes:
    """The first 8 bytes of SHA-256 over the raw public key: which authority key sealed a block."""
    return hashlib.sha256(_raw(public_key)).digest()[:KEY_ID_BYTES]


@dataclass(frozen=True, slots=True)
class SealingKey:
    """The authority's public key as the station holds it."""

    public_key: X25519PublicKey

    @property
    def id(self) -> bytes:
        return key_id(self.public_key)

    @classmethod
    def from_raw(cls, raw: bytes) -> SealingKey:
        if len(raw) != PUBLIC_KEY_BYTES:
            raise SealError("an X25519 public key is 32 bytes")
        return cls(X25519PublicKey.from_public_bytes(raw))

    @classmethod
    def from_text(cls, text: str) -> SealingKey:
        """From base64url (no padding) of the raw key: how bundles, files and HSMs carry it."""
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        except (binascii.Error, ValueError) as exc:
            raise SealError("the key is not base64url") from exc
        return cls.from_raw(raw)

    def raw(self) -> bytes:
        return _raw(self.public_key)

    def to_text(self) -> str:
        return base64.urlsafe_b64encode(self.raw()).rstrip(b"=").decode("ascii")


def seal(key: SealingKey, plaintext: bytes, associated: bytes) -> bytes:
    """Encrypt `plaintext` to `key`; only the matching private key opens it."""
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = _raw(ephemeral.public_key())
    secret = ephemeral.exchange(key.public_key)
    aead = ChaCha20Poly1305(_derive(secret, ephemeral_public, key.raw()))
    body = aead.encrypt(bytes(12), _pad(plaintext), associated)
    return bytes([VERSION]) + key.id + ephemeral_public + body


def open_sealed(private_key: X25519PrivateKey, block: bytes, associated: bytes) -> bytes:
    """The plaintext of `block`; SealError if it was not sealed to this key for this entry."""
    if len(block) < HEADER_BYTES + TAG_BYTES or block[0] != VERSION:
        raise SealError("not a sealed block of a known version")
    recipient = private_key.public_key()
    if block[1 : 1 + KEY_ID_BYTES] != key_id(recipient):
        raise SealError("the block was sealed to another key")
    ephemeral_public = block[1 + KEY_ID_BYTES : HEADER_BYTES]
    try:
        secret = private_key.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
        aead = ChaCha20Poly1305(_derive(secret, ephemeral_public, _raw(recipient)))
        return _unpad(aead.decrypt(bytes(12), block[HEADER_BYTES:], associated))
    except (InvalidTag, ValueError) as exc:
        raise SealError("the block was altered or belongs to another entry") from exc


def sealed_key_id(block: bytes) -> bytes:
    """Which authority key a block was sealed to (without opening it)."""
    if len(block) < HEADER_BYTES:
        raise SealError("not a sealed block")
    return block[1 : 1 + KEY_ID_BYTES]


def generate_authority_key() -> X25519PrivateKey:
    return X25519PrivateKey.generate()


def save_private_key(private_key: X25519PrivateKey, path: Path) -> None:
    """Write the authority's private key (PKCS#8 PEM) readable by its owner only."""
    pem = private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(handle, "wb") as stream:
        stream.write(pem)


def load_private_key(path: Path) -> X25519PrivateKey:
    """The authority's private key from a PEM file; SealError if it is not an X25519 key."""
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise SealError(f"{path} is not a readable private key") from exc
    if not isinstance(key, X25519PrivateKey):
        raise SealError(f"{path} holds no X25519 key")
    return key


def _derive(secret: bytes, ephemeral_public: bytes, recipient_public: bytes) -> bytes:
    if secret == bytes(len(secret)):
        raise SealError("a low-order public key gives no secret")
    hkdf = HKDF(SHA256(), 32, salt=ephemeral_public + recipient_public, info=_INFO)
    return hkdf.derive(secret)


def _pad(plaintext: bytes) -> bytes:
    """ISO/IEC 7816-4 padding (0x80 then zeros) to a multiple of PAD_TO."""
    padded = plaintext + b"\x80"
    return padded + bytes(-len(padded) % PAD_TO)


def _unpad(padded: bytes) -> bytes:
    end = padded.rstrip(b"\x00")
    if not end.endswith(b"\x80"):
        raise SealError("the block's padding is broken")
    return end[:-1]


def _raw(public_key: X25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
