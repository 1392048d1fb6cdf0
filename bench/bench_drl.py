"""Benchmark: `DrlCache.find` on a large EU revocation distribution (DRL) list.

Why this exists: a pass is checked against the DRL lists on every scan, so a lookup must stay
well under 1 ms whatever the list's size. A lookup reads only the slices of the one chunk a hash
is filed under (4096 chunks in COORDINATE mode), then tests them: a Bloom filter costs up to k
SHA-256 rounds per slice (k = 40 at the EU default p = 1e-12), a hash list a binary search.
Bar: p99 <= 1000 µs per `find` at 1 M hashes, for both filter types.

How it is built:
- one kid's list of N random 16-byte hashes (default 1 M; N/3 revoked passes with their UCI,
  COUNTRYCODEUCI and SIGNATURE hashes), filed in COORDINATE mode whatever N, one expiry;
- slices are built with the hub's codecs at p = 1e-12 (Bloom filters in worker processes: about
  40 M SHA-256 calls per million hashes) and stored with `DrlCache.apply` in one transaction;
- lookups are half revoked passes (found at the first hash type, UCI) and half passes that are
  not listed (all three hash types tested: the common case at a checkpoint), shuffled, on a
  warm cache, timed one call at a time.

Run:  .venv/bin/python bench/bench_drl.py [--entries N | --quick] [--lookups N]
It always exits 0: it is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

from station.cache.database import CacheDatabase, open_cache
from station.cache.drl import DrlCache, DrlKidUpdate, DrlList, DrlPartition, DrlSlice, SliceKey
from station.cache.drl_filters import (
    DEFAULT_PROBABILITY,
    FIXED_BITS,
    FilterType,
    PartitionMode,
    address,
    build_bloom,
    build_varhash,
)
from station.verify.revocation import HashType

DEFAULT_ENTRIES = 1_000_000
QUICK_ENTRIES = 100_000
LOOKUPS = 5_000
KID = bytes.fromhex("0123456789abcdef")
MODE = PartitionMode.COORDINATE
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
EXPIRES = int((NOW + timedelta(days=365)).timestamp())
BAR_P99_US = 1000.0

Chunk = tuple[str, str, str]
Hashes = dict[HashType, bytes]


def make_passes(count: int, seed: int) -> list[Hashes]:
    rng = random.Random(seed)
    return [{kind: rng.randbytes(16) for kind in HashType} for _ in range(count)]


def file_hashes(passes: Sequence[Hashes]) -> dict[Chunk, list[bytes]]:
    filed: dict[Chunk, list[bytes]] = defaultdict(list)
    for hashes in passes:
        for digest in hashes.values():
            where = address(digest, MODE)
            filed[(where.x, where.y, where.chunk)].append(digest)
    return filed


def _encode(job: tuple[FilterType, list[bytes]]) -> bytes:
    filter_type, members = job
    if filter_type is FilterType.BLOOMFILTER:
        return build_bloom(members, DEFAULT_PROBABILITY)
    return build_varhash(members, DEFAULT_PROBABILITY, FIXED_BITS[MODE])


def build_update(filed: dict[Chunk, list[bytes]], filter_type: FilterType) -> DrlKidUpdate:
    """Every chunk's slice, encoded on all cores, as one kid's update."""
    chunks = sorted(filed)
    jobs = [(filter_type, filed[chunk]) for chunk in chunks]
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        blobs = list(pool.map(_encode, jobs, chunksize=64))
    slices = tuple(
        DrlSlice(
            KID, SliceKey(*chunk, EXPIRES), hashlib.sha256(data).hexdigest(), filter_type, data
        )
        for chunk, data in zip(chunks, blobs, strict=True)
    )
    partitions = sorted({(x, y) for x, y, _chunk in chunks})
    return DrlKidUpdate(
        DrlList(KID, MODE, frozenset(HashType), None, NOW),
        partitions=tuple(DrlPartition(KID, x + y, x, y, NOW, None) for x, y in partitions),
        kept=frozenset(piece.key for piece in slices),
        slices=slices,
    )


def time_finds(
    cache: CacheDatabase, revoked: Sequence[Hashes], clean: Sequence[Hashes]
) -> tuple[list[int], list[int], int, int]:
    """(hit ns, miss ns, revoked passes not found, clean passes reported)."""
    drl = DrlCache(cache)
    cases = [(hashes, True) for hashes in revoked] + [(hashes, False) for hashes in clean]
    random.Random(3).shuffle(cases)
    for hashes, _listed in cases[:200]:
        drl.find(KID, hashes, NOW)  # warm-up
    hits: list[int] = []
    misses: list[int] = []
    missed = false_hits = 0
    clock = time.perf_counter_ns
    for hashes, listed in cases:
        start = clock()
        found = drl.find(KID, hashes, NOW)
        (hits if listed else misses).append(clock() - start)
        missed += listed and found is None
        false_hits += not listed and found is not None
    return hits, misses, missed, false_hits


def nearest_rank(samples: Sequence[int], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[max(1, math.ceil(fraction * len(ordered))) - 1] / 1000


def run_one(
    folder: Path,
    filter_type: FilterType,
    filed: dict[Chunk, list[bytes]],
    passes: Sequence[Hashes],
    clean: Sequence[Hashes],
) -> dict[str, float]:
    start = time.perf_counter()
    update = build_update(filed, filter_type)
    built = time.perf_counter() - start
    with open_cache(folder / f"{filter_type.lower()}.sqlite") as cache:
        start = time.perf_counter()
        with cache.transaction():
            DrlCache(cache).apply(update)
        stored = time.perf_counter() - start
        revoked = random.Random(5).sample(list(passes), len(clean))
        hits, misses, missed, false_hits = time_finds(cache, revoked, clean)
    both = hits + misses
    return {
        "build_s": built,
        "store_s": stored,
        "mb": sum(len(piece.data) for piece in update.slices) / 1e6,
        "slices": len(update.slices),
        "hit_p50": statistics.median(hits) / 1000,
        "miss_p50": statistics.median(misses) / 1000,
        "p50": statistics.median(both) / 1000,
        "p99": nearest_rank(both, 0.99),
        "missed": missed,
        "false_hits": false_hits,
    }


def report(entries: int, lookups: int, results: dict[FilterType, dict[str, float]]) -> None:
    print(f"DRL find, {entries:,} hashes of one kid in {MODE} mode, p = {DEFAULT_PROBABILITY}")
    print(
        f"{platform.python_implementation()} {platform.python_version()} on {platform.machine()}, "
        f"{os.cpu_count()} cores; {lookups:,} lookups (half revoked, half clean)"
    )
    header = f"{'filter':<12}{'slices':>7}{'MB':>7}{'build s':>9}{'store s':>9}"
    header += f"{'hit p50':>9}{'miss p50':>10}{'p50 µs':>8}{'p99 µs':>8}{'FN':>4}{'FP':>4}"
    print(header)
    for kind, r in results.items():
        print(
            f"{kind:<12}{r['slices']:>7.0f}{r['mb']:>7.1f}{r['build_s']:>9.1f}{r['store_s']:>9.2f}"
            f"{r['hit_p50']:>9.0f}{r['miss_p50']:>10.0f}{r['p50']:>8.0f}{r['p99']:>8.0f}"
            f"{r['missed']:>4.0f}{r['false_hits']:>4.0f}"
        )
    worst = max(r["p99"] for r in results.values())
    verdict = "met" if worst <= BAR_P99_US else "MISSED"
    parts = ", ".join(
        f"{kind} p50 {r['p50']:.0f} µs / p99 {r['p99']:.0f} µs" for kind, r in results.items()
    )
    print(
        f"summary: DRL find at {entries:,} hashes ({MODE}): {parts}; "
        f"bar p99 <= {BAR_P99_US:.0f} µs {verdict}"
    )


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--entries", type=int, default=DEFAULT_ENTRIES, help="hashes in the list")
    size.add_argument("--quick", action="store_true", help=f"{QUICK_ENTRIES:,} hashes")
    parser.add_argument("--lookups", type=int, default=LOOKUPS, help="find calls per filter type")
    args = parser.parse_args(argv)
    if args.quick:
        args.entries = QUICK_ENTRIES
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    passes = make_passes(max(1, args.entries // 3), seed=1)
    clean = make_passes(args.lookups // 2, seed=2)
    filed = file_hashes(passes)
    results: dict[FilterType, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-drl-") as folder:
        for kind in (FilterType.VARHASHLIST, FilterType.BLOOMFILTER):
            results[kind] = run_one(Path(folder), kind, filed, passes, clean)
    report(3 * len(passes), args.lookups, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
