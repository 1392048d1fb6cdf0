"""The EU DCC revocation list in the cache: up to ten million 16-byte hashes, looked up per scan.

An entry blocks passes signed under one kid (8 bytes) or, for lists the EU gateway publishes
under the pseudo-kid UNKNOWN_KID, under any kid; the cache stores that pseudo-kid as an empty
BLOB. A pass is looked up by the hashes `station.verify.revocation.revocation_hashes` gives it,
in one indexed query.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime

from station.cache.bulk import delete_keys, staged_upsert
from station.cache.database import CacheDatabase
from station.cache.timestamps import to_unix
from station.verify.revocation import HASH_BYTES, HashType

#: The EU gateway's pseudo-kid for entries that apply whatever key signed the pass.
UNKNOWN_KID = b""
KID_BYTES = 8
#: The order in which a pass's hashes are checked; the first hit is reported.
FIND_ORDER: tuple[HashType, ...] = (HashType.UCI, HashType.COUNTRYCODEUCI, HashType.SIGNATURE)

_TABLE = "revocations"
_COLUMNS = ("hash", "hash_type", "kid", "expires")
_KEY = ("hash", "hash_type", "kid")
_HASH_TYPES = frozenset(HashType)


@dataclass(frozen=True, slots=True)
class RevocationEntry:
    """One revoked hash as the list publishes it; `kid` b"" stands for UNKNOWN_KID."""

    kid: bytes
    hash_type: HashType
    hash: bytes
    expires: datetime | None = None

    def __post_init__(self) -> None:
        if len(self.hash) != HASH_BYTES:
            raise ValueError(f"a revocation hash is {HASH_BYTES} bytes, not {len(self.hash)}")
        if len(self.kid) not in (0, KID_BYTES):
            raise ValueError(f"a kid is {KID_BYTES} bytes (or empty for UNKNOWN_KID)")
        if self.hash_type not in _HASH_TYPES:
            raise ValueError(f"unknown revocation hash type {self.hash_type!r}")
        if self.expires is not None and self.expires.tzinfo is None:
            raise ValueError("a revocation expiry needs a time zone")


@dataclass(frozen=True, slots=True)
class RevocationHit:
    """The entry that blocks a pass: which kid (b"" for UNKNOWN_KID) and which hash matched."""

    kid: bytes
    hash_type: HashType
    hash: bytes


#: One primary-key range per hash (the hash leads the key); the hash type is checked in Python,
#: which measured faster than an OR of three exact-key branches (SQLite then needs a temporary
#: B-tree to de-duplicate and order the branches).
_FIND_SQL = (
    "SELECT kid, hash_type, hash FROM revocations WHERE hash IN (?, ?, ?) AND kid IN (?, x'')"
)
_RANK = {kind: rank for rank, kind in enumerate(FIND_ORDER)}


class RevocationCache:
    """Revocation entries in the cache file; every write joins an open transaction."""

    def __init__(self, cache: CacheDatabase) -> None:
        self.cache = cache

    def apply(
        self,
        added: Iterable[RevocationEntry],
        removed: Iterable[RevocationEntry],
        snapshot: bool,
    ) -> tuple[int, int]:
        """Apply a delta, or with `snapshot` replace the whole list (`removed` is then ignored).

        Returns (entries written, entries deleted). Entries are streamed from the iterables, so
        a ten-million-entry snapshot never sits in memory; sending an entry again is harmless
        (it counts as written only if its expiry changed).
        """
        conn = self.cache.conn
        with self.cache.transaction():
            if snapshot:
                deleted = conn.execute("DELETE FROM revocations").rowcount
            else:
                deleted = delete_keys(conn, _TABLE, _KEY, _keys(removed))
            written = staged_upsert(conn, _TABLE, _COLUMNS, _KEY, _rows(added))
        return max(written, 0), max(deleted, 0)

    def find(self, kid: bytes, hashes: Mapping[HashType, bytes]) -> RevocationHit | None:
        """The entry blocking a pass with this kid and these hashes, or None.

        An entry matches when hash and hash type match and its kid is the pass's kid or
        UNKNOWN_KID; UCI is reported before COUNTRYCODEUCI before SIGNATURE.
        """
        wanted = [hashes.get(kind) for kind in FIND_ORDER]
        best: RevocationHit | None = None
        for row_kid, row_type, row_hash in self.cache.conn.execute(_FIND_SQL, (*wanted, kid)):
            kind = HashType(row_type)
            if hashes.get(kind) != row_hash:
                continue  # the same 16 bytes listed under another hash type
            if best is None or _RANK[kind] < _RANK[best.hash_type]:
                best = RevocationHit(kid=row_kid, hash_type=kind, hash=row_hash)
        return best

    def count(self) -> int:
        """Entries held (a full scan of the table: for status displays, not per scan)."""
        total: int = self.cache.conn.execute("SELECT count(*) FROM revocations").fetchone()[0]
        return total

    def purge_expired(self, now: datetime) -> int:
        """Delete entries past their expiry (the list says they may be dropped then)."""
        with self.cache.transaction():
            cursor = self.cache.conn.execute(
                "DELETE FROM revocations WHERE expires IS NOT NULL AND expires <= ?",
                (to_unix(now),),
            )
        return cursor.rowcount


def _rows(entries: Iterable[RevocationEntry]) -> Iterator[tuple[bytes, int, bytes, int | None]]:
    """Table rows; a list's entries come in groups sharing one expiry, converted once."""
    last: datetime | None = None
    unix: int | None = None
    for entry in entries:
        if entry.expires is not last:
            last, unix = entry.expires, to_unix(entry.expires)
        yield entry.hash, int(entry.hash_type), entry.kid, unix


def _keys(entries: Iterable[RevocationEntry]) -> Iterator[tuple[bytes, int, bytes]]:
    for entry in entries:
        yield entry.hash, int(entry.hash_type), entry.kid
