"""Per-device sequence numbers: monotonic, never reused, never below what the hub holds.

The hub finds lost entries by gaps in a station's sequence, so a number must never be handed
out twice, even after the WAL (and with it the last commits) is lost or the log is purged empty.
`next_seq` is kept in `log_meta` and bumped in the same transaction as the insert; `seq_floor`
is the highest number the hub reported holding, so after a rollback the station continues above
it instead of silently renumbering into numbers the hub already has.
"""

from __future__ import annotations

import sqlite3

NEXT_SEQ = "next_seq"
SEQ_FLOOR = "seq_floor"


def next_seq(conn: sqlite3.Connection) -> int:
    """What the allocator hands out next: max(next_seq, seq_floor + 1, max(seq) + 1)."""
    stored = _meta_int(conn, NEXT_SEQ, 1)
    floor = _meta_int(conn, SEQ_FLOOR, 0)
    top = conn.execute("SELECT max(seq) FROM entries").fetchone()[0] or 0
    return max(stored, floor + 1, int(top) + 1, 1)


def take_seq(conn: sqlite3.Connection) -> int:
    """Allocate a number; call inside the transaction that inserts the entry."""
    seq = next_seq(conn)
    _set_meta(conn, NEXT_SEQ, seq + 1)
    return seq


def raise_floor(conn: sqlite3.Connection, floor: int) -> None:
    """Raise `seq_floor` to `floor` (never lowers it); call inside a transaction."""
    if floor > _meta_int(conn, SEQ_FLOOR, 0):
        _set_meta(conn, SEQ_FLOOR, floor)


def _meta_int(conn: sqlite3.Connection, key: str, default: int) -> int:
    row = conn.execute("SELECT value FROM log_meta WHERE key = ?", (key,)).fetchone()
    try:
        return int(row[0]) if row else default
    except ValueError:
        return default


def _set_meta(conn: sqlite3.Connection, key: str, value: int) -> None:
    conn.execute(
        "INSERT INTO log_meta (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, str(value)),
    )
