"""EntryLog.record on real verdicts: what a row holds, what it never holds, and its numbering."""

from __future__ import annotations

import json
import os
import stat
import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from station.entrylog.database import open_log, side_file
from station.entrylog.entry import MAX_SEALED_BYTES, minute_of
from station.entrylog.sealing import open_sealed
from station.entrylog.writer import EntryLog
from station.errors import ConfigError
from station.model import Holder

pytest_plugins = ["entrylog_fixtures"]

AT = datetime(2026, 6, 1, 12, 34, 56, 789000, tzinfo=UTC)


def _row(path: Path, uuid: str) -> dict[str, object]:
    conn = open_log(path)
    conn.row_factory = lambda cursor, row: {
        d[0]: v for d, v in zip(cursor.description, row, strict=True)
    }
    try:
        found: dict[str, object] = conn.execute(
            "SELECT * FROM entries WHERE uuid = ?", (uuid,)
        ).fetchone()
        return found
    finally:
        conn.close()


def _record(log: EntryLog, result, **overrides):  # type: ignore[no-untyped-def]
    options = {"direction": "in", "checkpoint_id": "gate-1", "clock_trusted": True, "now": AT}
    return log.record(result, **{**options, **overrides})


def test_a_valid_pass_is_logged_with_its_verdict_and_a_sealed_identity(
    log_path, dcc_result, sealing_key, authority_key
):
    result = dcc_result()
    with EntryLog(log_path, sealing_key=sealing_key) as log:
        logged = _record(log, result)
    assert logged.seq == 1 and logged.sealed and logged.minute == "2026-06-01T12:34Z"
    row = _row(log_path, logged.uuid)
    assert row["verdict"] == "VALID" and row["reason"] == "OK" and row["format"] == "dcc"
    assert row["direction"] == "in" and row["checkpoint_id"] == "gate-1"
    assert row["minute"] == row["recorded_at"] == "2026-06-01T12:34Z"
    assert row["clock_trusted"] == 1 and row["state"] == "pending" and row["attempts"] == 0
    sealed = row["sealed"]
    assert isinstance(sealed, bytes) and len(sealed) <= MAX_SEALED_BYTES
    opened = json.loads(open_sealed(authority_key, sealed, logged.uuid.encode()))
    assert opened == {
        "name": result.holder.name,
        "date_of_birth": "1990-05-17",
        "credential_id": "URN:UVCI:01:VN:TEST0000000000000001#4",
    }


def test_a_row_holds_no_personal_or_health_field_in_clear(log_path, dcc_result, sealing_key):
    result = dcc_result(family="Phạm", given="Thị Canary", dob="1931-02-28")
    with EntryLog(log_path, sealing_key=sealing_key) as log:
        logged = _record(log, result)
    row = _row(log_path, logged.uuid)
    clear = json.dumps({k: v for k, v in row.items() if k != "sealed"}, ensure_ascii=False)
    for secret in ("Phạm", "Canary", "1931-02-28", "UVCI", "EU/1/20/1528", "HC1:"):
        assert secret not in clear


def test_without_an_authority_key_nothing_personal_is_stored(log_path, dcc_result):
    with EntryLog(log_path, sealing_key=None) as log:
        logged = _record(log, dcc_result())
    assert logged.sealed is False and _row(log_path, logged.uuid)["sealed"] is None


def test_an_unreadable_code_is_logged_without_identity(log_path, dcc_verifier, sealing_key):
    result = dcc_verifier.verify("HC1:not really base45 !!!")
    with EntryLog(log_path, sealing_key=sealing_key) as log:
        logged = _record(log, result, direction="out", clock_trusted=False)
    row = _row(log_path, logged.uuid)
    assert row["sealed"] is None and row["verdict"] == "INVALID" and row["clock_trusted"] == 0
    assert row["reason"] == str(result.reason) and row["direction"] == "out"


def test_data_version_comes_from_the_verdicts_data_versions(log_path, dcc_result):
    versions = {"trust-list": 12, "revocations": 3, "rules": None, "value-sets": 2}
    result = dcc_result()
    result = replace(result, details={**result.details, "data": {"versions": versions}})
    with EntryLog(log_path, sealing_key=None) as log:
        logged = _record(log, result)
        plain = _record(log, dcc_result())
    assert _row(log_path, logged.uuid)["data_version"] == "revocations:3,trust-list:12,value-sets:2"
    assert _row(log_path, plain.uuid)["data_version"] == ""


def test_minutes_are_rounded_down_in_utc():
    hanoi = timezone(timedelta(hours=7))
    assert minute_of(datetime(2026, 6, 1, 21, 5, 59, 999999, tzinfo=hanoi)) == "2026-06-01T14:05Z"
    with pytest.raises(ValueError):
        minute_of(datetime(2026, 6, 1, 12, 0))


def test_sequence_numbers_are_consecutive_across_reopening(log_path, dcc_result):
    result = dcc_result()
    with EntryLog(log_path, sealing_key=None) as log:
        first = [_record(log, result).seq for _ in range(3)]
    with EntryLog(log_path, sealing_key=None) as log:
        second = [_record(log, result).seq for _ in range(2)]
    assert first + second == [1, 2, 3, 4, 5]


def test_threads_sharing_one_log_never_share_a_number(log_path, dcc_result):
    result = dcc_result()
    seqs: list[int] = []
    with EntryLog(log_path, sealing_key=None) as log:

        def work() -> None:
            for _ in range(25):
                seqs.append(_record(log, result).seq)

        threads = [threading.Thread(target=work) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(seqs) == list(range(1, 101))


def test_files_are_readable_by_the_owner_only(log_path, dcc_result):
    with EntryLog(log_path, sealing_key=None) as log:
        _record(log, dcc_result())
        for suffix in ("", "-wal", "-shm"):
            mode = stat.S_IMODE(
                os.stat(side_file(log_path, suffix) if suffix else log_path).st_mode
            )
            assert mode == 0o600, (suffix, oct(mode))


def test_place_values_the_hub_would_refuse_are_configuration_errors(log_path, dcc_result):
    with EntryLog(log_path, sealing_key=None) as log:
        with pytest.raises(ConfigError):
            _record(log, dcc_result(), direction="sideways")
        with pytest.raises(ConfigError):
            _record(log, dcc_result(), checkpoint_id="")
        with pytest.raises(ConfigError):
            _record(log, dcc_result(), checkpoint_id="x" * 65)
    assert log.storage_state == "OK"


def test_an_oversized_identity_is_shortened_to_fit_the_wire(log_path, dcc_result, sealing_key):
    huge = replace(dcc_result(), holder=Holder("\x01" * 5000, "1990-05-17"))
    with EntryLog(log_path, sealing_key=sealing_key) as log:
        logged = _record(log, huge)
    sealed = _row(log_path, logged.uuid)["sealed"]
    assert isinstance(sealed, bytes) and len(sealed) <= MAX_SEALED_BYTES
