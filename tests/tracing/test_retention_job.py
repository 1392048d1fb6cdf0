"""Retention on a schedule: old entries go on trusted time, nothing goes on an untrusted clock."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tracing_helpers import refused_result

from station.adapters.clock import FixedClock
from station.clock_trust import record_reference_time
from station.entrylog.retention_job import RetentionJob, purge_line
from station.entrylog.writer import EntryLog
from station.paths import log_db_path
from station.settings import StationSettings, save_settings

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def fill(base: Path, ages_days: list[int]) -> None:
    result = refused_result(NOW)
    with EntryLog(log_db_path(base), sealing_key=None) as log:
        for age in ages_days:
            moment = NOW - timedelta(days=age)
            log.record(result, direction="in", checkpoint_id="g", clock_trusted=True, now=moment)


def held(base: Path) -> int:
    with sqlite3.connect(log_db_path(base)) as conn:
        return int(conn.execute("SELECT count(*) FROM entries").fetchone()[0])


def test_entries_past_the_legal_window_go_on_trusted_time_once_per_period(tmp_path: Path) -> None:
    fill(tmp_path, [30, 22, 20, 1, 0])
    save_settings(tmp_path, StationSettings(retention_days=21))
    record_reference_time(tmp_path, local_now=NOW, reference=NOW, source="test")
    job = RetentionJob(tmp_path, FixedClock(NOW))
    result = job.run_if_due()
    assert result is not None and not result.skipped
    assert result.purged_unsent == 2 and held(tmp_path) == 3
    assert "unsent=2" in purge_line(result)
    assert job.run_if_due() is None  # not due again within the hour


def test_the_window_follows_the_settings(tmp_path: Path) -> None:
    fill(tmp_path, [20, 15, 1])
    save_settings(tmp_path, StationSettings(retention_days=14))
    record_reference_time(tmp_path, local_now=NOW, reference=NOW, source="test")
    result = RetentionJob(tmp_path, FixedClock(NOW)).run_if_due()
    assert result is not None and result.purged_unsent == 2 and held(tmp_path) == 1


def test_nothing_is_deleted_on_an_untrusted_clock(tmp_path: Path) -> None:
    fill(tmp_path, [30, 0])
    jumped = datetime(2039, 1, 1, tzinfo=UTC)  # a clock far ahead, with no evidence for it
    record_reference_time(tmp_path, local_now=NOW, reference=NOW, source="test")
    result = RetentionJob(tmp_path, FixedClock(jumped)).run_if_due()
    assert result is not None and result.skipped and held(tmp_path) == 2
    assert "not trusted" in purge_line(result)


def test_no_log_yet_is_nothing_to_do(tmp_path: Path) -> None:
    assert RetentionJob(tmp_path, FixedClock(NOW)).run_if_due() is None
