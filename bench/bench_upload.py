"""Benchmark: a station draining a large entry-log queue to a real hub.

Why this exists: after a long outage a station comes back with days of entries queued, and the
upload must catch up quickly without the uploader growing with the queue (it reads one batch at
a time). This queues N entries built by the entry log's own code (each sealed to an authority
key), runs the reference hub in one child process and the uploader in another
(`python -m sync.upload.cli`, the lean form an upload service runs), and reports:
- entries/s of the drain, wall clock of the whole uploader process (bar: >= 2,000/s);
- peak RSS of the uploader process, from wait4's rusage (bar: <= 80 MB);
- that the hub holds every entry exactly once;
- for comparison, the peak RSS of a `station upload` pass with nothing left to send: the full
  `station` command also loads the camera and decoder commands.

Run:  .venv/bin/python bench/bench_upload.py [--entries N] [--batch-size B]
      (default 100,000 entries in batches of 500; queueing them takes most of the run)
It always exits 0: it is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from station.entrylog.database import open_log, transaction
from station.entrylog.entry import build_entry
from station.entrylog.sealing import SealingKey, generate_authority_key
from station.entrylog.writer import insert_entry
from station.model import Holder, VerificationResult
from station.paths import log_db_path
from station.reasons import Reason, Status
from sync.enrollment import enroll, save_enrollment
from sync.upload.signing import create_device_key, public_key_pem

DEFAULT_ENTRIES = 100_000
DEFAULT_BATCH = 500
QUEUE_CHUNK = 1_000
BAR_RATE, BAR_RSS_MB = 2_000.0, 80.0


def serve_hub(folder: Path) -> None:
    """The hub side (child process): serve, and count a station's entries on request."""
    from sync.hub import Hub, HubServer

    hub = Hub(folder / "hub.sqlite")
    server = HubServer(hub).start()
    code = hub.create_enrollment_code("bench")
    print(server.url, code, hub.key_fingerprint(), flush=True)
    for line in sys.stdin:
        station_id = line.strip()
        with hub.read() as conn:
            total, distinct = conn.execute(
                "SELECT count(*), count(DISTINCT uuid) FROM entries WHERE station_id = ?",
                (station_id,),
            ).fetchone()
        print(total, distinct, flush=True)
    server.stop()
    hub.close()


def queue_entries(path: Path, count: int) -> float:
    """Queue `count` sealed entries; returns entries/s.

    Each row is made by the entry log's own `build_entry` (sealed to an authority key) and
    numbered by its allocator, but committed 1,000 rows at a time: `EntryLog.record` fsyncs
    every row, which would make queueing take several times longer than the drain measured here
    (its own rate is in bench_entrylog.py).
    """
    now = datetime.now(UTC)
    result = VerificationResult(
        format="dcc",
        status=Status.VALID,
        reason=Reason.OK,
        checks=(),
        checked_at=now,
        holder=Holder("Nguyễn Văn An", "1990-05-17", "Nguyễn", "Văn An"),
        payload={"v": [{"ci": "URN:UVCI:01:VN:BENCH0000000000000001#4"}]},
    )
    sealing_key = SealingKey(generate_authority_key().public_key())
    started = time.perf_counter()
    conn = open_log(path)
    try:
        for first in range(0, count, QUEUE_CHUNK):
            with transaction(conn):
                for index in range(first, min(first + QUEUE_CHUNK, count)):
                    entry = build_entry(
                        result,
                        uuid=str(uuid.uuid4()),
                        direction="in" if index % 2 else "out",
                        checkpoint_id="gate-1",
                        clock_trusted=True,
                        now=now - timedelta(seconds=count - index),
                        sealing_key=sealing_key,
                    )
                    insert_entry(conn, entry)
    finally:
        conn.close()
    return count / (time.perf_counter() - started)


def drain(base: Path, batch: int, *, full: bool = False) -> tuple[float, float, str]:
    """Run the uploader once in a child; (seconds, peak RSS in MB, its output line)."""
    if full:
        command = [sys.executable, "-m", "station.cli.main", "--data-dir", str(base), "upload"]
    else:
        command = [sys.executable, "-m", "sync.upload.cli", "--data-dir", str(base)]
    started = time.perf_counter()
    child = subprocess.Popen(
        [*command, "--batch-size", str(batch)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    output = child.stdout.read().strip()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    return seconds, usage.ru_maxrss / 1024, output


def run(entries: int, batch: int, folder: Path) -> None:
    hub = subprocess.Popen(
        [sys.executable, __file__, "--serve-hub", str(folder)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert hub.stdin is not None and hub.stdout is not None
    url, code, pin = hub.stdout.readline().split()
    base = folder / "station"
    key = create_device_key(base)
    enrollment = enroll(url, code, pin, device_key_pem=public_key_pem(key), now=datetime.now(UTC))
    save_enrollment(enrollment, base)
    queue_rate = queue_entries(log_db_path(base), entries)
    seconds, rss_mb, output = drain(base, batch)
    _, full_rss_mb, _ = drain(base, batch, full=True)
    hub.stdin.write(enrollment.station_id + "\n")
    hub.stdin.flush()
    total, distinct = (int(n) for n in hub.stdout.readline().split())
    hub.stdin.close()
    hub.wait(timeout=60)
    _report(entries, batch, queue_rate, seconds, (rss_mb, full_rss_mb), (total, distinct), output)


def _report(entries, batch, queue_rate, seconds, rss, held, output) -> None:
    (rss_mb, full_rss_mb), (total, distinct) = rss, held
    rate = entries / seconds
    complete = total == distinct == entries
    rows = [
        (f"queue {entries:,} sealed entries (setup)", f"{queue_rate:,.0f} entries/s", ""),
        ("batch size", f"{batch}", ""),
        ("uploader process: wall clock", f"{seconds:.1f} s", ""),
        ("  drain rate (incl. process start)", f"{rate:,.0f} entries/s", f">= {BAR_RATE:,.0f}/s"),
        ("peak RSS of the uploader", f"{rss_mb:.0f} MB", f"<= {BAR_RSS_MB:g} MB"),
        ("hub holds (rows / distinct)", f"{total:,} / {distinct:,}", f"= {entries:,}"),
        ("`station upload`, nothing to send: peak RSS", f"{full_rss_mb:.0f} MB", ""),
    ]
    print(f"{'measure':<44} {'value':>22}   bar")
    print("-" * 80)
    for name, value, bar in rows:
        print(f"{name:<44} {value:>22}   {bar}")
    print(f"uploader said: {output}")
    met = lambda good: "met" if good else "NOT met"  # noqa: E731
    print(
        f"\nsummary: {entries:,} entries, batch {batch}; drain {rate:,.0f} entries/s "
        f"({met(rate >= BAR_RATE)}); uploader peak RSS {rss_mb:.0f} MB "
        f"({met(rss_mb <= BAR_RSS_MB)}); hub complete: {'yes' if complete else 'NO'}; "
        f"{os.cpu_count()} CPUs"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=DEFAULT_ENTRIES)
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH)
    parser.add_argument("--serve-hub", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_hub:
        serve_hub(Path(args.serve_hub))
        return
    with tempfile.TemporaryDirectory(prefix="bench-upload-") as folder:
        run(args.entries, args.batch_size, Path(folder))


if __name__ == "__main__":
    main()
