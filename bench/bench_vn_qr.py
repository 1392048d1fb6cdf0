"""Benchmark: full verification of Vietnam's national QRs against the bare Argon2id lookup.

Why this exists: a national QR is unsigned, so there is no signature to compare with. What a
verification cannot avoid is the status-list lookup, one Argon2id derivation of the ID number at
the list's parameters (`derive_status_key`, deliberately slow: see station/cache/status_key.py).
The bar is "a full verification costs at most 3x that derivation", i.e. parsing, the cache
query, the freshness summary and building the result may cost at most twice the derivation.
A ratio measured within one run compares across machines; absolute milliseconds do not.

How: a real cache file with the production KDF parameters (19 MiB, 2 passes), 10,000 filler
entries and the benchmark people, read through `CachedTrust(...).sources()` exactly as the
station does. Every row runs once per round in a rotating order (bench/timing.py) and is reported
as median and p95. The hostile rows time refusals of flooding and malformed input, each of which
must stay under 50 ms.

Run:  .venv/bin/python bench/bench_vn_qr.py [--quick]
It always exits 0: it is a measurement, not a test.
"""

from __future__ import annotations

import os
import platform
import random
import sys
import tempfile
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import cryptography
from timing import iterations_from_args, measure_rounds, percentiles

from station.adapters.clock import FixedClock
from station.cache.database import CacheDatabase, open_cache
from station.cache.status_key import KdfParams, derive_status_key
from station.cache.status_list import StatusEntry, StatusFlags, StatusListCache
from station.cache.sync_state import SyncStateStore
from station.cache.trust_view import CachedTrust
from station.issuer.vn_qr import VnPerson, bhyt_text, cccd_text, make_person, pccovid_text
from station.verify import vn_cccd
from station.verify.verifier import Verifier
from station.verify.vn_text import local_today, normalised_text, split_fields

FULL_ITERATIONS = 200
QUICK_ITERATIONS = 30
TARGET_RATIO = 3.0
HOSTILE_BUDGET_MS = 50.0
FILLER_ENTRIES = 10_000
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
ISSUED = date(2022, 3, 4)

Call = Callable[[], object]


def build_cache(path: Path, params: KdfParams, people: Sequence[VnPerson]) -> CacheDatabase:
    """A synced status list: filler keys plus the benchmark people (first VACCINATED, second
    POSITIVE), recorded as a successful "status-list" sync."""
    rng = random.Random(7)
    filler = [
        StatusEntry(rng.randbytes(16), StatusFlags.VACCINATED, None) for _ in range(FILLER_ENTRIES)
    ]
    people_entries = [
        StatusEntry(derive_status_key(people[0].id_number, params), StatusFlags.VACCINATED, None),
        StatusEntry(derive_status_key(people[1].id_number, params), StatusFlags.POSITIVE, None),
    ]
    cache = open_cache(path)
    StatusListCache(cache).apply(params, [*filler, *people_entries], [], snapshot=True)
    SyncStateStore(cache).record_success("status-list", version=1, now=NOW - timedelta(hours=1))
    return cache


def hostile_inputs(someone: VnPerson) -> dict[str, str]:
    cccd, head = cccd_text(someone, ISSUED), "001203004567||"
    return {
        "pipe flood (4,000 |)": head + "|" * 4000,
        "1 MB line": head + "A" * 1_000_000,
        "combining-mark flood": cccd.replace("|Nam|", "|N" + "\u0301" * 1900 + "am|"),
        "hex flood in a card name": "0123456789|" + "41" * 790 + "|18/01/2003|1|-|$",
        "extension flood (1,900 <)": "001203004567|NGUYEN VAN A|2003-01-18|0|16297938|"
        + "<" * 1900,
        "bidi override in a name": cccd.replace(someone.name, "\u202e" + someone.name),
    }


def sanity_check(verifier: Verifier, expected: dict[str, tuple[str, str]]) -> None:
    """Refuse to report numbers for a path other than the intended one."""
    for text, (status, reason) in expected.items():
        result = verifier.verify(text)
        if (str(result.status), str(result.reason)) != (status, reason):
            print(f"warning: got {result.status} {result.reason}, expected {status} {reason}")


def print_rows(title: str, names: Sequence[str], samples: dict[str, list[int]]) -> None:
    print(title)
    for name in names:
        median, p95 = percentiles(samples[name])
        print(f"  {name:<40}{median / 1000:>11.3f}{p95 / 1000:>11.3f}")


