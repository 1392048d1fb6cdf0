"""Benchmark: the station cache at full size (revocation list load, delta, lookup; status list).

Why this exists: the EU revocation lists add up to about ten million hashes, and a kiosk (a
Raspberry Pi with 1 GB) must load them, apply the daily delta during service, and look a pass up
in well under a millisecond. The bars, at 10 M entries:
- `RevocationCache.find` p99 <= 100 µs (three hash types, one query);
- a 10 k-entry delta (with its sync-state record, in one transaction) <= 2 s;
- peak RSS while loading <= 150 MB (the load is streamed from a generator and sorted by SQLite
  on disk, so memory must not grow with the list).
It also times a status-list lookup at the default Argon2id parameters (19 MiB, 2 passes) and one
brute-force guess (the same derivation), which is what the status-list docs quote.

Why it is built this way:
- entries are random (hashes are uniformly distributed, so random is the realistic order), made
  in batches by a generator; a small sample is kept to look up hits;
- lookups mix hits and misses half and half, each with all three hash types as a real pass has;
  they run on a warm cache (the OS page cache holds the file after the load), as during service;
- peak RSS is `ru_maxrss` of this process right after the load, imports included.

Run:  .venv/bin/python bench/bench_cache.py [--entries N | --quick] [--dir DIR]
The default run writes about 0.4 GB (plus SQLite's temporary sort files) and takes a few
minutes. It always exits 0: it is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import random
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from station.cache.database import CacheDatabase, open_cache
from station.cache.revocations import UNKNOWN_KID, RevocationCache, RevocationEntry
from station.cache.status_key import KdfParams, derive_status_key
from station.cache.status_list import StatusEntry, StatusFlags, StatusListCache
from station.cache.sync_state import SyncStateStore
from station.verify.revocation import HashType

DEFAULT_ENTRIES = 10_000_000
QUICK_ENTRIES = 1_000_000
BATCH = 10_000
DELTA_ADDED, DELTA_REMOVED = 9_000, 1_000
LOOKUPS = 20_000
SAMPLE = 10_000
STATUS_ENTRIES = 100_000
KDF_SAMPLES = 15
KIDS = 250
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
BAR_FIND_P99_US, BAR_DELTA_S, BAR_RSS_MB = 100.0, 2.0, 150.0


class EntryStream:
    """Random revocation entries in batches, keeping every n-th one to look up later."""

    def __init__(self, seed: int, sample_every: int = 0) -> None:
        self.rng = random.Random(seed)
        self.kids = [self.rng.randbytes(8) for _ in range(KIDS)] + [UNKNOWN_KID]
        self.sample_every = sample_every
        self.sample: list[RevocationEntry] = []

    def entries(self, count: int) -> Iterator[RevocationEntry]:
        expires = [None, NOW + timedelta(days=365), NOW + timedelta(days=730)]
        made = 0
        while made < count:
            n = min(BATCH, count - made)
            blob = self.rng.randbytes(16 * n)
            kids = self.rng.choices(self.kids, k=n)
            types = self.rng.choices(list(HashType), k=n)
            until = expires[made // BATCH % 3]
            for i in range(n):
                entry = RevocationEntry(kids[i], types[i], blob[16 * i : 16 * i + 16], until)
                if self.sample_every and (made + i) % self.sample_every == 0:
                    self.sample.append(entry)
                yield entry
            made += n


def peak_rss_mb() -> float:
    """Peak resident set size of this process (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def file_mb(cache: CacheDatabase) -> float:
    cache.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    wal = cache.path.with_name(cache.path.name + "-wal")
    size = cache.path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
    return size / 1e6


def load(cache: CacheDatabase, stream: EntryStream, count: int) -> float:
    """Seconds to load `count` entries as one snapshot, with its sync-state record."""
    start = time.perf_counter()
    with cache.transaction():
        RevocationCache(cache).apply(stream.entries(count), [], snapshot=True)
        SyncStateStore(cache).record_success("revocations", version=1, now=NOW)
    return time.perf_counter() - start


def apply_delta(cache: CacheDatabase, stream: EntryStream) -> float:
    """Seconds for a daily delta: new entries, some held ones removed, the state recorded."""
    removed = stream.sample[-DELTA_REMOVED:]
    del stream.sample[-DELTA_REMOVED:]
    start = time.perf_counter()
    with cache.transaction():
        RevocationCache(cache).apply(stream.entries(DELTA_ADDED), removed, snapshot=False)
        SyncStateStore(cache).record_success("revocations", version=2, now=NOW)
    return time.perf_counter() - start


def lookups(stream: EntryStream) -> list[tuple[bytes, dict[HashType, bytes], bool]]:
    """(pass kid, its three hashes, whether it is revoked), hits and misses shuffled."""
    rng = random.Random(7)
    made: list[tuple[bytes, dict[HashType, bytes], bool]] = []
    for n in range(LOOKUPS):
        hashes = {kind: rng.randbytes(16) for kind in HashType}
        kid = rng.choice(stream.kids[:-1])
        if n % 2 == 0:
            entry = stream.sample[n // 2 % len(stream.sample)]
            hashes[entry.hash_type] = entry.hash
            kid = entry.kid or kid
        made.append((kid, hashes, n % 2 == 0))
    rng.shuffle(made)
    return made


def time_finds(cache: CacheDatabase, stream: EntryStream) -> list[int]:
    """Nanoseconds per `find`; checks every hit is found and no miss is."""
    revocations = RevocationCache(cache)
    samples: list[int] = []
    wrong = 0
    clock = time.perf_counter_ns
    for kid, hashes, revoked in lookups(stream):
        start = clock()
        hit = revocations.find(kid, hashes)
        samples.append(clock() - start)
        wrong += (hit is not None) != revoked
    if wrong:
        print(f"warning: {wrong} lookups gave the wrong answer")
    return samples


def nearest_rank(samples: Sequence[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[max(1, math.ceil(fraction * len(ordered))) - 1]


def status_costs(cache: CacheDatabase) -> tuple[float, float]:
    """Median ms of a status-list lookup by ID number and of one bare derivation (a guess)."""
    params = KdfParams(salt=b"bench-status-salt")
    rng = random.Random(11)
    ids = [f"{rng.randrange(10**12):012d}" for _ in range(KDF_SAMPLES)]
    listed = [StatusEntry(derive_status_key(i, params), StatusFlags.ISOLATING) for i in ids[::2]]
    filler = (StatusEntry(rng.randbytes(16), StatusFlags.VACCINATED) for _ in range(STATUS_ENTRIES))
    status = StatusListCache(cache)
    status.apply(params, listed, [], snapshot=True)
    status.apply(params, filler, [], snapshot=False)
    lookup_ms, guess_ms = [], []
    for number in ids:
        start = time.perf_counter()
        status.lookup(number)
        lookup_ms.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        derive_status_key(number, params)
        guess_ms.append((time.perf_counter() - start) * 1000)
    return statistics.median(lookup_ms), statistics.median(guess_ms)


def verdict(value: float, bar: float) -> str:
    return "met" if value <= bar else "MISSED"


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--entries", type=int, default=DEFAULT_ENTRIES, help="revocation entries")
    size.add_argument("--quick", action="store_true", help=f"{QUICK_ENTRIES:,} entries")
    parser.add_argument("--dir", help="where to write the cache file (default: a temp dir)")
    args = parser.parse_args(argv)
    if args.quick:
        args.entries = QUICK_ENTRIES
    return args


def run(folder: Path, entries: int) -> dict[str, float]:
    stream = EntryStream(seed=1, sample_every=max(1, entries // SAMPLE))
    results: dict[str, float] = {"rss_before": peak_rss_mb()}
    with open_cache(folder / "cache.sqlite") as cache:
        results["load_s"] = load(cache, stream, entries)
        results["rss_load"] = peak_rss_mb()
        results["mb_per_m"] = file_mb(cache) / (entries / 1e6)
        results["delta_s"] = apply_delta(cache, stream)
        finds = [ns / 1000 for ns in time_finds(cache, stream)]
        results["p50"], results["p99"] = nearest_rank(finds, 0.5), nearest_rank(finds, 0.99)
    with open_cache(folder / "status.sqlite") as cache:
        results["lookup_ms"], results["guess_ms"] = status_costs(cache)
    return results


def report(entries: int, r: dict[str, float]) -> None:
    rows = [
        (f"initial load, {entries:,} entries", f"{r['load_s']:.1f} s", ""),
        ("  load rate", f"{entries / r['load_s']:,.0f} entries/s", ""),
        ("file size per million entries", f"{r['mb_per_m']:.1f} MB", ""),
        ("peak RSS during load", f"{r['rss_load']:.0f} MB", f"<= {BAR_RSS_MB:.0f} MB"),
        ("  of which before loading (imports)", f"{r['rss_before']:.0f} MB", ""),
        (
            f"delta: {DELTA_ADDED:,} added + {DELTA_REMOVED:,} removed",
            f"{r['delta_s']:.2f} s",
            f"<= {BAR_DELTA_S:.0f} s",
        ),
        (f"find p50 ({LOOKUPS:,} lookups, half hits)", f"{r['p50']:.1f} µs", ""),
        ("find p99", f"{r['p99']:.1f} µs", f"<= {BAR_FIND_P99_US:.0f} µs"),
        ("status lookup (Argon2id 19 MiB, 2 passes)", f"{r['lookup_ms']:.1f} ms", ""),
        ("brute-force guess (one derivation)", f"{r['guess_ms']:.1f} ms", ""),
    ]
    header = f"{'measure':<46}{'value':>22}   {'bar':<10}"
    print(header)
    print("-" * len(header))
    for name, value, bar in rows:
        print(f"{name:<46}{value:>22}   {bar:<10}")
    years = 1e9 * r["guess_ms"] / 1000 / (365 * 86400)
    print()
    print(
        f"one core: {1000 / r['guess_ms']:.0f} guesses/s; all 10^9 nine-digit numbers: "
        f"{years:.1f} core-years; 10^12 twelve-digit numbers: {years * 1000:,.0f} core-years"
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    print(
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version} "
        f"on {platform.machine()}, {os.cpu_count()} CPUs"
    )
    with tempfile.TemporaryDirectory(prefix="bench-cache-", dir=args.dir) as folder:
        results = run(Path(folder), args.entries)
    print(
        f"{args.entries:,} revocation entries"
        + (
            ""
            if args.entries >= DEFAULT_ENTRIES
            else f" (the bars are set for {DEFAULT_ENTRIES:,})"
        )
    )
    print()
    report(args.entries, results)
    print()
    print(
        f"summary: {args.entries:,} entries; find p99 {results['p99']:.0f} µs "
        f"(<= {BAR_FIND_P99_US:.0f}: {verdict(results['p99'], BAR_FIND_P99_US)}), "
        f"10 k delta {results['delta_s']:.2f} s "
        f"(<= {BAR_DELTA_S:.0f}: {verdict(results['delta_s'], BAR_DELTA_S)}), "
        f"peak RSS {results['rss_load']:.0f} MB "
        f"(<= {BAR_RSS_MB:.0f}: {verdict(results['rss_load'], BAR_RSS_MB)}), "
        f"status lookup {results['lookup_ms']:.0f} ms, guess {results['guess_ms']:.0f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
