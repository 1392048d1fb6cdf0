"""T29: the entry log's size against its quota, with an alert from 80 %."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from tracing_helpers import refused_result

from station.cli.main import main
from station.entrylog.quota import LogQuota, log_quota
from station.entrylog.writer import EntryLog
from station.errors import ConfigError
from station.paths import log_db_path
from station.settings import StationSettings, save_settings
from sync.upload.daemon import warn_if_log_near_quota

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def fill(base: Path, count: int) -> None:
    result = refused_result(NOW)
    with EntryLog(log_db_path(base), sealing_key=None) as log:
        for _ in range(count):
            log.record(result, direction="in", checkpoint_id="g", clock_trusted=True, now=NOW)


def test_the_alert_comes_at_80_percent_of_the_quota(tmp_path: Path) -> None:
    fill(tmp_path, 200)
    size = log_quota(tmp_path).size_bytes
    assert size > 0
    assert LogQuota(size, int(size / 0.79)).alert is False
    assert LogQuota(size, int(size / 0.81)).alert is True
    assert "ALERT" in LogQuota(size, size).message() and "100%" in LogQuota(size, size).message()


def test_stats_and_the_upload_daemon_report_a_log_near_its_quota(tmp_path: Path, capsys) -> None:
    save_settings(tmp_path, StationSettings(log_quota_mb=1.0))
    for _ in range(40):  # 1 MB, the smallest quota, takes a few thousand entries
        if log_quota(tmp_path).alert:
            break
        fill(tmp_path, 500)
    assert main(["--data-dir", str(tmp_path), "log", "stats", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["storage"]["quota"]["alert"] is True
    lines: list[str] = []
    warn_if_log_near_quota(tmp_path, lines.append)
    assert len(lines) == 1 and lines[0].startswith("ALERT: the entry log uses")


def test_a_quota_outside_its_range_is_refused() -> None:
    for megabytes in (0.5, 70000.0):
        with pytest.raises(ConfigError):
            StationSettings(log_quota_mb=megabytes)
