"""Revoked passes as the EU lists name them: (kid, hash type, 16-byte hash, expiry).

Rows are never updated in place except to record the version that removed them; publishing the
same entry again while it is current changes nothing. Bulk publishing streams through one
`executemany`, so loading millions of entries never holds them in memory.
"""

from __future__ import annotations

import base64
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any, NamedTuple

from station.verify.revocation import HASH_BYTES, HashType
from sync.hub.paging import VersionedTable
from sync.hub.store import utc_iso

UNKNOWN_KID = "UNKNOWN_KID"
TABLE = VersionedTable(
    source="revocations",
    table="revocations",
    columns=("kid", "hash_type", "hash", "expires"),
    identity=("hash", "hash_type", "kid"),
)
_INSERT = (
    "INSERT INTO revocations (kid, hash_type, hash, expires, added_version) "
    "SELECT ?1, ?2, ?3, ?4, ?5 WHERE NOT EXISTS (SELECT 1 FROM revocations "
    "WHERE hash = ?3 AND hash_type = ?2 AND kid = ?1 AND removed_version IS NULL)"
)
_REMOVE = (
    "UPDATE revocations SET removed_version = ?4 "
    "WHERE hash = ?3 AND hash_type = ?2 AND kid = ?1 AND removed_version IS NULL"
)


class RevocationEntry(NamedTuple):
    """One revoked hash. `kid` is the raw 8 bytes, their base64, or None for UNKNOWN_KID."""

    kid: bytes | str | None
    hash_type: HashType
    hash: bytes
    expires: datetime | None = None


def wire_kid(kid: bytes | str | None) -> str:
    """The kid as it appears in bundles: standard base64, or UNKNOWN_KID."""
    if kid is None or kid == UNKNOWN_KID:
        return UNKNOWN_KID
    if isinstance(kid, bytes):
        return base64.b64encode(kid).decode("ascii")
    compact = kid.strip().replace("-", "+").replace("_", "/").rstrip("=")
    raw = base64.b64decode(compact + "=" * (-len(compact) % 4), validate=True)
    return base64.b64encode(raw).decode("ascii")


def insert(conn: sqlite3.Connection, entries: Iterable[RevocationEntry], version: int) -> int:
    """Add every entry not already current under `version`; returns how many were added."""
    before = conn.total_changes
    conn.executemany(_INSERT, _params(entries, version, with_expiry=True))
    return conn.total_changes - before


def remove(conn: sqlite3.Connection, entries: Iterable[RevocationEntry], version: int) -> int:
    """Mark the current rows of these entries removed at `version`; returns how many."""
    before = conn.total_changes
    conn.executemany(_REMOVE, _params(entries, version, with_expiry=False))
    return conn.total_changes - before


def prune_tombstones(conn: sqlite3.Connection, up_to_version: int) -> int:
    """Forget rows removed at or before `up_to_version` (deltas from before it become snapshots)."""
    return conn.execute(
        "DELETE FROM revocations WHERE removed_version IS NOT NULL AND removed_version <= ?",
        (up_to_version,),
    ).rowcount


def count_current(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT count(*) FROM revocations WHERE removed_version IS NULL")
    return int(row.fetchone()[0])


def to_groups(rows: Iterable[tuple[Any, ...]]) -> list[dict[str, Any]]:
    """Rows (kid, hash_type, hash, expires) as wire groups sharing kid, type and expiry."""
    grouped: dict[tuple[str, int, str | None], list[bytes]] = {}
    for kid, hash_type, digest, expires in rows:
        grouped.setdefault((str(kid), int(hash_type), expires), []).append(bytes(digest))
    return [
        {
            "kid": kid,
            "hash_type": HashType(hash_type).name,
            "expires": expires,
            "hashes": base64.b64encode(b"".join(hashes)).decode("ascii"),
        }
        for (kid, hash_type, expires), hashes in grouped.items()
    ]


def _params(
    entries: Iterable[RevocationEntry], version: int, *, with_expiry: bool
) -> Iterator[tuple[Any, ...]]:
    for entry in entries:
        kid, hash_type, digest, expires = entry
        if len(digest) != HASH_BYTES:
            raise ValueError(f"a revocation hash is {HASH_BYTES} bytes, not {len(digest)}")
        wire_type = int(HashType(hash_type))
        if with_expiry:
            stamp = None if expires is None else utc_iso(expires)
            yield wire_kid(kid), wire_type, bytes(digest), stamp, version
        else:
            yield wire_kid(kid), wire_type, bytes(digest), version
