"""The hub's SQLite file: one connection per thread, serialized writes, per-source versions.

The server is threaded and sqlite3 connections may not cross threads, so every thread opens its
own (through `station.store.db.connect`, for the same WAL settings as the station) and request
threads close theirs when their connection ends. Writes take a process-wide lock and `BEGIN
IMMEDIATE`, so an admin call is one transaction that either publishes a whole change under a new
version number or nothing.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from station.store.db import connect

#: Page cache per connection: bulk loads into the random-keyed hash index need it.
CACHE_KIB = 64 * 1024
SOURCES = (
    "trust-list",
    "revocations",
    "status-list",
    "rules",
    "valuesets",
    "issuer-keys",
    "sealing-key",
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS versions (
    source TEXT PRIMARY KEY, version INTEGER NOT NULL, floor INTEGER NOT NULL DEFAULT 0,
    changed_at TEXT);
CREATE TABLE IF NOT EXISTS signing_keys (
    id INTEGER PRIMARY KEY AUTOINCREMENT, private_pem BLOB NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS enrollment_codes (
    code_hash TEXT PRIMARY KEY, name TEXT NOT NULL, created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL, used_at TEXT, station_id TEXT);
CREATE TABLE IF NOT EXISTS stations (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE,
    enrolled_at TEXT NOT NULL, last_seen TEXT, revoked_at TEXT);
CREATE TABLE IF NOT EXISTS dscs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, kid TEXT NOT NULL, fingerprint TEXT NOT NULL,
    country TEXT NOT NULL, der BLOB NOT NULL, origin TEXT NOT NULL, added_at TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0, deleted_at TEXT);
CREATE INDEX IF NOT EXISTS dscs_current ON dscs (deleted, id);
CREATE INDEX IF NOT EXISTS dscs_fingerprint ON dscs (fingerprint);
CREATE INDEX IF NOT EXISTS dscs_kid ON dscs (kid);
CREATE TABLE IF NOT EXISTS rules (
    id INTEGER PRIMARY KEY AUTOINCREMENT, identifier TEXT NOT NULL, version TEXT NOT NULL,
    country TEXT NOT NULL, hash TEXT NOT NULL, body BLOB NOT NULL, added_at TEXT NOT NULL,
    UNIQUE (identifier, version));
CREATE TABLE IF NOT EXISTS valuesets (
    id TEXT PRIMARY KEY, hash TEXT NOT NULL, body BLOB NOT NULL, added_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS revocations (
    id INTEGER PRIMARY KEY AUTOINCREMENT, kid TEXT NOT NULL, hash_type INTEGER NOT NULL,
    hash BLOB NOT NULL, expires TEXT, added_version INTEGER NOT NULL, removed_version INTEGER);
CREATE INDEX IF NOT EXISTS revocations_identity ON revocations (hash);
CREATE INDEX IF NOT EXISTS revocations_added ON revocations (added_version);
CREATE INDEX IF NOT EXISTS revocations_removed ON revocations (removed_version);
CREATE TABLE IF NOT EXISTS status_kdf (
    id INTEGER PRIMARY KEY CHECK (id = 1), params TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS status_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT, key BLOB NOT NULL, flags INTEGER NOT NULL,
    valid_until TEXT, added_version INTEGER NOT NULL, removed_version INTEGER);
CREATE INDEX IF NOT EXISTS status_entries_identity ON status_entries (key);
CREATE INDEX IF NOT EXISTS status_entries_added ON status_entries (added_version);
CREATE INDEX IF NOT EXISTS status_entries_removed ON status_entries (removed_version);
CREATE TABLE IF NOT EXISTS issuers (
    family TEXT NOT NULL, issuer TEXT NOT NULL, keys_json TEXT NOT NULL, crls_json TEXT NOT NULL,
    added_at TEXT NOT NULL, PRIMARY KEY (family, issuer));
CREATE TABLE IF NOT EXISTS entries (
    uuid TEXT PRIMARY KEY, station_id TEXT NOT NULL, seq INTEGER NOT NULL,
    checkpoint_id TEXT NOT NULL, direction TEXT NOT NULL, minute TEXT NOT NULL,
    clock_trusted INTEGER NOT NULL, verdict TEXT NOT NULL, reason TEXT NOT NULL,
    format TEXT NOT NULL, data_version TEXT NOT NULL, sealed BLOB, received_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS entries_station_seq ON entries (station_id, seq);
CREATE INDEX IF NOT EXISTS entries_place ON entries (station_id, checkpoint_id, minute);
CREATE INDEX IF NOT EXISTS entries_minute ON entries (minute);
CREATE INDEX IF NOT EXISTS entries_received ON entries (received_at);
CREATE TABLE IF NOT EXISTS entry_tombstones (
    uuid TEXT PRIMARY KEY, station_id TEXT NOT NULL, seq INTEGER NOT NULL,
    purged_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS entry_tombstones_seq ON entry_tombstones (station_id, seq);
CREATE TABLE IF NOT EXISTS station_logs (
    station_id TEXT PRIMARY KEY, max_seq INTEGER NOT NULL, next_seq INTEGER NOT NULL,
    updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS idempotency_keys (
    station_id TEXT NOT NULL, key TEXT NOT NULL, body_hash TEXT NOT NULL, answer BLOB NOT NULL,
    created_at TEXT NOT NULL, PRIMARY KEY (station_id, key));
CREATE TABLE IF NOT EXISTS log_alerts (
    id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, station_id TEXT NOT NULL,
    kind TEXT NOT NULL, first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL,
    message TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS purge_reports (
    station_id TEXT NOT NULL, id TEXT NOT NULL, at TEXT NOT NULL,
    purged_unsent INTEGER NOT NULL, purged_uploaded INTEGER NOT NULL,
    purged_quarantined INTEGER NOT NULL, seq_ranges TEXT NOT NULL, received_at TEXT NOT NULL,
    PRIMARY KEY (station_id, id));
CREATE TABLE IF NOT EXISTS authority_keys (
    version INTEGER PRIMARY KEY, public_key BLOB NOT NULL, key_id TEXT NOT NULL,
    added_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS decryption_audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, case_id TEXT NOT NULL,
    operator TEXT NOT NULL, entry_uuid TEXT NOT NULL, purpose TEXT NOT NULL);
"""
#: Statements with semicolons of their own, so they are not split like SCHEMA: the decryption
#: audit is append-only even for someone holding a SQLite shell on the hub file.
TRIGGERS = tuple(
    f"CREATE TRIGGER IF NOT EXISTS decryption_audit_no_{action.lower()} "
    f"BEFORE {action} ON decryption_audit "
    "BEGIN SELECT RAISE(ABORT, 'the decryption audit is append-only'); END"
    for action in ("UPDATE", "DELETE")
)


