"""T22 (a): the entry log on a real 512 KB tmpfs fills up, reports STORAGE_FULL, keeps every
committed row, and records again once the filesystem has room, without reopening anything.

Mounting needs root (CAP_SYS_ADMIN); elsewhere the test is skipped and the unprivileged
RLIMIT_FSIZE variant in tests/entrylog covers the same path.
"""

from __future__ import annotations

import sqlite3
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from tracing_helpers import refused_result

from station.entrylog.sealing import SealingKey, generate_authority_key
from station.entrylog.storage import STORAGE_FULL, StorageFailure
from station.entrylog.writer import EntryLog

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def test_a_full_disk_is_reported_and_recording_resumes_when_space_returns(small_disk: Path) -> None:
    result = refused_result(NOW)
    log = EntryLog(
        small_disk / "log.sqlite", sealing_key=SealingKey(generate_authority_key().public_key())
    )
    committed: list[int] = []
    with pytest.raises(StorageFailure) as failure:
        for _ in range(100_000):
            committed.append(
                log.record(
                    result, direction="in", checkpoint_id="gate", clock_trusted=True, now=NOW
                ).seq
            )
    assert failure.value.code == STORAGE_FULL and log.storage_state == STORAGE_FULL
    assert len(committed) >= 10  # the WAL takes most of 512 KB before its first checkpoint

    # Scanning goes on while the disk is full: every attempt fails fast with the same state.
    for _ in range(20):
        with pytest.raises(StorageFailure):
            log.record(result, direction="in", checkpoint_id="gate", clock_trusted=True, now=NOW)
    assert log.storage_state == STORAGE_FULL

    subprocess.run(["mount", "-o", "remount,size=4m", str(small_disk)], check=True)
    deadline = time.monotonic() + 10
    while True:
        try:
            entry = log.record(
                result, direction="in", checkpoint_id="gate", clock_trusted=True, now=NOW
            )
            break
        except StorageFailure:
            assert time.monotonic() < deadline, "the log did not recover within 10 s"
            time.sleep(0.2)
    assert log.storage_state == "OK" and entry.seq > committed[-1]
    log.close()

    with sqlite3.connect(small_disk / "log.sqlite") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        held = {row[0] for row in conn.execute("SELECT seq FROM entries")}
    assert set(committed) <= held