def main(argv: Sequence[str] | None = None) -> int:
    iterations, warmup = iterations_from_args(
        __doc__.splitlines()[0], argv, FULL_ITERATIONS, QUICK_ITERATIONS
    )
    params = KdfParams(salt=os.urandom(16))  # production cost: 19 MiB, 2 passes
    rng = random.Random(1)
    people = [make_person(rng) for _ in range(2)]
    cccd, pccovid = cccd_text(people[0], ISSUED), pccovid_text(people[1])
    bhyt = bhyt_text(people[0], valid_from=date(2023, 7, 1))
    with tempfile.TemporaryDirectory() as folder:
        cache = build_cache(Path(folder) / "cache.sqlite", params, people)
        clock = FixedClock(NOW)
        verifier = Verifier(CachedTrust(cache, clock).sources(), clock)
        sanity_check(
            verifier,
            {
                cccd: ("VALID", "OK"),
                pccovid: ("INVALID", "STATUS_POSITIVE"),
                bhyt: ("CHECK_MANUALLY", "STATUS_NOT_SEARCHABLE"),
            },
        )
        key = derive_status_key(people[0].id_number, params)
        lookups = StatusListCache(cache)
        today = local_today(NOW)
        main_rows: list[tuple[str, Call]] = [
            ("CCCD full verify (VALID)", lambda: verifier.verify(cccd)),
            ("PC-Covid full verify (INVALID, positive)", lambda: verifier.verify(pccovid)),
            (
                "bare Argon2id derive_status_key",
                lambda: derive_status_key(people[0].id_number, params),
            ),
        ]
        stage_rows: list[tuple[str, Call]] = [
            ("BHYT full verify (no lookup)", lambda: verifier.verify(bhyt)),
            (
                "CCCD format + fields",
                lambda: vn_cccd.parse(split_fields(normalised_text(cccd), (7,)), today),
            ),
            ("status-list query by key", lambda: lookups.lookup_key(key)),
            ("timer + call overhead", lambda: None),
        ]
        hostile = hostile_inputs(people[0])
        for name, text in hostile.items():
            if verifier.verify(text).status != "INVALID":
                print(f"warning: hostile input {name!r} was not refused")
        hostile_rows = [(name, _bind(verifier, text)) for name, text in hostile.items()]
        samples = measure_rounds([*main_rows, *stage_rows], iterations, warmup)
        hostile_samples = measure_rounds(hostile_rows, iterations, warmup)
        cache.close()

    print(
        f"Python {platform.python_version()} on {platform.machine()}, "
        f"cryptography {cryptography.__version__}; KDF {params.memory_kib // 1024} MiB, "
        f"{params.iterations} passes; {FILLER_ENTRIES + 2} list entries"
    )
    print(f"{iterations} interleaved iterations per row after {warmup} warm-up rounds")
    print()
    print(f"{'measurement':<42}{'median ms':>11}{'p95 ms':>11}")
    print("-" * 64)
    print_rows("Main rows:", [name for name, _ in main_rows], samples)
    print_rows("Without the derivation:", [name for name, _ in stage_rows], samples)
    print_rows("Hostile input (each refused INVALID):", list(hostile), hostile_samples)

    bare = percentiles(samples["bare Argon2id derive_status_key"])[0]
    cccd_full = percentiles(samples["CCCD full verify (VALID)"])[0]
    pc_full = percentiles(samples["PC-Covid full verify (INVALID, positive)"])[0]
    worst = max(max(values) for values in hostile_samples.values()) / 1e6
    ratio, pc_ratio = cccd_full / bare, pc_full / bare
    verdict = "met" if max(ratio, pc_ratio) <= TARGET_RATIO else "MISSED"
    hostile_verdict = "met" if worst <= HOSTILE_BUDGET_MS else "MISSED"
    print()
    print(f"Ratios of medians: CCCD full / bare {ratio:.2f}x, PC-Covid full / bare {pc_ratio:.2f}x")
    print()
    print(
        f"summary: CCCD full {cccd_full / 1000:.1f} ms = {ratio:.2f}x bare Argon2id "
        f"{bare / 1000:.1f} ms, PC-Covid {pc_ratio:.2f}x (target <= {TARGET_RATIO}x, {verdict}); "
        f"slowest hostile refusal {worst:.2f} ms (target <= {HOSTILE_BUDGET_MS:.0f} ms, "
        f"{hostile_verdict})"
    )
    return 0


def _bind(verifier: Verifier, text: str) -> Call:
    return lambda: verifier.verify(text)


if __name__ == "__main__":
    sys.exit(main())