def utc_iso(moment: datetime) -> str:
    """The one timestamp form the hub writes: `2026-06-01T12:00:00Z`."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_instant(text: str) -> datetime:
    """An ISO 8601 date or date-time; a missing zone means UTC. ValueError otherwise."""
    parsed = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


class HubStore:
    """Per-thread connections to one hub file, and the transaction helpers every module uses."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._write_lock = threading.RLock()
        _create_private_file(self.path)
        with self.write() as conn:
            _create_schema(conn)

    def conn(self) -> sqlite3.Connection:
        """This thread's connection (opened on first use)."""
        current: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if current is None:
            current = connect(self.path).conn
            current.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            # An acknowledged entry upload lets the station delete its copy: survive power loss.
            current.execute("PRAGMA synchronous = FULL")
            self._local.conn = current
        return current

    def release_thread(self) -> None:
        """Close this thread's connection; request threads call it when they end."""
        current: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if current is not None:
            self._local.conn = None
            current.close()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One serialized write transaction: committed on success, rolled back on any error."""
        with self._write_lock:
            conn = self.conn()
            conn.execute("BEGIN IMMEDIATE")
            committed = False
            try:
                yield conn
                conn.execute("COMMIT")
                committed = True
            finally:
                if not committed:
                    conn.execute("ROLLBACK")

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A read transaction, so every query of one answer sees the same snapshot.

        Nested inside another transaction of this thread it simply joins that one.
        """
        conn = self.conn()
        if conn.in_transaction:
            yield conn
            return
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            conn.execute("COMMIT")


def _create_private_file(path: Path) -> None:
    """Create the hub file readable by its owner only: it holds the private signing keys.

    SQLite gives the WAL and shared-memory files the mode of the database file, so creating the
    (empty) file first with mode 0600 protects those too.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        pass


def _create_schema(conn: sqlite3.Connection) -> None:
    for statement in SCHEMA.split(";"):
        if statement.strip():
            conn.execute(statement)
    for trigger in TRIGGERS:
        conn.execute(trigger)
    for source in SOURCES:
        conn.execute("INSERT OR IGNORE INTO versions (source, version) VALUES (?, 0)", (source,))


def current_version(conn: sqlite3.Connection, source: str) -> int:
    row = conn.execute("SELECT version FROM versions WHERE source = ?", (source,)).fetchone()
    return int(row[0])


def version_floor(conn: sqlite3.Connection, source: str) -> int:
    """The oldest version of `source` the hub can still reproduce or serve a delta from."""
    row = conn.execute("SELECT floor FROM versions WHERE source = ?", (source,)).fetchone()
    return int(row[0])


def next_version(conn: sqlite3.Connection, source: str) -> int:
    """The number the change being written will be published under (not yet recorded)."""
    return current_version(conn, source) + 1


def publish_version(conn: sqlite3.Connection, source: str, version: int, now: datetime) -> None:
    """Record `version` as the current one of `source` (call once per changing transaction)."""
    conn.execute(
        "UPDATE versions SET version = ?, changed_at = ? WHERE source = ?",
        (version, utc_iso(now), source),
    )


def set_floor(conn: sqlite3.Connection, source: str, floor: int) -> None:
    conn.execute("UPDATE versions SET floor = ? WHERE source = ?", (floor, source))
