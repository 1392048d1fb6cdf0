"""The recorder writes the clock judgement the verdict carries, and judges it itself otherwise."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from tracing_helpers import refused_result

from station.adapters.clock import FixedClock
from station.clock_trust import record_reference_time
from station.entry_recorder import EntryRecorder
from station.paths import log_db_path
from station.time_floor import TimeGuard

NOW = datetime.now(UTC)


def stored_flags(base: Path) -> list[int]:
    with sqlite3.connect(log_db_path(base)) as conn:
        return [row[0] for row in conn.execute("SELECT clock_trusted FROM entries ORDER BY seq")]


def test_the_verdicts_clock_judgement_is_recorded_as_it_is(tmp_path: Path) -> None:
    record_reference_time(tmp_path, local_now=NOW, reference=NOW, source="hub-signed")
    result = refused_result(NOW)
    recorder = EntryRecorder(tmp_path, FixedClock(NOW))
    judged_untrusted = replace(
        result, details={**result.details, "clock": {"purge_allowed": False}}
    )
    judged_trusted = replace(result, details={**result.details, "clock": {"purge_allowed": True}})
    for item in (judged_untrusted, judged_trusted, result):
        assert recorder.record(item).recorded
    recorder.close()
    expected = TimeGuard(tmp_path, clock=FixedClock(NOW)).assess().purge_allowed
    assert stored_flags(tmp_path) == [0, 1, int(expected)]


def test_a_damaged_sealing_key_file_never_stops_logging(tmp_path: Path) -> None:
    from station.entrylog.sealing import SealingKey, generate_authority_key
    from station.entrylog.sealing_key_file import save_sealing_key, sealing_key_path

    sealing_key_path(tmp_path).parent.mkdir(parents=True, exist_ok=True)
    sealing_key_path(tmp_path).write_text("{not json")
    recorder = EntryRecorder(tmp_path, FixedClock(NOW))  # starts without a key
    assert recorder.record(refused_result(NOW)).recorded and not recorder.sealing
    save_sealing_key(tmp_path, SealingKey(generate_authority_key().public_key()), 1)
    assert recorder.record(refused_result(NOW)).recorded and recorder.sealing
    sealing_key_path(tmp_path).write_text('{"version": 2, "key": "damaged"}')
    assert recorder.record(refused_result(NOW)).recorded and recorder.sealing  # keeps the key
    recorder.close()
    assert len(stored_flags(tmp_path)) == 3
