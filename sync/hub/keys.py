"""The hub's bundle-signing keys: created on first open, rotated by adding a newer one.

Stations pin the public keys they receive at enrollment. During a rotation the hub publishes
the newest two keys, so a station enrolled before the rotation still trusts bundles signed with
the new key once it has been told about it, and one enrolled after still verifies older tokens.
"""

from __future__ import annotations

import base64
import sqlite3
from datetime import datetime

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from sync.bundle import key_fingerprint
from sync.hub.store import utc_iso

#: How many of the newest keys enrollment hands out (current plus the one it replaced).
PUBLISHED_KEYS = 2
#: How many past keys the hub can still sign a key announcement with (stations that missed
#: several rotations catch up through any key they still pin).
HELD_KEYS = 10


def ensure_key(conn: sqlite3.Connection, now: datetime) -> None:
    """Create the first signing key if the hub has none."""
    if conn.execute("SELECT 1 FROM signing_keys LIMIT 1").fetchone() is None:
        add_key(conn, now)


def add_key(conn: sqlite3.Connection, now: datetime) -> ec.EllipticCurvePrivateKey:
    """Store a fresh P-256 key; being the newest, it signs from now on."""
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    conn.execute(
        "INSERT INTO signing_keys (private_pem, created_at) VALUES (?, ?)", (pem, utc_iso(now))
    )
    return key


def newest_keys(
    conn: sqlite3.Connection, limit: int = PUBLISHED_KEYS
) -> list[ec.EllipticCurvePrivateKey]:
    """The newest `limit` private keys, current first."""
    rows = conn.execute(
        "SELECT private_pem FROM signing_keys ORDER BY id DESC LIMIT ?", (limit,)
    ).fetchall()
    return [_load(bytes(row[0])) for row in rows]


def spki_base64(public_key: ec.EllipticCurvePublicKey) -> str:
    """Base64 DER SubjectPublicKeyInfo (the DGCA `/publickey` answer)."""
    der = public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(der).decode("ascii")


def fingerprints(keys: list[ec.EllipticCurvePrivateKey]) -> list[str]:
    return [key_fingerprint(key.public_key()) for key in keys]


def _load(pem: bytes) -> ec.EllipticCurvePrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise TypeError("the hub database holds a signing key that is not ECDSA")
    return key
