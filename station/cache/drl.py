"""Revocation lists from an EU revocation distribution service (DRL), held as the filters it sent.

The exact-hash table (`station.cache.revocations`) holds what the hub publishes in its own
bundles; national backends instead publish per-kid lists of Bloom filter or hash-list slices
(`station.cache.drl_filters`). This module stores those lists, partitions and slices, and looks a
pass up in them: a lookup selects, per hash, the one chunk its hex prefix files it under and
tests that chunk's unexpired slices, so it reads a few kilobytes whatever the list's size.

As in the exact-hash table, a kid of b"" stands for the EU pseudo-kid UNKNOWN_KID, whose list
applies to a pass of any kid. Every write joins an open transaction, so the sync client stores a
whole update together with its sync-state record.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from station.cache.database import CacheDatabase
from station.cache.drl_filters import (
    FilterType,
    PartitionMode,
    address,
    check_slice,
    slice_contains,
)
from station.cache.revocations import FIND_ORDER, UNKNOWN_KID
from station.cache.timestamps import from_unix, to_iso, to_unix
from station.verify.revocation import HashType

_KID_LENGTHS = (0, 8)
_LIST_SQL = "SELECT kid, mode, hash_types FROM drl_lists WHERE kid IN (?, x'')"
_SLICES_SQL = (
    "SELECT filter_type, data FROM drl_slices "
    "WHERE kid = ? AND x = ? AND y = ? AND chunk = ? AND expires > ?"
)


@dataclass(frozen=True, slots=True)
class DrlList:
    """One kid's list as `GET /lists` describes it; `kid` b"" stands for UNKNOWN_KID."""

    kid: bytes
    mode: PartitionMode
    hash_types: frozenset[HashType]
    expires: datetime | None
    last_updated: datetime

    def __post_init__(self) -> None:
        if len(self.kid) not in _KID_LENGTHS:
            raise ValueError("a kid is 8 bytes (or empty for UNKNOWN_KID)")
        if self.last_updated.tzinfo is None:
            raise ValueError("lastUpdated needs a time zone")


@dataclass(frozen=True, slots=True)
class DrlPartition:
    """A partition's metadata; x and y are '' where the kid's mode has none."""

    kid: bytes
    partition_id: str
    x: str
    y: str
    last_updated: datetime | None
    expires: datetime | None


class SliceKey(NamedTuple):
    """Where a slice is filed: partition coordinates, chunk and expiry (unix seconds)."""

    x: str
    y: str
    chunk: str
    expires: int


@dataclass(frozen=True, slots=True)
class DrlSlice:
    """One downloaded slice; `sid` is the SHA-256 hex of `data`, as the backend names it."""

    kid: bytes
    key: SliceKey
    sid: str
    filter_type: FilterType
    data: bytes


@dataclass(frozen=True, slots=True)
class DrlKidUpdate:
    """What one sync changes for one kid.

    `replace` drops everything held for the kid first (its partitioning mode changed).
    `partitions`, when given, is the kid's complete partition set; `kept` is then every slice
    key the backend still lists, and held slices not among them are deleted. `slices` are new
    or changed slices to store.
    """

    listing: DrlList
    replace: bool = False
    partitions: tuple[DrlPartition, ...] | None = None
    kept: frozenset[SliceKey] | None = None
    slices: tuple[DrlSlice, ...] = ()


