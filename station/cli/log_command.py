"""`station log`: counts from the entry log, a sealed export for the authority, and a purge.

Nothing here prints a person: `stats` shows counts by hour, verdict and format and the upload
queue; `export` writes sealed blocks as they are; `purge` prints counts only.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from station.adapters.clock import FixedClock, SystemClock
from station.entrylog.database import open_log
from station.entrylog.export import export_sealed
from station.entrylog.outbox import queue_counts
from station.entrylog.quota import LogQuota, log_quota
from station.entrylog.retention import PurgeResult, RetentionPolicy, purge
from station.entrylog.stats import VERDICTS, DayStats, day_stats, log_size_bytes
from station.entrylog.storage import STORAGE_OK, StorageFailure
from station.errors import ConfigError
from station.paths import data_dir, log_db_path
from station.settings import load_settings
from station.time_floor import TimeGuard


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser("log", help="entry log: counts, sealed export, purge")
    commands = parser.add_subparsers(dest="log_command", required=True)
    stats = commands.add_parser("stats", help="entries of one day by hour, verdict and format")
    stats.add_argument("--day", type=date.fromisoformat, help="YYYY-MM-DD (UTC; default today)")
    stats.add_argument("--json", action="store_true", help="machine-readable output")
    stats.set_defaults(handler=run_stats)
    export = commands.add_parser("export", help="every entry, sealed, as JSON Lines")
    export.add_argument("--out", required=True, type=Path, help="new file to write")
    export.set_defaults(handler=run_export)
    purged = commands.add_parser("purge", help="delete entries past retention (trusted time)")
    purged.add_argument("--max-age-days", type=int, help="14 to 28 (default: settings)")
    purged.set_defaults(handler=run_purge)


def run_stats(args: argparse.Namespace) -> int:
    path = log_db_path(data_dir(args.data_dir))
    day = args.day or datetime.now(UTC).date()
    report: dict[str, Any] = {"storage": {"state": STORAGE_OK, "quarantined": None}}
    try:
        conn = open_log(path)
    except StorageFailure as exc:
        report["storage"]["state"] = exc.code
        _print_stats(report, args.json)
        return 1
    try:
        report["storage"]["quarantined"] = str(conn.quarantined) if conn.quarantined else None
        stats = day_stats(conn, day)
        queue = queue_counts(conn)
        unsent_reports = conn.execute(
            "SELECT count(*) FROM purge_reports WHERE sent_at IS NULL"
        ).fetchone()[0]
    finally:
        conn.close()
    report.update(stats.to_json())
    report["queue"] = {
        "pending": queue.pending,
        "uploaded": queue.uploaded,
        "quarantined": queue.quarantined,
        "oldest_pending": queue.oldest_pending,
        "unsent_purge_reports": unsent_reports,
    }
    report["storage"]["size_bytes"] = log_size_bytes(path)
    report["storage"]["quota"] = log_quota(data_dir(args.data_dir)).to_json()
    _print_stats(report, args.json, stats)
    return 0


def _print_stats(report: dict[str, Any], as_json: bool, stats: DayStats | None = None) -> None:
    if as_json:
        print(json.dumps(report, indent=2))
        return
    storage = report["storage"]
    print(f"Entry log storage: {storage['state']}")
    if "quota" in storage:
        quota = storage["quota"]
        print(f"  {LogQuota(quota['size_bytes'], quota['quota_bytes']).message()}")
    if storage.get("quarantined"):
        print(f"  ALERT: a damaged log was set aside as {storage['quarantined']}")
    if stats is None:
        return
    print(f"Entries on {stats.day.isoformat()} (UTC): {stats.total}")
    print(f"  {'hour':<6}" + "".join(f"{verdict:>16}" for verdict in VERDICTS))
    for hour, counts in sorted(stats.by_hour.items()):
        print(f"  {hour:02d}:00 " + "".join(f"{counts.get(v, 0):>16}" for v in VERDICTS))
    for fmt, count in sorted(stats.by_format.items()):
        print(f"  format {fmt}: {count}")
    queue = report["queue"]
    print(
        f"Upload queue: {queue['pending']} pending, {queue['uploaded']} uploaded, "
        f"{queue['quarantined']} quarantined (oldest pending: {queue['oldest_pending'] or '-'})"
    )


def run_export(args: argparse.Namespace) -> int:
    path = log_db_path(data_dir(args.data_dir))
    if not path.exists():
        raise ConfigError(f"there is no entry log at {path}")
    out: Path = args.out
    try:
        handle = os.open(out, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        raise ConfigError(f"{out} exists; choose a new file (an export never overwrites)") from None
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        count = export_sealed(path, stream)
    print(f"exported {count} entries (identities sealed) to {out}")
    return 0


def run_purge(args: argparse.Namespace) -> int:
    base = data_dir(args.data_dir)
    settings = load_settings(base)
    policy = RetentionPolicy(
        max_age_days=(settings.retention_days if args.max_age_days is None else args.max_age_days),
        uploaded_grace_hours=settings.upload_grace_hours,
    )
    now = SystemClock().now()
    result = purge(
        log_db_path(base),
        policy,
        now=now,
        clock_trusted=TimeGuard(base, clock=FixedClock(now)).assess().purge_allowed,
    )
    _print_purge(result)
    return 1 if result.skipped else 0


def _print_purge(result: PurgeResult) -> None:
    if result.skipped:
        print("purge skipped: the clock is not trusted", file=sys.stderr)
        return
    print(
        f"purged {result.purged} entries: {result.purged_unsent} never uploaded, "
        f"{result.purged_quarantined} quarantined, {result.purged_uploaded} uploaded"
    )
    if result.report_id:
        print(f"purge report {result.report_id} queued for the hub")
