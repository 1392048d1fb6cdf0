"""`station log stats|export|purge`, in-process and as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from entrylog_helpers import insert_synthetic, log_seqs

from station.cli.main import main
from station.clock_trust import record_reference_time, system_ntp_synchronized
from station.entrylog.writer import EntryLog
from station.paths import log_db_path

pytest_plugins = ["entrylog_fixtures"]

DAY = datetime(2026, 6, 1, tzinfo=UTC)


@pytest.fixture()
def data(tmp_path, dcc_result, dcc_verifier, sealing_key) -> Path:  # type: ignore[no-untyped-def]
    """A data dir whose log holds a day of decisions about a canary-named holder."""
    base = tmp_path / "data"
    valid = dcc_result(family="ZZCANARYCLI", given="Nam")
    unreadable = dcc_verifier.verify("HC1:????")
    with EntryLog(log_db_path(base), sealing_key=sealing_key) as log:
        for hour, result in [(8, valid), (8, valid), (8, unreadable), (13, valid)]:
            at = DAY + timedelta(hours=hour, minutes=5)
            log.record(result, direction="in", checkpoint_id="g", clock_trusted=True, now=at)
    return base


def test_stats_json_counts_by_hour_verdict_and_format(data, capsys):
    assert main(["--data-dir", str(data), "log", "stats", "--day", "2026-06-01", "--json"]) == 0
    out = capsys.readouterr().out
    report = json.loads(out)
    assert report["total"] == 4
    assert report["by_hour"] == {"08": {"VALID": 2, "INVALID": 1}, "13": {"VALID": 1}}
    assert report["by_format"] == {"dcc": 4}
    assert report["queue"]["pending"] == 4 and report["queue"]["quarantined"] == 0
    assert report["storage"]["state"] == "OK" and report["storage"]["size_bytes"] > 0
    assert "ZZCANARY" not in out


def test_stats_text_as_a_subprocess(data):
    proc = subprocess.run(
        [sys.executable, "-m", "station.cli.main", "--data-dir", str(data), "log", "stats",
         "--day", "2026-06-01"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "Entry log storage: OK" in proc.stdout and "08:00" in proc.stdout
    assert "4 pending" in proc.stdout and "ZZCANARY" not in proc.stdout + proc.stderr


def test_stats_on_another_day_are_empty(data, capsys):
    assert main(["--data-dir", str(data), "log", "stats", "--day", "2026-06-02", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 0


def test_stats_show_a_damaged_log_that_was_set_aside(data, capsys):
    path = log_db_path(data)
    path.write_bytes(bytes(100) + path.read_bytes()[100:])
    assert main(["--data-dir", str(data), "log", "stats", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["storage"]["quarantined"].startswith(str(path) + ".corrupt-")
    assert report["total"] == 0


def test_export_writes_sealed_json_lines_and_never_overwrites(data, tmp_path, capsys):
    out = tmp_path / "handover.jsonl"
    assert main(["--data-dir", str(data), "log", "export", "--out", str(out)]) == 0
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line["seq"] for line in lines] == [1, 2, 3, 4]
    assert lines[0]["sealed"] and lines[2]["sealed"] is None  # the unreadable code names nobody
    assert "ZZCANARY" not in out.read_text()
    before = out.read_bytes()
    assert main(["--data-dir", str(data), "log", "export", "--out", str(out)]) == 2
    assert "never overwrites" in capsys.readouterr().err and out.read_bytes() == before


def test_purge_removes_old_entries_once_the_clock_is_confirmed(data, capsys):
    now = datetime.now(UTC)
    record_reference_time(data, local_now=now, reference=now, source="hub-bundle")
    insert_synthetic(log_db_path(data), [now - timedelta(days=40), now - timedelta(days=39)])
    assert main(["--data-dir", str(data), "log", "purge"]) == 0
    assert "purged 6 entries: 6 never uploaded" in capsys.readouterr().out
    assert log_seqs(log_db_path(data)) == []


@pytest.mark.skipif(system_ntp_synchronized(), reason="this machine's clock is NTP-synchronised")
def test_purge_on_an_unconfirmed_clock_deletes_nothing(data, capsys):
    now = datetime.now(UTC)
    insert_synthetic(log_db_path(data), [now - timedelta(days=40)])
    assert main(["--data-dir", str(data), "log", "purge"]) == 1
    assert "clock is not trusted" in capsys.readouterr().err
    assert len(log_seqs(log_db_path(data))) == 5


def test_purge_refuses_a_retention_outside_the_legal_window(data, capsys):
    assert main(["--data-dir", str(data), "log", "purge", "--max-age-days", "40"]) == 2
    assert "max_age_days" in capsys.readouterr().err
