"""The national status list: flags per ID number, published only under derived keys.

The hub never stores an ID number: an admin call derives the 16-byte key with the list's
Argon2id parameters at once and keeps only that. The same person therefore cannot be re-keyed
under a new salt; rotating the salt empties the list (the operator re-publishes it) and moves
the source's floor, so every station receives a fresh snapshot under the new parameters.
"""

from __future__ import annotations

import base64
import json
import secrets
import sqlite3
from collections.abc import Iterable
from datetime import datetime
from typing import Any, NamedTuple

from station.cache.status_key import KEY_LENGTH, MIN_SALT_BYTES, KdfParams
from sync.hub.paging import VersionedTable
from sync.hub.store import utc_iso

TABLE = VersionedTable(
    source="status-list",
    table="status_entries",
    columns=("key", "flags", "valid_until"),
    identity=("key",),
)
MAX_FLAGS = 2**31 - 1


class StatusEntry(NamedTuple):
    """One list entry under an already derived key."""

    key: bytes
    flags: int
    valid_until: datetime | None = None


def new_kdf(memory_kib: int, iterations: int) -> KdfParams:
    """Fresh parameters with a random salt (KdfParams refuses weak settings)."""
    return KdfParams(
        salt=secrets.token_bytes(MIN_SALT_BYTES), memory_kib=memory_kib, iterations=iterations
    )


def load_kdf(conn: sqlite3.Connection) -> KdfParams | None:
    row = conn.execute("SELECT params FROM status_kdf WHERE id = 1").fetchone()
    return None if row is None else KdfParams.from_json(json.loads(row[0]))


def store_kdf(conn: sqlite3.Connection, params: KdfParams, now: datetime) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO status_kdf (id, params, created_at) VALUES (1, ?, ?)",
        (json.dumps(params.to_json()), utc_iso(now)),
    )


def upsert(conn: sqlite3.Connection, entries: Iterable[StatusEntry], version: int) -> int:
    """Publish new or changed entries under `version`; returns how many changed."""
    changed = 0
    for key, flags, valid_until in entries:
        _check(key, flags)
        until = None if valid_until is None else utc_iso(valid_until)
        row = conn.execute(
            "SELECT id, flags, valid_until FROM status_entries "
            "WHERE key = ? AND removed_version IS NULL",
            (key,),
        ).fetchone()
        if row is not None and (row[1], row[2]) == (flags, until):
            continue
        if row is not None:
            conn.execute(
                "UPDATE status_entries SET removed_version = ? WHERE id = ?", (version, row[0])
            )
        conn.execute(
            "INSERT INTO status_entries (key, flags, valid_until, added_version) "
            "VALUES (?, ?, ?, ?)",
            (key, flags, until, version),
        )
        changed += 1
    return changed


def remove(conn: sqlite3.Connection, keys: Iterable[bytes], version: int) -> int:
    before = conn.total_changes
    conn.executemany(
        "UPDATE status_entries SET removed_version = ? WHERE key = ? AND removed_version IS NULL",
        ((version, key) for key in keys),
    )
    return conn.total_changes - before


def clear(conn: sqlite3.Connection) -> None:
    """Drop every entry (their keys belong to a salt that is no longer used)."""
    conn.execute("DELETE FROM status_entries")


def to_added(rows: Iterable[tuple[Any, ...]]) -> list[dict[str, Any]]:
    return [
        {"key": _b64(bytes(key)), "flags": int(flags), "valid_until": valid_until}
        for key, flags, valid_until in rows
    ]


def to_removed(rows: Iterable[tuple[Any, ...]]) -> list[str]:
    return [_b64(bytes(row[0])) for row in rows]


def _check(key: bytes, flags: int) -> None:
    if len(key) != KEY_LENGTH:
        raise ValueError(f"a status-list key is {KEY_LENGTH} bytes")
    if isinstance(flags, bool) or not isinstance(flags, int) or not 0 <= flags <= MAX_FLAGS:
        raise ValueError("flags must be a non-negative 31-bit integer")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
