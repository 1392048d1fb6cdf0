"""Benchmark: the entry log's durable commit and its retention purge.

Why this exists: every decision at the gate is committed and fsynced before the verdict is
final (`synchronous=FULL`), so the commit is on the path from scan to verdict and must stay
well under what a guard notices. The bar: `EntryLog.record` p99 <= 20 ms on the station's own
disk, sealing included. The purge runs on a full month of entries (50 k rows, as after 35 days
offline) with its checkpoint and VACUUM; it runs in the background, so it only needs to be
seconds, not minutes.

Why it is built this way:
- the result recorded is a real verdict on a real signed DCC (verification is not timed);
- records go to a real file on a real disk (a temp dir, or --dir): an fsync on tmpfs would
  measure nothing; each record is its own transaction, as at the gate;
- the purge's 50 k rows are inserted in one transaction (the kiosk would take days to make
  them), spread over 35 days, so a 28-day policy removes the oldest fifth.

Run:  .venv/bin/python bench/bench_entrylog.py [--records N | --quick] [--dir DIR]
It always exits 0: it is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from station.adapters.clock import FixedClock
from station.entrylog.database import open_log, side_file
from station.entrylog.entry import minute_of
from station.entrylog.retention import RetentionPolicy, purge
from station.entrylog.sealing import SealingKey, generate_authority_key, seal
from station.entrylog.writer import EntryLog
from station.issuer.dcc import issue_dcc, vaccination_payload
from station.issuer.pki import make_signer
from station.model import VerificationResult
from station.trust.certificate import load_trusted_certificate
from station.trust.index import TrustIndex
from station.verify.verifier import Verifier

DEFAULT_RECORDS, QUICK_RECORDS = 3000, 2000
PURGE_ROWS, PURGE_DAYS, MAX_AGE_DAYS = 50_000, 35, 28
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
BAR_P99_MS = 20.0


def real_result() -> VerificationResult:
    signer = make_signer(algorithm="ES256", not_before=NOW - timedelta(days=365), usages="vtr")
    text = issue_dcc(
        signer,
        vaccination_payload(),
        issued_at=NOW - timedelta(days=1),
        expires=NOW + timedelta(days=100),
    )
    verifier = Verifier(TrustIndex([load_trusted_certificate(signer.der)]), FixedClock(NOW))
    return verifier.verify(text)


def time_records(path: Path, key: SealingKey | None, count: int) -> list[float]:
    """Milliseconds per `EntryLog.record`, each a durable commit of its own."""
    result = real_result()
    samples = []
    with EntryLog(path, sealing_key=key) as log:
        for number in range(count):
            at = NOW + timedelta(seconds=number)
            start = time.perf_counter()
            log.record(result, direction="in", checkpoint_id="gate-1", clock_trusted=True, now=at)
            samples.append((time.perf_counter() - start) * 1000)
    return samples


def time_seal(key: SealingKey, count: int = 2000) -> float:
    """Median microseconds to seal one identity block."""
    plaintext = b'{"credential_id":"URN:UVCI:01:VN:0001","date_of_birth":"1990-05-17","name":"N"}'
    samples = []
    for _ in range(count):
        start = time.perf_counter()
        seal(key, plaintext, str(uuid.uuid4()).encode())
        samples.append((time.perf_counter() - start) * 1e6)
    return statistics.median(samples)


def fill(path: Path, rows: int, days: int) -> None:
    """`rows` pending entries spread evenly over `days` before NOW, in one transaction."""
    conn = open_log(path)
    step = timedelta(days=days) / rows
    start = NOW - timedelta(days=days)
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(
        "INSERT INTO entries (uuid, seq, checkpoint_id, direction, minute, clock_trusted, verdict,"
        " reason, format, data_version, sealed, recorded_at) VALUES (?, ?, 'gate-1', 'in', ?, 1,"
        " 'VALID', 'OK', 'dcc', 'trust-list:1', ?, ?)",
        (
            (str(uuid.uuid4()), n + 1, minute_of(start + n * step), os.urandom(185),
             minute_of(start + n * step))
            for n in range(rows)
        ),
    )  # fmt: skip
    conn.execute("COMMIT")
    conn.close()


def size_mb(path: Path) -> float:
    files = [path, side_file(path, "-wal")]
    return sum(f.stat().st_size for f in files if f.exists()) / 1e6


def time_purge(path: Path) -> dict[str, float]:
    fill(path, PURGE_ROWS, PURGE_DAYS)
    before = size_mb(path)
    start = time.perf_counter()
    result = purge(path, RetentionPolicy(MAX_AGE_DAYS), now=NOW, clock_trusted=True)
    seconds = time.perf_counter() - start
    return {"s": seconds, "purged": result.purged, "before": before, "after": size_mb(path)}


def nearest_rank(samples: Sequence[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[max(1, math.ceil(fraction * len(ordered))) - 1]


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--records", type=int, default=DEFAULT_RECORDS, help="records to time")
    size.add_argument("--quick", action="store_true", help=f"{QUICK_RECORDS:,} records")
    parser.add_argument("--dir", help="where to write the log (default: a temp dir)")
    args = parser.parse_args(argv)
    if args.quick:
        args.records = QUICK_RECORDS
    return args


def report(
    records: int, sealed: list[float], plain: list[float], seal_us: float, p: dict[str, float]
) -> None:
    rows = [
        (f"record, sealed: p50 ({records:,} commits)", f"{nearest_rank(sealed, 0.5):.2f} ms", ""),
        ("record, sealed: p99", f"{nearest_rank(sealed, 0.99):.2f} ms", f"<= {BAR_P99_MS:.0f} ms"),
        ("record, sealed: max", f"{max(sealed):.2f} ms", ""),
        ("record, no authority key: p50", f"{nearest_rank(plain, 0.5):.2f} ms", ""),
        ("record, no authority key: p99", f"{nearest_rank(plain, 0.99):.2f} ms", ""),
        ("seal one identity block (median)", f"{seal_us:.0f} µs", ""),
        (f"purge {int(p['purged']):,} of {PURGE_ROWS:,} rows (+ VACUUM)", f"{p['s']:.2f} s", ""),
        ("log size before / after purge", f"{p['before']:.1f} / {p['after']:.1f} MB", ""),
    ]
    header = f"{'measure':<46}{'value':>20}   {'bar':<10}"
    print(header)
    print("-" * len(header))
    for name, value, bar in rows:
        print(f"{name:<46}{value:>20}   {bar:<10}")


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    print(
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version} "
        f"on {platform.machine()}, {os.cpu_count()} CPUs"
    )
    key = SealingKey(generate_authority_key().public_key())
    with tempfile.TemporaryDirectory(prefix="bench-entrylog-", dir=args.dir) as folder:
        base = Path(folder)
        print(f"log directory: {base} (synchronous=FULL, one fsynced commit per record)")
        sealed = time_records(base / "sealed.sqlite", key, args.records)
        plain = time_records(base / "plain.sqlite", None, args.records)
        purged = time_purge(base / "purge.sqlite")
    seal_us = time_seal(key)
    print()
    report(args.records, sealed, plain, seal_us, purged)
    p99 = nearest_rank(sealed, 0.99)
    print()
    print(
        f"summary: {args.records:,} sealed records; commit p50 {nearest_rank(sealed, 0.5):.2f} ms, "
        f"p99 {p99:.2f} ms (<= {BAR_P99_MS:.0f}: {'met' if p99 <= BAR_P99_MS else 'MISSED'}); "
        f"purge of {int(purged['purged']):,}/{PURGE_ROWS:,} rows {purged['s']:.2f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
