"""Retention: entries leave the station a day after the hub has them, and never outlive the law.

The tracing window (14–28 days, set by law) is a hard maximum: an entry older than that is
deleted even if it never reached the hub — pending or quarantined alike — and only the count
and sequence ranges of such entries are kept, as a purge report for the hub, so the authority
knows what it will never receive. An uploaded entry goes after a grace period of at most 24 h.

A purge runs only on trusted time: a Pi without a clock battery may boot in 1970 or 2038, and
a clock far in the future would wipe the whole log. After deleting, the WAL is checkpointed and
truncated and the file vacuumed, so no byte of a purged row survives in log.sqlite, its -wal or
its -shm (`secure_delete=ON` zeroes the rows in place first).
"""

from __future__ import annotations

import json
import sqlite3
import uuid as uuidlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from station.entrylog.database import open_log, transaction
from station.entrylog.entry import minute_of
from station.errors import ConfigError

MIN_AGE_DAYS, MAX_AGE_DAYS = 14, 28
MAX_GRACE_HOURS = 24.0
_NEVER_UPLOADED = ("pending", "quarantined")


@dataclass(frozen=True, slots=True)
class RetentionPolicy:
    max_age_days: int = 21
    uploaded_grace_hours: float = 24.0

    def __post_init__(self) -> None:
        if not MIN_AGE_DAYS <= self.max_age_days <= MAX_AGE_DAYS:
            raise ConfigError(f"max_age_days must be {MIN_AGE_DAYS} to {MAX_AGE_DAYS}")
        if not 0 <= self.uploaded_grace_hours <= MAX_GRACE_HOURS:
            raise ConfigError(f"uploaded_grace_hours must be 0 to {MAX_GRACE_HOURS:g}")


@dataclass(frozen=True, slots=True)
class PurgeResult:
    """Counts only: what a purge removed (nothing when `skipped`, on untrusted time)."""

    skipped: bool
    purged_unsent: int = 0
    purged_uploaded: int = 0
    purged_quarantined: int = 0
    report_id: str | None = None
    seq_ranges: tuple[tuple[int, int], ...] = ()
    #: False when another connection's reader kept the WAL from being emptied this time.
    wal_truncated: bool = True

    @property
    def purged(self) -> int:
        return self.purged_unsent + self.purged_uploaded + self.purged_quarantined


def purge(
    target: sqlite3.Connection | Path,
    policy: RetentionPolicy,
    *,
    now: datetime,
    clock_trusted: bool,
) -> PurgeResult:
    """Delete what `policy` says is due at `now`; does nothing unless the clock is trusted."""
    if not clock_trusted:
        return PurgeResult(skipped=True)
    if isinstance(target, sqlite3.Connection):
        return _purge(target, policy, now)
    conn = open_log(target)
    try:
        return _purge(conn, policy, now)
    finally:
        conn.close()


def _purge(conn: sqlite3.Connection, policy: RetentionPolicy, now: datetime) -> PurgeResult:
    oldest_kept = minute_of(now - timedelta(days=policy.max_age_days))
    uploaded_until = minute_of(now - timedelta(hours=policy.uploaded_grace_hours))
    due = "recorded_at < ? OR (state = 'uploaded' AND uploaded_at < ?)"
    with transaction(conn):
        rows = conn.execute(
            f"SELECT seq, state FROM entries WHERE {due} ORDER BY seq",
            (oldest_kept, uploaded_until),
        ).fetchall()
        conn.execute(f"DELETE FROM entries WHERE {due}", (oldest_kept, uploaded_until))
        unsent = [seq for seq, state in rows if state in _NEVER_UPLOADED]
        counts = Counter(state for _, state in rows)
        ranges = seq_ranges(unsent)
        report_id = _write_report(conn, now, counts, ranges) if unsent else None
    truncated = _scrub(conn, vacuum=bool(rows))
    return PurgeResult(
        skipped=False,
        purged_unsent=counts["pending"],
        purged_uploaded=counts["uploaded"],
        purged_quarantined=counts["quarantined"],
        report_id=report_id,
        seq_ranges=ranges,
        wal_truncated=truncated,
    )


def _write_report(
    conn: sqlite3.Connection,
    now: datetime,
    counts: Counter[str],
    ranges: tuple[tuple[int, int], ...],
) -> str:
    report_id = str(uuidlib.uuid4())
    conn.execute(
        "INSERT INTO purge_reports (id, at, purged_unsent, purged_uploaded, purged_quarantined,"
        " seq_ranges) VALUES (?, ?, ?, ?, ?, ?)",
        (
            report_id,
            now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            counts["pending"],
            counts["uploaded"],
            counts["quarantined"],
            json.dumps([list(pair) for pair in ranges]),
        ),
    )
    return report_id


def _scrub(conn: sqlite3.Connection, *, vacuum: bool) -> bool:
    """Move everything into the main file, rebuild it without free pages, and empty the WAL."""
    busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    if vacuum:
        conn.execute("VACUUM")
        busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    return not busy


def seq_ranges(seqs: Iterable[int]) -> tuple[tuple[int, int], ...]:
    """Sorted numbers as runs of consecutive values: [1, 2, 3, 7] → ((1, 3), (7, 7))."""
    ranges: list[tuple[int, int]] = []
    for seq in sorted(seqs):
        if ranges and seq == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], seq)
        else:
            ranges.append((seq, seq))
    return tuple(ranges)
