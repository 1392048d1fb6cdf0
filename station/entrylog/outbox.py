"""`Outbox`: the uploader's view of the entry log (its own connection, usually its own process).

Entries go out in sequence order and are marked uploaded only once the hub has answered for
them, so an interrupted upload is simply repeated (the hub dedupes by UUID). A record the hub
rejects outright is retried a few times and then quarantined, so one bad row cannot block the
rest of the queue; quarantined rows stay until retention purges them like any other. The hub's
answer also carries the highest sequence number it holds, kept here as the allocator's floor.
"""

from __future__ import annotations

import base64
import json
import re
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from station.entrylog import sequence
from station.entrylog.database import LogConnection, open_log, transaction
from station.entrylog.entry import minute_of
from station.entrylog.storage import failure_from_sqlite, storage_code

MAX_ATTEMPTS = 5
#: Hub error codes are stored as codes only: anything else becomes this.
OTHER_ERROR = "REJECTED"
_ERROR_CODE = re.compile(r"[A-Z0-9_]{1,48}", re.ASCII)
_CHUNK = 500
_COLUMNS = (
    "uuid, seq, checkpoint_id, direction, minute, clock_trusted, verdict, reason, format,"
    " data_version, sealed, attempts"
)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class UploadRecord:
    uuid: str
    seq: int
    checkpoint_id: str
    direction: str
    minute: str
    clock_trusted: bool
    verdict: str
    reason: str
    format: str
    data_version: str
    sealed: bytes | None
    attempts: int

    def to_wire(self) -> dict[str, Any]:
        """The entry exactly as the hub's allow-list expects it (no attempts, no state)."""
        return {
            "uuid": self.uuid,
            "seq": self.seq,
            "checkpoint_id": self.checkpoint_id,
            "direction": self.direction,
            "minute": self.minute,
            "clock_trusted": self.clock_trusted,
            "verdict": self.verdict,
            "reason": self.reason,
            "format": self.format,
            "data_version": self.data_version,
            "sealed": None if self.sealed is None else b64url(self.sealed),
        }


@dataclass(frozen=True, slots=True)
class QueueCounts:
    pending: int
    uploaded: int
    quarantined: int
    oldest_pending: str | None


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def record_from_row(row: Sequence[Any]) -> UploadRecord:
    """An UploadRecord from a row selected with `_COLUMNS`."""
    values = list(row)
    values[5] = bool(values[5])
    values[10] = None if values[10] is None else bytes(values[10])
    return UploadRecord(*values)


def select_records(
    conn: sqlite3.Connection, where: str, params: Sequence[Any], limit: int = -1
) -> Iterator[UploadRecord]:
    """Entries matching `where`, in sequence order (at most `limit`; -1: all)."""
    query = f"SELECT {_COLUMNS} FROM entries WHERE {where} ORDER BY seq LIMIT ?"
    for row in conn.execute(query, (*params, limit)):
        yield record_from_row(row)


def queue_counts(conn: sqlite3.Connection) -> QueueCounts:
    counts = dict(conn.execute("SELECT state, count(*) FROM entries GROUP BY state").fetchall())
    oldest = conn.execute("SELECT min(minute) FROM entries WHERE state = 'pending'").fetchone()[0]
    return QueueCounts(
        counts.get("pending", 0), counts.get("uploaded", 0), counts.get("quarantined", 0), oldest
    )


class Outbox:
    """The queue of entries waiting for the hub, on its own connection to the log at `path`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn: LogConnection = open_log(path)

    def pending(self, limit: int, *, after_seq: int = 0) -> list[UploadRecord]:
        """Up to `limit` pending entries with seq > `after_seq`, in sequence order."""
        where = "state = 'pending' AND seq > ?"
        return self._read(lambda: list(select_records(self.conn, where, (after_seq,), limit)))

    def mark_uploaded(self, uuids: Sequence[str], now: datetime) -> int:
        """Mark the entries the hub holds; only rows still pending change. Returns how many."""
        at = minute_of(now)
        changed = 0
        with self._write():
            for start in range(0, len(uuids), _CHUNK):
                chunk = list(uuids[start : start + _CHUNK])
                marks = ",".join("?" * len(chunk))
                cursor = self.conn.execute(
                    "UPDATE entries SET state = 'uploaded', uploaded_at = ?, last_error = NULL "
                    f"WHERE state = 'pending' AND uuid IN ({marks})",
                    (at, *chunk),
                )
                changed += cursor.rowcount
        return changed

    def record_rejection(
        self, uuid: str, error_code: str, *, max_attempts: int = MAX_ATTEMPTS
    ) -> bool:
        """Count one rejection of a pending entry; True when it has just been quarantined."""
        code = error_code if _ERROR_CODE.fullmatch(error_code) else OTHER_ERROR
        with self._write():
            row = self.conn.execute(
                "UPDATE entries SET attempts = attempts + 1, last_error = ?, "
                "state = CASE WHEN attempts + 1 >= ? THEN 'quarantined' ELSE state END "
                "WHERE uuid = ? AND state = 'pending' RETURNING state",
                (code, max_attempts, uuid),
            ).fetchone()
        return row is not None and row[0] == "quarantined"

    def raise_seq_floor(self, floor: int) -> None:
        """Never hand out a number ≤ `floor` (the highest the hub holds); never lowers it."""
        with self._write():
            sequence.raise_floor(self.conn, floor)

    def next_seq(self) -> int:
        return self._read(lambda: sequence.next_seq(self.conn))

    def counts(self) -> QueueCounts:
        return self._read(lambda: queue_counts(self.conn))

    def unsent_purge_reports(self) -> list[dict[str, Any]]:
        """Purge reports the hub has not acknowledged, oldest first, in wire form."""
        rows = self._read(
            lambda: self.conn.execute(
                "SELECT id, at, purged_unsent, purged_uploaded, purged_quarantined, seq_ranges "
                "FROM purge_reports WHERE sent_at IS NULL ORDER BY at, id"
            ).fetchall()
        )
        return [
            {
                "id": row[0],
                "at": row[1],
                "purged_unsent": row[2],
                "purged_uploaded": row[3],
                "purged_quarantined": row[4],
                "seq_ranges": json.loads(row[5]),
            }
            for row in rows
        ]

    def mark_purge_report_sent(self, report_id: str, now: datetime) -> None:
        with self._write():
            self.conn.execute(
                "UPDATE purge_reports SET sent_at = ? WHERE id = ? AND sent_at IS NULL",
                (minute_of(now), report_id),
            )

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Outbox:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[None]:
        with _as_storage_failure(), transaction(self.conn):
            yield

    def _read(self, query: Callable[[], T]) -> T:
        with _as_storage_failure():
            return query()


@contextmanager
def _as_storage_failure() -> Iterator[None]:
    """Disk trouble comes out as StorageFailure, as from `EntryLog.record`."""
    try:
        yield
    except sqlite3.Error as exc:
        if storage_code(exc) is None and not isinstance(exc, sqlite3.OperationalError):
            raise
        raise failure_from_sqlite(exc) from exc
