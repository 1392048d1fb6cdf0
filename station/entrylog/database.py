"""Opening the entry log: durable settings, numbered migrations, and a damaged file set aside.

Every decision at the gate becomes one row that must survive a kill -9 or a power cut the moment
`record` returns, so the log runs in WAL mode with `synchronous=FULL` (each commit is fsynced;
NORMAL can lose the last commits on power loss). `secure_delete=ON` zeroes deleted rows in place,
so a purged sealed block does not linger in free pages. The file is created 0600 before SQLite
opens it: SQLite gives the -wal and -shm files the main file's permissions.

A corrupt file found at startup (`PRAGMA quick_check`, or SQLite refusing the header) is renamed
to `log.sqlite.corrupt-<UTC timestamp>` together with its -wal and -shm, never deleted (it may
still hold entries the authority needs), and a fresh log is started so the gate keeps working.
The returned connection's `quarantined` attribute names the set-aside file: the caller shows it
as a maintenance alert. Opening is serialised with a lock file so the kiosk and the uploader,
starting together, cannot both set a file aside or run the same migration.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from station.cache.migrations import statements
from station.entrylog.storage import (
    STORAGE_CORRUPT,
    STORAGE_READONLY,
    StorageFailure,
    failure_from_os,
    failure_from_sqlite,
    is_corruption,
)
from station.errors import ConfigError

BUSY_TIMEOUT_S = 5.0
#: After a purge's checkpoint the WAL file is cut back to at most this size.
JOURNAL_SIZE_LIMIT = 4 * 1024 * 1024
SIDE_FILES = ("-wal", "-shm", "-journal")

V1_INITIAL = """
CREATE TABLE entries (
    uuid TEXT PRIMARY KEY,
    seq INTEGER NOT NULL UNIQUE,
    checkpoint_id TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    minute TEXT NOT NULL,
    clock_trusted INTEGER NOT NULL,
    verdict TEXT NOT NULL,
    reason TEXT NOT NULL,
    format TEXT NOT NULL,
    data_version TEXT NOT NULL,
    sealed BLOB,
    state TEXT NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'uploaded', 'quarantined')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    recorded_at TEXT NOT NULL,
    uploaded_at TEXT
);
CREATE INDEX entries_by_state ON entries (state, seq);
CREATE TABLE log_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO log_meta (key, value) VALUES ('next_seq', '1'), ('seq_floor', '0');
CREATE TABLE purge_reports (
    id TEXT PRIMARY KEY,
    at TEXT NOT NULL,
    purged_unsent INTEGER NOT NULL,
    purged_uploaded INTEGER NOT NULL,
    purged_quarantined INTEGER NOT NULL,
    seq_ranges TEXT NOT NULL,
    sent_at TEXT
);
"""

#: Script N (1-based) migrates a log from version N-1 to version N; released scripts never change.
MIGRATIONS: tuple[str, ...] = (V1_INITIAL,)
LATEST_VERSION = len(MIGRATIONS)


class _Damaged(Exception):
    """`PRAGMA quick_check` found the file damaged."""


class LogConnection(sqlite3.Connection):
    """A connection to the entry log; `quarantined` is the damaged file set aside on opening."""

    quarantined: Path | None = None


def open_log(path: Path) -> LogConnection:
    """Open (creating, checking and migrating) the entry log at `path`.

    Raises StorageFailure when the disk refuses (read-only, full, I/O error) and ConfigError
    for a log written by a newer release.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with _opening_lock(path):
            return _open_checked(path)
    except OSError as exc:
        raise failure_from_os(exc) from exc


def _open_checked(path: Path) -> LogConnection:
    try:
        return _open_once(path)
    except _Damaged:
        pass
    except sqlite3.Error as exc:
        if not is_corruption(exc):
            raise failure_from_sqlite(exc, path) from exc
    quarantined = quarantine(path)
    try:
        conn = _open_once(path)
    except _Damaged as exc:
        raise StorageFailure(STORAGE_CORRUPT, "a fresh log fails its check") from exc
    except sqlite3.Error as exc:
        raise failure_from_sqlite(exc, path) from exc
    conn.quarantined = quarantined
    return conn


def _open_once(path: Path) -> LogConnection:
    """Connect, configure, check and migrate; damage comes out as `_Damaged` or a sqlite3 error."""
    create_private(path)
    conn = sqlite3.connect(
        str(path),
        timeout=BUSY_TIMEOUT_S,
        isolation_level=None,
        check_same_thread=False,
        factory=LogConnection,
    )
    try:
        _configure(conn)
        _quick_check(conn)
        _migrate(conn, path)
    except BaseException:
        conn.close()
        raise
    return conn


def _configure(conn: sqlite3.Connection) -> None:
    mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        raise StorageFailure(STORAGE_READONLY, "the log cannot switch to WAL mode")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA secure_delete=ON")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA temp_store=MEMORY")  # VACUUM's copy never lands in a temp file
    conn.execute(f"PRAGMA journal_size_limit={JOURNAL_SIZE_LIMIT:d}")


def _quick_check(conn: sqlite3.Connection) -> None:
    rows = conn.execute("PRAGMA quick_check").fetchall()
    if [tuple(row) for row in rows] != [("ok",)]:
        raise _Damaged()


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    found = user_version(conn)
    if found > LATEST_VERSION:
        raise ConfigError(
            f"{path} is an entry log of schema version {found}, written by a newer release "
            f"(this release reads up to {LATEST_VERSION}); update the station software"
        )
    for number in range(found + 1, LATEST_VERSION + 1):
        with transaction(conn):
            if user_version(conn) < number:  # another process may just have run it
                for statement in statements(MIGRATIONS[number - 1]):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {number:d}")


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """One write: `BEGIN IMMEDIATE` … `COMMIT`, rolled back on any exception.

    IMMEDIATE takes the write lock up front, so the kiosk and the uploader wait for each other
    (busy timeout) instead of failing half-way. A rollback that itself fails (the disk is gone)
    is left to SQLite, which rolls back when the connection is closed.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass
        raise


def user_version(conn: sqlite3.Connection) -> int:
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    return version


def create_private(path: Path) -> None:
    """Create `path` empty and owner-only if missing; tighten an existing file to 0600."""
    handle = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    try:
        if os.fstat(handle).st_mode & 0o077:
            os.fchmod(handle, 0o600)
    finally:
        os.close(handle)


def quarantine(path: Path, now: datetime | None = None) -> Path:
    """Rename a damaged log and its side files out of the way; returns the new main file name."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    counter = 1
    while any(side_file(target, suffix).exists() for suffix in ("", *SIDE_FILES)):
        counter += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{counter}")
    for suffix in SIDE_FILES:  # side files first: a fresh log must never adopt the old WAL
        side = side_file(path, suffix)
        if side.exists():
            os.replace(side, side_file(target, suffix))
    os.replace(path, target)
    return target


def side_file(path: Path, suffix: str) -> Path:
    """`log.sqlite-wal` and friends: the files SQLite keeps next to the log."""
    return Path(f"{path}{suffix}")


@contextmanager
def _opening_lock(path: Path) -> Iterator[None]:
    lock_path = path.with_name(path.name + ".lock")
    handle = os.open(lock_path, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)
