"""Streaming bulk writes into the large `WITHOUT ROWID` tables.

Revocation and status lists arrive in hash order, which is random order for the B-tree. Inserting
ten million random keys straight into a table far larger than the page cache touches a different
leaf page almost every row, and every evicted dirty page is written to the WAL again and again.
So rows are first appended to a temporary table (cheap, no ordering), then copied in key order
with one `INSERT … SELECT … ORDER BY`: SQLite's external sorter keeps memory bounded, and the
sorted insert fills each leaf page once. Rows are taken from an iterator by `executemany`, so no
list of entries is ever built in Python.

The temporary table and the sorter's runs are files in SQLite's temporary directory
($SQLITE_TMPDIR, else $TMPDIR, else /var/tmp): a full revocation list needs about 0.5 GB there
for the length of the load, which must not be a RAM disk on a 1 GB kiosk.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any


def staged_upsert(
    conn: sqlite3.Connection,
    table: str,
    columns: Sequence[str],
    key: Sequence[str],
    rows: Iterable[tuple[Any, ...]],
) -> int:
    """Insert `rows` into `table`, updating the non-key columns of rows whose key exists.

    Returns how many rows were inserted or changed (a row sent again unchanged counts zero).
    Must run inside a transaction; on an exception the caller's rollback also undoes the
    temporary table. `table` and the column names are constants of the cache, never input.
    """
    stage = f"temp.{table}_incoming"
    conn.execute(f"DROP TABLE IF EXISTS {stage}")
    conn.execute(f"CREATE TABLE {stage} ({', '.join(columns)})")
    placeholders = ", ".join("?" for _ in columns)
    conn.executemany(f"INSERT INTO {stage} VALUES ({placeholders})", rows)
    cursor = conn.execute(_upsert_sql(table, stage, columns, key))
    conn.execute(f"DROP TABLE {stage}")
    return cursor.rowcount


def _upsert_sql(table: str, stage: str, columns: Sequence[str], key: Sequence[str]) -> str:
    names, keys = ", ".join(columns), ", ".join(key)
    values = [c for c in columns if c not in key]
    assignments = ", ".join(f"{c} = excluded.{c}" for c in values)
    changed = " OR ".join(f"{c} IS NOT excluded.{c}" for c in values)
    return (
        f"INSERT INTO main.{table} ({names}) SELECT {names} FROM {stage} WHERE true "
        f"ORDER BY {keys} ON CONFLICT ({keys}) DO UPDATE SET {assignments} WHERE {changed}"
    )


def delete_keys(
    conn: sqlite3.Connection, table: str, key: Sequence[str], keys: Iterable[tuple[Any, ...]]
) -> int:
    """Delete the rows whose key is in `keys` (streamed); returns how many existed."""
    condition = " AND ".join(f"{c} = ?" for c in key)
    return conn.executemany(f"DELETE FROM main.{table} WHERE {condition}", keys).rowcount
