"""Opening the log: durable settings, migrations, a damaged file set aside (T23a), and the map
from SQLite's errors to the four storage codes."""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, datetime

import pytest
from entrylog_helpers import integrity, log_seqs

from station.entrylog.database import LATEST_VERSION, open_log, quarantine, side_file
from station.entrylog.storage import StorageFailure, failure_from_sqlite, storage_code
from station.entrylog.writer import EntryLog
from station.errors import ConfigError

pytest_plugins = ["entrylog_fixtures"]

AT = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def _fill(path, result, count: int = 30) -> None:  # type: ignore[no-untyped-def]
    with EntryLog(path, sealing_key=None) as log:
        for _ in range(count):
            log.record(result, direction="in", checkpoint_id="g", clock_trusted=True, now=AT)


def test_the_log_is_opened_for_durability_and_erasure(log_path):
    conn = open_log(log_path)
    try:
        pragmas = {
            name: conn.execute(f"PRAGMA {name}").fetchone()[0]
            for name in ("journal_mode", "synchronous", "secure_delete", "foreign_keys")
        }
        assert pragmas == {
            "journal_mode": "wal",
            "synchronous": 2,
            "secure_delete": 1,
            "foreign_keys": 1,
        }
        assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        assert conn.quarantined is None
    finally:
        conn.close()
    open_log(log_path).close()  # reopening runs no migration twice


def test_a_log_from_a_newer_release_is_refused(log_path):
    open_log(log_path).close()
    conn = sqlite3.connect(log_path)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.close()
    with pytest.raises(ConfigError):
        open_log(log_path)


@pytest.mark.parametrize("damage", ["zeroed header", "garbage pages"])
def test_a_corrupt_log_is_set_aside_and_a_fresh_one_started(log_path, dcc_result, damage):
    _fill(log_path, dcc_result())
    data = bytearray(log_path.read_bytes())
    assert len(data) > 4096 * 3
    if damage == "zeroed header":
        data[:100] = bytes(100)
    else:
        rng = random.Random(23)
        data[4096:] = rng.randbytes(len(data) - 4096)
    log_path.write_bytes(bytes(data))
    log = EntryLog(log_path, sealing_key=None)
    assert log.quarantined is not None and log.quarantined.name.startswith("log.sqlite.corrupt-")
    assert log.quarantined.read_bytes() == bytes(data)  # kept exactly, never deleted
    logged = log.record(dcc_result(), direction="in", checkpoint_id="g", clock_trusted=True, now=AT)
    log.close()
    assert logged.seq == 1 and log_seqs(log_path) == [1] and integrity(log_path) == "ok"
    assert EntryLog(log_path, sealing_key=None).quarantined is None  # no restart loop


def test_quarantine_moves_the_side_files_and_never_overwrites(tmp_path):
    log = tmp_path / "log.sqlite"
    names = []
    for round_ in range(2):
        for suffix in ("", "-wal", "-shm"):
            (tmp_path / f"log.sqlite{suffix}").write_bytes(f"{round_}{suffix}".encode())
        names.append(quarantine(log, datetime(2026, 6, 1, 12, 0, tzinfo=UTC)))
    assert names[0] != names[1] and not log.exists()
    for round_, name in enumerate(names):
        assert name.read_bytes() == f"{round_}".encode()
        assert side_file(name, "-wal").read_bytes() == f"{round_}-wal".encode()
        assert side_file(name, "-shm").read_bytes() == f"{round_}-shm".encode()


def _error(name: str | None, cls: type[sqlite3.Error] = sqlite3.OperationalError) -> sqlite3.Error:
    exc = cls("boom")
    if name is not None:
        exc.sqlite_errorname = name  # type: ignore[attr-defined]
    return exc


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("SQLITE_FULL", "STORAGE_FULL"),
        ("SQLITE_IOERR", "STORAGE_IO"),
        ("SQLITE_IOERR_WRITE", "STORAGE_IO"),
        ("SQLITE_IOERR_FSYNC", "STORAGE_IO"),
        ("SQLITE_READONLY", "STORAGE_READONLY"),
        ("SQLITE_READONLY_DBMOVED", "STORAGE_READONLY"),
        ("SQLITE_PERM", "STORAGE_READONLY"),
        ("SQLITE_CANTOPEN", "STORAGE_READONLY"),
        ("SQLITE_CORRUPT", "STORAGE_CORRUPT"),
        ("SQLITE_CORRUPT_INDEX", "STORAGE_CORRUPT"),
        ("SQLITE_NOTADB", "STORAGE_CORRUPT"),
        ("SQLITE_CONSTRAINT_UNIQUE", None),
    ],
)
def test_sqlite_errors_map_to_storage_codes(name, code):
    assert storage_code(_error(name)) == code


def test_unclassified_write_errors_still_count_as_storage_failures():
    failure = failure_from_sqlite(_error("SQLITE_BUSY"))
    assert isinstance(failure, StorageFailure) and failure.code == "STORAGE_IO"
    assert storage_code(_error(None, sqlite3.DatabaseError)) is None
    assert storage_code(sqlite3.DatabaseError("file is not a database")) == "STORAGE_CORRUPT"


def test_an_io_error_on_a_filesystem_without_room_is_a_full_disk(small_disk, tmp_path):
    with (small_disk / "filler").open("wb", buffering=0) as stream:
        try:
            while True:
                stream.write(b"\0" * 4096)
        except OSError:
            pass
    full = failure_from_sqlite(_error("SQLITE_IOERR_SHMSIZE"), small_disk / "log.sqlite")
    roomy = failure_from_sqlite(_error("SQLITE_IOERR_SHMSIZE"), tmp_path / "log.sqlite")
    assert (full.code, roomy.code) == ("STORAGE_FULL", "STORAGE_IO")
