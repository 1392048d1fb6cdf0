"""Opening the cache file: schema migrations, transactions, and a digest of everything in it.

The verifier reads the cache while the sync client writes it, possibly from another process;
WAL lets readers go on during a write, and every write goes through `CacheDatabase.transaction`
so a reader sees one source either entirely before or entirely after a sync.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

import sqlite_utils

from station.cache.migrations import LATEST_VERSION, MIGRATIONS, TABLE_ORDER, statements
from station.errors import ConfigError
from station.store.db import connect

#: Page cache per connection. Large enough that a 10 k-entry delta on a 10 M-row table stays in
#: memory, small enough for a 1 GB kiosk. SQLite's sorter uses the same budget.
CACHE_SIZE_KIB = 32 * 1024
SYNC_STATE_TABLE = "sync_state"
#: After a big load the WAL file is cut back to this size instead of keeping its peak size.
JOURNAL_SIZE_LIMIT = 64 * 1024 * 1024


class CacheDatabase:
    """An open cache file. Not shared between threads: open one per thread."""

    def __init__(self, db: sqlite_utils.Database, path: Path) -> None:
        self.db = db
        self.path = path

    @property
    def conn(self) -> sqlite3.Connection:
        connection: sqlite3.Connection = self.db.conn
        return connection

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic write: `BEGIN IMMEDIATE` … `COMMIT`, rolled back on any exception.

        Inside an open transaction this joins it, so the sync client can wrap several stores'
        writes and its sync-state record in one outer transaction. IMMEDIATE takes the write
        lock up front: two writers then wait for each other instead of failing half-way.
        """
        if self.conn.in_transaction:
            yield
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def schema_version(self) -> int:
        return _user_version(self.conn)

    def content_digest(self, *, include_sync_state: bool = True) -> str:
        """SHA-256 over every cache table's rows in a fixed order.

        Two caches with the same digest hold the same data, byte for byte; this is how a failed
        sync is shown to have left the cache exactly as it was (without the sync state, which a
        failure updates on purpose to say why). It reads every row, so on a full-size
        revocation list it takes a while: it is a check, not something to run per scan.
        """
        digest = hashlib.sha256()
        for table, order in TABLE_ORDER:
            if table == SYNC_STATE_TABLE and not include_sync_state:
                continue
            digest.update(_encode(table))
            for row in self.conn.execute(f"SELECT * FROM {table} ORDER BY {order}"):
                digest.update(b"(" + b"".join(_encode(value) for value in row) + b")")
        return digest.hexdigest()

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> CacheDatabase:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def open_cache(path: str | Path) -> CacheDatabase:
    """Open (creating if needed) and migrate the cache at `path`.

    Raises `ConfigError` for a file written by a newer release or one that is not a SQLite
    database: the station must not guess at data it cannot read.
    """
    target = Path(path)
    try:
        db = connect(target)
    except sqlite3.DatabaseError as exc:
        raise ConfigError(f"{target} is not a station cache: {exc}") from exc
    try:
        db.conn.execute(f"PRAGMA cache_size = -{CACHE_SIZE_KIB}")
        db.conn.execute(f"PRAGMA journal_size_limit = {JOURNAL_SIZE_LIMIT}")
        migrate(db.conn, target)
    except BaseException:
        db.conn.close()
        raise
    return CacheDatabase(db, target)


def migrate(conn: sqlite3.Connection, path: Path) -> int:
    """Bring the file to `LATEST_VERSION`, backing it up first; returns the version found."""
    found = _user_version(conn)
    if found > LATEST_VERSION:
        raise ConfigError(
            f"{path} is a cache of schema version {found}, written by a newer release of the "
            f"station software (this release reads up to version {LATEST_VERSION}). Update the "
            f"station software, or move the file away to start with an empty cache."
        )
    if found < LATEST_VERSION and _has_tables(conn):
        backup_path(path, found).unlink(missing_ok=True)
        conn.execute("VACUUM INTO ?", (str(backup_path(path, found)),))
    for number in range(found + 1, LATEST_VERSION + 1):
        _run_migration(conn, number)
    return found


def backup_path(path: Path, version: int) -> Path:
    """Where the copy of a version-`version` file is kept before it is migrated."""
    return path.with_name(f"{path.name}.bak-v{version}")


def _run_migration(conn: sqlite3.Connection, number: int) -> None:
    """Run script `number` in its own transaction, unless another process just did."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        if _user_version(conn) < number:
            for statement in statements(MIGRATIONS[number - 1]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number:d}")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _user_version(conn: sqlite3.Connection) -> int:
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    return version


def _has_tables(conn: sqlite3.Connection) -> bool:
    return bool(conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])


def _encode(value: object) -> bytes:
    """An unambiguous, type-tagged byte form of one SQLite value."""
    if value is None:
        return b"N;"
    if isinstance(value, bytes):
        return b"B%d:" % len(value) + value
    if isinstance(value, int):
        return b"I%d;" % value
    if isinstance(value, float):
        return b"F" + repr(value).encode("ascii") + b";"
    text = str(value).encode("utf-8")
    return b"T%d:" % len(text) + text
