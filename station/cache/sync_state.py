"""Per-source sync bookkeeping: which version the cache holds, when it last succeeded, and why the
last attempt failed.

It lives in the cache file, next to the data it describes, so the sync client can record a
source's success in the same transaction as its data: the state can never claim a version the
data does not have. A failure leaves the held version and the time of the last success alone;
that time is what freshness (`station.cache.freshness`) is judged by.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from station.cache.database import CacheDatabase
from station.cache.timestamps import from_iso, to_iso

_FIELDS = (
    "source, version, etag, resume_token, last_attempt_at, last_success_at, data_expires_at, "
    "item_count, last_error_code, last_error_message, consecutive_failures, next_attempt_at"
)


@dataclass(frozen=True, slots=True)
class SourceState:
    """What the cache knows about one source's syncing."""

    source: str
    version: int | None = None
    etag: str | None = None
    resume_token: str | None = None
    last_attempt_at: datetime | None = None
    last_success_at: datetime | None = None
    data_expires_at: datetime | None = None
    item_count: int | None = None
    last_error_code: str | None = None
    last_error_message: str | None = None
    consecutive_failures: int = 0
    next_attempt_at: datetime | None = None


class SyncStateStore:
    """The `sync_state` table; every write joins an open transaction."""

    def __init__(self, cache: CacheDatabase) -> None:
        self.cache = cache

    def get(self, source: str) -> SourceState | None:
        row = self.cache.conn.execute(
            f"SELECT {_FIELDS} FROM sync_state WHERE source = ?", (source,)
        ).fetchone()
        return None if row is None else _state(row)

    def all(self) -> list[SourceState]:
        rows = self.cache.conn.execute(f"SELECT {_FIELDS} FROM sync_state ORDER BY source")
        return [_state(row) for row in rows]

    def record_success(
        self,
        source: str,
        *,
        version: int | None,
        now: datetime,
        data_expires_at: datetime | None = None,
        item_count: int | None = None,
        etag: str | None = None,
        resume_token: str | None = None,
    ) -> None:
        """A completed sync: the held version and its metadata, with any error cleared."""
        self._upsert(
            source,
            version=version,
            etag=etag,
            resume_token=resume_token,
            last_attempt_at=to_iso(now),
            last_success_at=to_iso(now),
            data_expires_at=to_iso(data_expires_at),
            item_count=item_count,
            last_error_code=None,
            last_error_message=None,
            consecutive_failures=0,
            next_attempt_at=None,
        )

    def record_failure(
        self,
        source: str,
        *,
        code: str,
        message: str,
        now: datetime,
        next_attempt_at: datetime | None = None,
    ) -> None:
        """A failed attempt; the held version and the last success are kept."""
        self._upsert(
            source,
            last_attempt_at=to_iso(now),
            last_error_code=code,
            last_error_message=message,
            count_failure=True,
            next_attempt_at=to_iso(next_attempt_at),
        )

    def set_resume_token(self, source: str, token: str | None) -> None:
        """Where a paged download stopped, so the next attempt resumes there."""
        self._upsert(source, resume_token=token)

    def _upsert(self, source: str, *, count_failure: bool = False, **values: Any) -> None:
        """Insert the source's row or update only the named columns.

        With `count_failure`, `consecutive_failures` goes up by one (starting at 1).
        """
        columns = list(values)
        params = [values[name] for name in columns]
        assignments = [f"{name} = excluded.{name}" for name in columns]
        if count_failure:
            columns.append("consecutive_failures")
            params.append(1)
            assignments.append("consecutive_failures = sync_state.consecutive_failures + 1")
        placeholders = ", ".join("?" for _ in range(len(columns) + 1))
        with self.cache.transaction():
            self.cache.conn.execute(
                f"INSERT INTO sync_state (source, {', '.join(columns)}) VALUES ({placeholders})"
                f" ON CONFLICT (source) DO UPDATE SET {', '.join(assignments)}",
                [source, *params],
            )


def _state(row: tuple[Any, ...]) -> SourceState:
    return SourceState(
        source=row[0],
        version=row[1],
        etag=row[2],
        resume_token=row[3],
        last_attempt_at=from_iso(row[4]),
        last_success_at=from_iso(row[5]),
        data_expires_at=from_iso(row[6]),
        item_count=row[7],
        last_error_code=row[8],
        last_error_message=row[9],
        consecutive_failures=row[10],
        next_attempt_at=from_iso(row[11]),
    )
