"""What the station's own files and the kernel say about the time (read-only, never raises).

The time floor (`station.time_floor`) is judged from:

- the newest time in authenticated trust data: the `lastUpdated` of the EU revocation lists
  and partitions in the cache, which the backend signs;
- the last authenticated hub time: the issue time of the last hub-signed bundle, as
  `station.clock_trust` recorded it (`clock.json`);
- the newest entry in the entry log written while the clock was trusted, read incrementally
  by sequence number so an entry is considered once;
- the boot: its id and the time since it (CLOCK_BOOTTIME, which keeps counting in suspend),
  so a jump of the wall clock within one boot can be measured.

Files that are missing, locked or damaged count as "no evidence": the floor then rests on what
was persisted before.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from station.cache.timestamps import from_iso
from station.clock_trust import ClockEvidence, load_evidence
from station.paths import cache_db_path, log_db_path

BOOT_ID_FILE = Path("/proc/sys/kernel/random/boot_id")
LOG_MINUTE_FORMAT = "%Y-%m-%dT%H:%MZ"


@dataclass(frozen=True, slots=True)
class BootTime:
    """Which boot this is, and how long ago it started (seconds, unaffected by clock changes)."""

    boot_id: str
    since_boot_s: float


@dataclass(frozen=True, slots=True)
class LogProgress:
    """The newest trusted entry time after `after_seq`, and the highest sequence number seen."""

    newest_trusted: datetime | None
    max_seq: int


def current_boot() -> BootTime:
    try:
        boot_id = BOOT_ID_FILE.read_text(encoding="ascii").strip()
    except OSError:
        boot_id = "unknown"
    clock_id = getattr(time, "CLOCK_BOOTTIME", time.CLOCK_MONOTONIC)
    return BootTime(boot_id, time.clock_gettime(clock_id))


def hub_evidence(base: Path) -> ClockEvidence | None:
    return load_evidence(base)


def hub_reference_time(evidence: ClockEvidence) -> datetime:
    """The hub-signed time the station's clock was compared with."""
    return evidence.checked_at.astimezone(UTC) - timedelta(seconds=evidence.skew_seconds)


def newest_trust_data_time(base: Path) -> datetime | None:
    """The newest signed `lastUpdated` of the revocation lists in the cache."""
    query = (
        "SELECT max(t) FROM (SELECT max(last_updated) AS t FROM drl_lists"
        " UNION ALL SELECT max(last_updated) FROM drl_partitions)"
    )
    value = _query_one(cache_db_path(base), query, ())
    try:
        return from_iso(value) if isinstance(value, str) else None
    except ValueError:
        return None


def log_progress(base: Path, after_seq: int) -> LogProgress:
    """Entries after `after_seq`: the newest one written on a trusted clock, and the last seq.

    A log whose highest seq is below `after_seq` was started afresh; it is read from the start.
    """
    conn = _open_read_only(log_db_path(base))
    if conn is None:
        return LogProgress(None, after_seq)
    try:
        max_seq = _one(conn, "SELECT max(seq) FROM entries", ())
        if not isinstance(max_seq, int):
            return LogProgress(None, after_seq)
        if max_seq < after_seq:
            after_seq = 0  # a new log (the old one was set aside as damaged): read it all
        newest = _one(
            conn,
            "SELECT max(recorded_at) FROM entries WHERE seq > ? AND clock_trusted = 1",
            (after_seq,),
        )
    finally:
        conn.close()
    return LogProgress(_log_minute(newest), max_seq)


def _log_minute(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.strptime(value, LOG_MINUTE_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None


def _query_one(path: Path, sql: str, parameters: tuple[object, ...]) -> object:
    """The single value of `sql` on the file opened read-only, or None."""
    conn = _open_read_only(path)
    if conn is None:
        return None
    try:
        return _one(conn, sql, parameters)
    finally:
        conn.close()


def _open_read_only(path: Path) -> sqlite3.Connection | None:
    if not path.exists():
        return None
    try:
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1.0)
    except sqlite3.Error:
        return None


def _one(conn: sqlite3.Connection, sql: str, parameters: tuple[object, ...]) -> object:
    try:
        row = conn.execute(sql, parameters).fetchone()
    except sqlite3.Error:  # no such table yet, locked, damaged: no evidence from this file
        return None
    return None if row is None else row[0]
