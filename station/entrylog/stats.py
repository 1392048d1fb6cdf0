"""Counts for the operator and the technician: how many decisions, when, of what kind.

Nothing here reads a sealed block, a UUID or anything else about one person: only counts by
UTC hour and verdict, by credential format, and the queue's state. That is all the station
shows about its past (the privacy checklist allows counters, never a history of people).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from station.entrylog.database import SIDE_FILES, side_file

VERDICTS = ("VALID", "INVALID", "CHECK_MANUALLY")


@dataclass(frozen=True, slots=True)
class DayStats:
    day: date
    #: hour (0–23, UTC) → verdict → count; hours without entries are absent.
    by_hour: dict[int, dict[str, int]]
    by_format: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_format.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "total": self.total,
            "by_hour": {f"{hour:02d}": counts for hour, counts in sorted(self.by_hour.items())},
            "by_format": dict(sorted(self.by_format.items())),
        }


def hourly_counts(conn: sqlite3.Connection, day: date) -> dict[int, dict[str, int]]:
    """Entries of `day` (UTC) by hour and verdict."""
    found: dict[int, dict[str, int]] = {}
    rows = conn.execute(
        "SELECT substr(minute, 12, 2), verdict, count(*) FROM entries "
        "WHERE minute >= ? AND minute < ? GROUP BY 1, 2",
        _bounds(day),
    )
    for hour, verdict, count in rows:
        found.setdefault(int(hour), {})[verdict] = count
    return found


def format_counts(conn: sqlite3.Connection, day: date) -> dict[str, int]:
    """Entries of `day` (UTC) by credential format."""
    rows = conn.execute(
        "SELECT format, count(*) FROM entries WHERE minute >= ? AND minute < ? GROUP BY 1",
        _bounds(day),
    )
    return {fmt: count for fmt, count in rows}


def day_stats(conn: sqlite3.Connection, day: date) -> DayStats:
    return DayStats(day, hourly_counts(conn, day), format_counts(conn, day))


def log_size_bytes(path: Path) -> int:
    """Bytes the log takes on disk: the main file with its -wal and -shm."""
    files = [path, *(side_file(path, suffix) for suffix in SIDE_FILES)]
    return sum(f.stat().st_size for f in files if f.exists())


def _bounds(day: date) -> tuple[str, str]:
    return f"{day.isoformat()}T00:00Z", f"{(day + timedelta(days=1)).isoformat()}T00:00Z"
