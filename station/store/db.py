"""Open the station's SQLite files the same way everywhere: WAL, foreign keys, busy timeout."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils


def connect(path: str | Path) -> sqlite_utils.Database:
    """A sqlite-utils Database on `path` (created with its parent directory if missing)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(target), timeout=10, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA synchronous=NORMAL")
    return sqlite_utils.Database(conn)
