"""`EntryLog`: the kiosk's side of the log, one durable row per decision.

`record` returns only after the row is committed and fsynced, so an entry the guard saw logged
survives a kill -9 or a power cut. When the disk refuses, `record` raises StorageFailure and
`storage_state` keeps the code for the status bar; the GUI shows the verdict with "cannot record
entry — call supervisor". The connection is dropped after a failure and reopened by the next
`record`, so the station recovers by itself once space returns, without a restart.

One instance may be shared by threads (a lock serialises writes); other processes (the uploader)
open their own connection, and SQLite's write lock orders them.
"""

from __future__ import annotations

import sqlite3
import threading
import uuid as uuidlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType

from station.entrylog.database import LogConnection, open_log, transaction
from station.entrylog.entry import NewEntry, build_entry
from station.entrylog.sealing import SealingKey
from station.entrylog.sequence import take_seq
from station.entrylog.storage import STORAGE_OK, StorageFailure, failure_from_sqlite, storage_code
from station.model import VerificationResult

_INSERT = (
    "INSERT INTO entries (uuid, seq, checkpoint_id, direction, minute, clock_trusted, verdict,"
    " reason, format, data_version, sealed, recorded_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
#: SQLite errors that mean a bug in the caller or in this module, never a disk problem.
_PROGRAMMING_ERRORS = (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.InterfaceError)


@dataclass(frozen=True, slots=True)
class LoggedEntry:
    uuid: str
    seq: int
    minute: str
    sealed: bool


class EntryLog:
    """The entry log at `path`; entries are sealed to `sealing_key` (None: nothing personal)."""

    def __init__(self, path: Path, *, sealing_key: SealingKey | None) -> None:
        self.path = path
        self.sealing_key = sealing_key
        self._lock = threading.Lock()
        self._conn: LogConnection | None = None
        self._state = STORAGE_OK
        #: The damaged log set aside when this one was opened: show it as a maintenance alert.
        self.quarantined: Path | None = None
        try:
            self._connection()
        except StorageFailure as exc:  # the kiosk still starts; `record` raises and retries
            self._state = exc.code

    @property
    def storage_state(self) -> str:
        """'OK', or the StorageFailure code of the last failed write."""
        return self._state

    def record(
        self,
        result: VerificationResult,
        *,
        direction: str,
        checkpoint_id: str,
        clock_trusted: bool,
        now: datetime,
    ) -> LoggedEntry:
        """Commit one entry for `result` durably; raises StorageFailure when the disk refuses."""
        entry = build_entry(
            result,
            uuid=str(uuidlib.uuid4()),
            direction=direction,
            checkpoint_id=checkpoint_id,
            clock_trusted=clock_trusted,
            now=now,
            sealing_key=self.sealing_key,
        )
        with self._lock:
            seq = self._write(entry)
        return LoggedEntry(entry.uuid, seq, entry.minute, entry.sealed is not None)

    def _write(self, entry: NewEntry) -> int:
        try:
            conn = self._connection()
            with transaction(conn):
                seq = insert_entry(conn, entry)
        except StorageFailure as exc:
            self._fail(exc.code)
            raise
        except sqlite3.Error as exc:
            if isinstance(exc, _PROGRAMMING_ERRORS) and storage_code(exc) is None:
                raise
            failure = failure_from_sqlite(exc, self.path)
            self._fail(failure.code)
            raise failure from exc
        self._state = STORAGE_OK
        return seq

    def _connection(self) -> LogConnection:
        if self._conn is None:
            self._conn = open_log(self.path)
            if self._conn.quarantined is not None:
                self.quarantined = self._conn.quarantined
        return self._conn

    def _fail(self, code: str) -> None:
        """Remember the failure and drop the connection: the next write starts afresh."""
        self._state = code
        if self._conn is not None:
            try:
                self._conn.close()
            except sqlite3.Error:
                pass
            self._conn = None

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> EntryLog:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def insert_entry(conn: sqlite3.Connection, entry: NewEntry) -> int:
    """Number `entry` and insert it inside the caller's transaction; returns its seq. (Bulk
    loaders call this directly to commit many entries at once instead of one fsync each.)"""
    seq = take_seq(conn)
    conn.execute(_INSERT, (entry.uuid, seq, *_columns(entry)))
    return seq


def _columns(entry: NewEntry) -> tuple[object, ...]:
    """The insert's values after uuid and seq, in `_INSERT` order."""
    return (
        entry.checkpoint_id,
        entry.direction,
        entry.minute,
        int(entry.clock_trusted),
        entry.verdict,
        entry.reason,
        entry.format,
        entry.data_version,
        entry.sealed,
        entry.minute,
    )