class DrlCache:
    """The DRL tables of the cache file."""

    def __init__(self, cache: CacheDatabase) -> None:
        self.cache = cache

    # --- reading ------------------------------------------------------------------------------

    def lists(self) -> dict[bytes, DrlList]:
        rows = self.cache.conn.execute(
            "SELECT kid, mode, hash_types, expires, last_updated FROM drl_lists"
        )
        return {bytes(row[0]): _listing(row) for row in rows}

    def slice_hashes(self, kid: bytes) -> dict[SliceKey, str]:
        """The slice hash (sid) of every slice held for `kid`, to compare with the backend's."""
        rows = self.cache.conn.execute(
            "SELECT x, y, chunk, expires, hash FROM drl_slices WHERE kid = ?", (kid,)
        )
        return {SliceKey(row[0], row[1], row[2], row[3]): row[4] for row in rows}

    def count(self) -> int:
        """Slices held (all kids)."""
        total: int = self.cache.conn.execute("SELECT count(*) FROM drl_slices").fetchone()[0]
        return total

    def find(self, kid: bytes, hashes: Mapping[HashType, bytes], now: datetime) -> HashType | None:
        """The first hash type (UCI, COUNTRYCODEUCI, SIGNATURE) under which the pass is listed.

        Only the hash types a list announces are tested against it; the pass's own kid's list
        and the UNKNOWN_KID list both count. Slices past their expiry are ignored (they may not
        have been purged yet). A hit may be a filter's false positive, at the rate the backend
        chose for it.
        """
        conn = self.cache.conn
        lists = [
            (bytes(row[0]), PartitionMode(row[1]), row[2])
            for row in conn.execute(_LIST_SQL, (kid,))
        ]
        if not lists:
            return None
        moment = to_unix(now)
        for kind in FIND_ORDER:
            digest = hashes.get(kind)
            if digest is None:
                continue
            for list_kid, mode, mask in lists:
                if mask & (1 << kind) and self._listed(list_kid, mode, digest, moment):
                    return kind
        return None

    def _listed(self, kid: bytes, mode: PartitionMode, digest: bytes, moment: int | None) -> bool:
        where = address(digest, mode)
        rows = self.cache.conn.execute(_SLICES_SQL, (kid, where.x, where.y, where.chunk, moment))
        return any(slice_contains(FilterType(kind), data, digest) for kind, data in rows)

    # --- writing ------------------------------------------------------------------------------

    def apply(self, update: DrlKidUpdate) -> tuple[int, int]:
        """Store one kid's update; returns (slices written, slices deleted).

        Every slice is validated (`check_slice`) before anything is written, so a damaged slice
        raises ValueError and the caller's transaction rolls back.
        """
        for piece in update.slices:
            check_slice(piece.filter_type, piece.data)
        kid = update.listing.kid
        deleted = 0
        with self.cache.transaction():
            if update.replace:
                deleted += self._delete_kid(kid)
            self._put_list(update.listing)
            if update.partitions is not None:
                self._put_partitions(kid, update.partitions)
            if update.kept is not None:
                deleted += self._drop_unlisted(kid, update.kept)
            self._put_slices(update.slices)
        return len(update.slices), deleted

    def remove_kids(self, kids: Iterable[bytes]) -> int:
        """Forget the lists of kids the backend no longer lists; returns slices deleted."""
        with self.cache.transaction():
            return sum(self._delete_kid(kid) for kid in kids)

    def purge_expired(self, now: datetime) -> int:
        """Delete slices past their expiry (the backend says they may be dropped then)."""
        with self.cache.transaction():
            cursor = self.cache.conn.execute(
                "DELETE FROM drl_slices WHERE expires <= ?", (to_unix(now),)
            )
        return cursor.rowcount

    def _delete_kid(self, kid: bytes) -> int:
        conn = self.cache.conn
        conn.execute("DELETE FROM drl_lists WHERE kid = ?", (kid,))
        conn.execute("DELETE FROM drl_partitions WHERE kid = ?", (kid,))
        deleted: int = conn.execute("DELETE FROM drl_slices WHERE kid = ?", (kid,)).rowcount
        return deleted

    def _put_list(self, listing: DrlList) -> None:
        mask = sum(1 << kind for kind in listing.hash_types)
        self.cache.conn.execute(
            "INSERT OR REPLACE INTO drl_lists (kid, mode, hash_types, expires, last_updated) "
            "VALUES (?, ?, ?, ?, ?)",
            (
                listing.kid,
                str(listing.mode),
                mask,
                to_unix(listing.expires),
                to_iso(listing.last_updated),
            ),
        )

    def _put_partitions(self, kid: bytes, partitions: Iterable[DrlPartition]) -> None:
        conn = self.cache.conn
        conn.execute("DELETE FROM drl_partitions WHERE kid = ?", (kid,))
        conn.executemany(
            "INSERT INTO drl_partitions (kid, partition_id, x, y, last_updated, expires) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                (kid, p.partition_id, p.x, p.y, to_iso(p.last_updated), to_unix(p.expires))
                for p in partitions
            ],
        )

    def _drop_unlisted(self, kid: bytes, kept: frozenset[SliceKey]) -> int:
        stale = [key for key in self.slice_hashes(kid) if key not in kept]
        self.cache.conn.executemany(
            "DELETE FROM drl_slices WHERE kid = ? AND x = ? AND y = ? AND chunk = ? "
            "AND expires = ?",
            [(kid, *key) for key in stale],
        )
        return len(stale)

    def _put_slices(self, slices: Iterable[DrlSlice]) -> None:
        self.cache.conn.executemany(
            "INSERT OR REPLACE INTO drl_slices "
            "(kid, x, y, chunk, expires, hash, filter_type, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(s.kid, *s.key, s.sid, str(s.filter_type), s.data) for s in slices],
        )


def _listing(row: tuple[Any, ...]) -> DrlList:
    kid, mode, mask, expires, last_updated = row
    return DrlList(
        kid=bytes(kid),
        mode=PartitionMode(mode),
        hash_types=frozenset(kind for kind in HashType if mask & (1 << kind)),
        expires=from_unix(expires),
        last_updated=datetime.fromisoformat(last_updated),
    )


__all__ = [
    "UNKNOWN_KID",
    "DrlCache",
    "DrlKidUpdate",
    "DrlList",
    "DrlPartition",
    "DrlSlice",
    "SliceKey",
]
