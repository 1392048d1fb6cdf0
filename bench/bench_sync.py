"""Benchmark: a station syncing a large revocation list from a real hub over HTTP.

Why this exists: the cache bench times the database alone; a station also downloads, verifies
and parses signed pages. This runs the reference hub in a separate process (so the station's
memory is measured alone) and the station's real sync client in this one:
- initial sync of N revocation entries (entries/s), as a fresh station does;
- a 10 k-entry delta (9 k added, 1 k lifted) on top of N (seconds): the daily case;
- peak RSS of the station process during the sync (bar: 150 MB).
Bars (issue): 10 k delta on top of 10 M <= 2 s; peak RSS <= 150 MB.

Run:  .venv/bin/python bench/bench_sync.py [--entries N]   (default 1,000,000; 10,000,000 is the
full-size run and takes several minutes and about 1 GB of disk)
It always exits 0: it is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from station.adapters.clock import SystemClock
from station.cache.database import open_cache
from station.verify.revocation import HashType
from sync.context import SyncContext
from sync.enrollment import enroll
from sync.http import HttpLimits
from sync.runner import sync_sources

DEFAULT_ENTRIES = 1_000_000
PAGE_SIZE = 100_000
DELTA_ADDED, DELTA_REMOVED = 9_000, 1_000
BAR_DELTA_S, BAR_RSS_MB = 2.0, 150.0
KIDS = 250


def _entries(count: int, seed: int) -> Iterator[object]:
    from sync.hub.revocations import RevocationEntry

    rng = random.Random(seed)
    kids = [rng.randbytes(8) for _ in range(KIDS)]
    for _ in range(count):
        yield RevocationEntry(rng.choice(kids), HashType.SIGNATURE, rng.randbytes(16))


def serve_hub(folder: Path, entries: int) -> None:
    """The hub side (child process): load the list, serve, publish a delta on request."""
    from sync.hub import Hub, HubConfig, HubServer

    hub = Hub(folder / "hub.sqlite", HubConfig(page_size=PAGE_SIZE))
    started = time.perf_counter()
    hub.publish_revocations(_entries(entries, seed=1))  # type: ignore[arg-type]
    load_s = time.perf_counter() - started
    server = HubServer(hub).start()
    code = hub.create_enrollment_code("bench")
    print(server.url, code, hub.key_fingerprint(), f"{load_s:.1f}", flush=True)
    for line in sys.stdin:
        if line.strip() == "delta":
            lifted = list(_entries(DELTA_REMOVED, seed=1))
            hub.publish_revocations(_entries(DELTA_ADDED, seed=2))  # type: ignore[arg-type]
            hub.unpublish_revocations(lifted)  # type: ignore[arg-type]
            print("ok", flush=True)
    server.stop()
    hub.close()


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(entries: int, folder: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, __file__, "--serve-hub", str(folder), "--entries", str(entries)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdin is not None and child.stdout is not None
    url, code, pin, hub_load_s = child.stdout.readline().split()
    rss_before = rss_mb()
    enrollment = enroll(url, code, pin, now=datetime.now(UTC))
    limits = HttpLimits(total_deadline_s=120)
    with open_cache(folder / "cache.sqlite") as cache, enrollment.client(limits) as client:
        ctx = SyncContext(client, cache, enrollment.pinned_keys(), SystemClock())
        started = time.perf_counter()
        (initial,) = sync_sources(ctx, ["revocations"])
        initial_s = time.perf_counter() - started
        rss_initial = rss_mb()
        child.stdin.write("delta\n")
        child.stdin.flush()
        child.stdout.readline()
        started = time.perf_counter()
        (delta,) = sync_sources(ctx, ["revocations"])
        delta_s = time.perf_counter() - started
    child.stdin.close()
    child.wait(timeout=60)
    size_mb = (folder / "cache.sqlite").stat().st_size / 1e6
    _report(
        entries,
        float(hub_load_s),
        initial,
        initial_s,
        delta,
        delta_s,
        rss_before,
        rss_initial,
        size_mb,
    )


def _report(entries, hub_load_s, initial, initial_s, delta, delta_s, rss_before, rss_peak, size_mb):
    ok = initial.ok and delta.ok
    rows = [
        ("hub: publish entries", f"{hub_load_s:.1f} s", ""),
        (f"initial sync, {entries:,} entries", f"{initial_s:.1f} s", ""),
        ("  sync rate", f"{entries / initial_s:,.0f} entries/s", ""),
        (
            f"delta: {DELTA_ADDED:,} added + {DELTA_REMOVED:,} lifted",
            f"{delta_s:.2f} s",
            f"<= {BAR_DELTA_S:g} s",
        ),
        ("peak RSS of the station", f"{rss_peak:.0f} MB", f"<= {BAR_RSS_MB:g} MB"),
        ("  of which before syncing", f"{rss_before:.0f} MB", ""),
        ("cache file", f"{size_mb:.0f} MB", ""),
        ("outcomes", f"{initial.summary()} / {delta.summary()}" if ok else "FAILED", ""),
    ]
    print(f"{'measure':<44} {'value':>22}   bar")
    print("-" * 80)
    for name, value, bar in rows:
        print(f"{name:<44} {value:>22}   {bar}")
    met = lambda good: "met" if good else "NOT met"  # noqa: E731
    print(
        f"\nsummary: {entries:,} entries; initial sync {entries / initial_s:,.0f} entries/s; "
        f"10 k delta {delta_s:.2f} s ({met(delta_s <= BAR_DELTA_S)}); peak RSS {rss_peak:.0f} MB "
        f"({met(rss_peak <= BAR_RSS_MB)}); {os.cpu_count()} CPUs"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=DEFAULT_ENTRIES)
    parser.add_argument("--serve-hub", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_hub:
        serve_hub(Path(args.serve_hub), args.entries)
        return
    with tempfile.TemporaryDirectory(prefix="bench-sync-") as folder:
        run(args.entries, Path(folder))


if __name__ == "__main__":
    main()
