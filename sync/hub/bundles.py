"""Signed bundles as the hub hands them out, and the memory of recently signed ones.

Every payload opens with the same four fields (`sync.bundle` requires them): the source, its
version, and when it was signed and stops being valid. The station refuses a bundle past
`expires_at`, so a hub that stops publishing cannot keep a station on stale data forever.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from sync.bundle import sign_bundle
from sync.hub.store import utc_iso

TRUST_LIST = "trust-list"
REVOCATIONS = "revocations"
HUB_KEYS = "hub-keys"
ISSUER_KEYS = "issuer-keys"
STATUS_LIST = "status-list"
BUNDLE_SOURCES = (TRUST_LIST, REVOCATIONS, STATUS_LIST)


@dataclass(frozen=True, slots=True)
class SignedBundle:
    """A signed compact JWS and the payload it carries."""

    source: str
    payload: dict[str, Any]
    token: str


def envelope(source: str, version: int, now: datetime, ttl: timedelta) -> dict[str, Any]:
    """The fields every bundle payload starts with."""
    return {
        "source": source,
        "version": version,
        "issued_at": utc_iso(now),
        "expires_at": utc_iso(now + ttl),
    }


def sign(key: ec.EllipticCurvePrivateKey, payload: dict[str, Any]) -> SignedBundle:
    return SignedBundle(str(payload["source"]), payload, sign_bundle(key, payload))


class TokenRing:
    """The last few page-0 tokens signed per source, one per version.

    Only the newest versions are kept. The rollback fault serves the oldest of them: a genuine,
    correctly signed bundle of an older version, which is exactly what a replaying attacker or a
    restored backup would send.
    """

    def __init__(self, keep: int = 5) -> None:
        self._keep = keep
        self._tokens: dict[str, dict[int, str]] = {}
        self._lock = threading.Lock()

    def record(self, bundle: SignedBundle) -> None:
        version = int(bundle.payload["version"])
        with self._lock:
            ring = self._tokens.setdefault(bundle.source, {})
            ring[version] = bundle.token
            while len(ring) > self._keep:
                del ring[min(ring)]

    def oldest(self, source: str) -> str | None:
        with self._lock:
            ring = self._tokens.get(source)
            return min(ring.items())[1] if ring else None
