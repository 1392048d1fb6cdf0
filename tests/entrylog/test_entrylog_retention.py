"""Retention (T29, local part): 35 days offline with 50k entries; purges run on trusted time
only, remove everything past the legal maximum whether sent or not, report what was never sent
as counts and seq ranges, and keep the file's size bounded."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from entrylog_helpers import file_size, insert_synthetic, log_seqs

from station.entrylog.database import open_log
from station.entrylog.outbox import Outbox
from station.entrylog.retention import RetentionPolicy, purge, seq_ranges
from station.errors import ConfigError

pytest_plugins = ["entrylog_fixtures"]

START = datetime(2026, 4, 1, 0, 0, tzinfo=UTC)
DAYS, COUNT = 35, 50_000
NOW = START + timedelta(days=DAYS)


def _recorded(count: int, days: int, start: datetime = START) -> list[datetime]:
    step = timedelta(days=days) / count
    return [start + i * step for i in range(count)]


def test_a_month_offline_purges_on_trusted_time_only(log_path):
    recorded = _recorded(COUNT, DAYS)
    states = ["quarantined" if i % 100 == 7 else "pending" for i in range(COUNT)]
    insert_synthetic(log_path, recorded, states=states)
    size_before = file_size(log_path)
    policy = RetentionPolicy(max_age_days=28)

    skipped = purge(log_path, policy, now=NOW, clock_trusted=False)
    assert skipped.skipped and skipped.purged == 0 and len(log_seqs(log_path)) == COUNT

    result = purge(log_path, policy, now=NOW, clock_trusted=True)
    cutoff = (NOW - timedelta(days=28)).replace(second=0, microsecond=0)
    due = [i + 1 for i, at in enumerate(recorded) if at < cutoff]
    assert result.purged == len(due) > 0
    assert result.purged_quarantined == sum(states[seq - 1] == "quarantined" for seq in due)
    assert result.purged_unsent == len(due) - result.purged_quarantined
    assert result.seq_ranges == ((1, len(due)),)
    assert log_seqs(log_path) == list(range(len(due) + 1, COUNT + 1))
    conn = open_log(log_path)
    oldest = conn.execute("SELECT min(recorded_at) FROM entries").fetchone()[0]
    reports = conn.execute("SELECT * FROM purge_reports").fetchall()
    conn.close()
    assert oldest >= cutoff.strftime("%Y-%m-%dT%H:%MZ")
    assert len(reports) == 1
    size_after = file_size(log_path)
    assert size_after < size_before
    print(f"{COUNT} entries: {size_before / 1e6:.1f} MB; after purging {result.purged}: "
          f"{size_after / 1e6:.1f} MB")  # fmt: skip

    again = purge(log_path, policy, now=NOW, clock_trusted=True)
    assert again.purged == 0 and again.report_id is None


def test_the_purge_report_goes_to_the_hub_as_counts_and_ranges(log_path):
    recorded = _recorded(40, 30)
    states = ["uploaded" if i % 4 == 0 else "pending" for i in range(40)]
    uploaded = [
        at + timedelta(hours=1) if s == "uploaded" else None
        for at, s in zip(recorded, states, strict=True)
    ]
    insert_synthetic(log_path, recorded, states=states, uploaded_at=uploaded)
    result = purge(
        log_path, RetentionPolicy(14), now=START + timedelta(days=30), clock_trusted=True
    )
    with Outbox(log_path) as outbox:
        reports = outbox.unsent_purge_reports()
        assert reports == [
            {
                "id": result.report_id,
                "at": "2026-05-01T00:00:00Z",
                "purged_unsent": result.purged_unsent,
                "purged_uploaded": result.purged_uploaded,
                "purged_quarantined": 0,
                "seq_ranges": [list(pair) for pair in result.seq_ranges],
            }
        ]
        assert json.dumps(reports)  # plain JSON, no personal field to leak
        unsent = [seq for seq in range(1, 41) if states[seq - 1] == "pending"]
        purged_unsent = [s for a, b in result.seq_ranges for s in range(a, b + 1)]
        assert set(purged_unsent) <= set(unsent) and result.purged_uploaded == 10
        outbox.mark_purge_report_sent(reports[0]["id"], START + timedelta(days=30))
        assert outbox.unsent_purge_reports() == []


def test_uploaded_entries_leave_after_the_grace_period(log_path):
    now = START + timedelta(days=2)
    recorded = [now - timedelta(hours=30), now - timedelta(hours=30), now - timedelta(hours=3)]
    uploaded = [now - timedelta(hours=25), now - timedelta(hours=2), None]
    insert_synthetic(
        log_path, recorded, states=["uploaded", "uploaded", "pending"], uploaded_at=uploaded
    )
    result = purge(log_path, RetentionPolicy(21, 24), now=now, clock_trusted=True)
    assert (result.purged_uploaded, result.purged_unsent, result.report_id) == (1, 0, None)
    assert log_seqs(log_path) == [2, 3]
    result = purge(log_path, RetentionPolicy(21, 0), now=now, clock_trusted=True)
    assert result.purged_uploaded == 1 and log_seqs(log_path) == [3]


def test_daily_purges_keep_the_file_size_bounded(log_path):
    per_day, policy = 400, RetentionPolicy(14)
    sizes = []
    for day in range(DAYS):
        start = START + timedelta(days=day)
        insert_synthetic(log_path, _recorded(per_day, 1, start))
        purge(log_path, policy, now=start + timedelta(days=1), clock_trusted=True)
        sizes.append(file_size(log_path))
    plateau = sizes[16:]
    assert max(plateau) <= 1.2 * min(plateau)
    print(f"file size, days 17-35: {min(plateau) / 1e6:.2f}-{max(plateau) / 1e6:.2f} MB")


@pytest.mark.parametrize(("days", "grace"), [(13, 24), (29, 24), (21, -1), (21, 25)])
def test_retention_outside_the_legal_window_is_refused(days, grace):
    with pytest.raises(ConfigError):
        RetentionPolicy(days, grace)


def test_seq_ranges_compress_runs():
    assert seq_ranges([7, 1, 2, 3, 9, 10]) == ((1, 3), (7, 7), (9, 10))
    assert seq_ranges([]) == ()
