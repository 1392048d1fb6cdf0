"""The national status list in the cache: 16-byte Argon2id keys of ID numbers, with status flags.

The cache never holds an ID number, only `derive_status_key(id, params)` under the list's KDF
parameters (see `station.cache.status_key` for why the derivation is deliberately slow). All keys
of one list are derived with one parameter set, so a new salt or cost means new keys for
everyone: such a change is only accepted together with a full snapshot.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import IntFlag

from station.cache.bulk import delete_keys, staged_upsert
from station.cache.database import CacheDatabase
from station.cache.status_key import (
    ALGORITHM,
    KEY_LENGTH,
    KdfParams,
    derive_status_key,
    normalise_id_number,
)
from station.cache.timestamps import from_unix, to_unix

_TABLE = "status_entries"
_COLUMNS = ("key", "flags", "valid_until")
_KEY = ("key",)


class StatusFlags(IntFlag):
    """What the list says about a person; several may hold at once."""

    VACCINATED = 1
    RECOVERED = 2
    TESTED_NEGATIVE = 4
    POSITIVE = 8
    ISOLATING = 16
    CLOSE_CONTACT = 32


@dataclass(frozen=True, slots=True)
class StatusEntry:
    """One person's list entry, by key; `valid_until` None means until further notice."""

    key: bytes
    flags: StatusFlags
    valid_until: datetime | None = None

    def __post_init__(self) -> None:
        if len(self.key) != KEY_LENGTH:
            raise ValueError(f"a status-list key is {KEY_LENGTH} bytes, not {len(self.key)}")
        if self.valid_until is not None and self.valid_until.tzinfo is None:
            raise ValueError("a status-list date needs a time zone")


def is_current(entry: StatusEntry, now: datetime) -> bool:
    """Whether the entry still applies at `now` (an entry past `valid_until` is history)."""
    return entry.valid_until is None or now < entry.valid_until


class StatusListCache:
    """Status-list entries and KDF parameters; every write joins an open transaction."""

    is_current = staticmethod(is_current)

    def __init__(self, cache: CacheDatabase) -> None:
        self.cache = cache

    def params(self) -> KdfParams | None:
        """The list's KDF parameters, or None while no list has been loaded."""
        row = self.cache.conn.execute(
            "SELECT salt, memory_kib, iterations, lanes, length FROM status_params WHERE id = 1"
        ).fetchone()
        if row is None:
            return None
        return KdfParams(
            salt=row[0], memory_kib=row[1], iterations=row[2], lanes=row[3], length=row[4]
        )

    def apply(
        self,
        params: KdfParams,
        upserts: Iterable[StatusEntry],
        removed_keys: Iterable[bytes],
        snapshot: bool,
    ) -> tuple[int, int]:
        """Apply a delta, or with `snapshot` replace the list (`removed_keys` is then ignored).

        Returns (entries written, entries deleted). A delta under other KDF parameters than the
        held list raises ValueError: its keys would never match the held ones.
        """
        conn = self.cache.conn
        with self.cache.transaction():
            held = self.params()
            if held is not None and held != params and not snapshot:
                raise ValueError(
                    "the status list changed its key derivation; only a full snapshot may do that"
                )
            if snapshot:
                deleted = conn.execute("DELETE FROM status_entries").rowcount
            else:
                deleted = delete_keys(conn, _TABLE, _KEY, ((bytes(k),) for k in removed_keys))
            self._store_params(params)
            written = staged_upsert(conn, _TABLE, _COLUMNS, _KEY, _rows(upserts))
        return max(written, 0), max(deleted, 0)

    def lookup(self, id_number: str) -> StatusEntry | None:
        """The entry for an ID number (separators allowed), or None if not on the list.

        Raises ValueError for a malformed ID number, even while no list is loaded. Costs one
        Argon2id derivation at the list's parameters.
        """
        digits = normalise_id_number(id_number)
        params = self.params()
        if params is None:
            return None
        return self.lookup_key(derive_status_key(digits, params))

    def lookup_key(self, key: bytes) -> StatusEntry | None:
        row = self.cache.conn.execute(
            "SELECT key, flags, valid_until FROM status_entries WHERE key = ?", (key,)
        ).fetchone()
        if row is None:
            return None
        return StatusEntry(key=row[0], flags=StatusFlags(row[1]), valid_until=from_unix(row[2]))

    def count(self) -> int:
        total: int = self.cache.conn.execute("SELECT count(*) FROM status_entries").fetchone()[0]
        return total

    def _store_params(self, params: KdfParams) -> None:
        self.cache.conn.execute(
            "INSERT INTO status_params (id, algorithm, salt, memory_kib, iterations, lanes, length)"
            " VALUES (1, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
            " algorithm = excluded.algorithm, salt = excluded.salt,"
            " memory_kib = excluded.memory_kib, iterations = excluded.iterations,"
            " lanes = excluded.lanes, length = excluded.length",
            (
                ALGORITHM,
                params.salt,
                params.memory_kib,
                params.iterations,
                params.lanes,
                params.length,
            ),
        )


def _rows(entries: Iterable[StatusEntry]) -> Iterator[tuple[bytes, int, int | None]]:
    for entry in entries:
        yield entry.key, int(entry.flags), to_unix(entry.valid_until)
