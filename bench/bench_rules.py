"""Benchmark: running a whole business-rule profile on one DCC payload.

Why this exists: `bench_certlogic.py` times the CertLogic evaluator alone; a station runs a
profile, which adds rule selection (country, type, validity, highest version), the compatibility
checks and the outcome.  This script times `Profile.check` end to end for every shipped profile
on the pass type each one is mostly fed, with the same budget: **at most 1 ms per pass**.

Why it is built this way:
- the clock and payloads are those of tests/rules/test_profiles.py, on the path where every
  selected rule passes (a failure is no cheaper to select, only to evaluate), and the script says
  so if that stops being true;
- external parameters (with the vendored value sets) are built once, as a station does at
  start-up; building them per pass is timed separately, for information;
- rows are timed one call at a time, interleaved in a rotating order (see `timing.py`), and
  reported as median and p95.

Run:  .venv/bin/python bench/bench_rules.py [--quick]
It always exits 0: it is a measurement, not a test.
"""

from __future__ import annotations

import functools
import platform
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from timing import iterations_from_args, measure_rounds, percentiles

from station.issuer.dcc import test_payload, vaccination_payload
from station.reasons import Status
from station.rules.profiles import Profile, profile_by_name
from station.rules.runner import load_value_sets

FULL_ITERATIONS = 3000
QUICK_ITERATIONS = 300
TARGET_US = 1000.0
AT_VN = datetime(2022, 1, 14, 3, 0, tzinfo=UTC)
AT_EU = datetime(2022, 4, 1, 12, 0, tzinfo=UTC)

Call = Callable[[], object]


def vaccinated(at: datetime) -> dict[str, Any]:
    return vaccination_payload(date=(at - timedelta(days=40)).date().isoformat())


def tested(at: datetime) -> dict[str, Any]:
    payload = test_payload()
    sampled = (at - timedelta(hours=10)).strftime("%Y-%m-%dT%H:%M:%SZ")
    payload["t"][0].update({"tt": "LP6464-4", "sc": sampled})
    return payload


CASES = [
    ("checkpoint", "vaccination", vaccinated(AT_VN), AT_VN),
    ("checkpoint", "test", tested(AT_VN), AT_VN),
    ("hospital-visitor", "test", tested(AT_VN), AT_VN),
    ("venue", "vaccination", vaccinated(AT_VN), AT_VN),
    ("eu-arrival", "vaccination", vaccinated(AT_EU), AT_EU),
]


def rows() -> list[tuple[str, Call, int]]:
    value_sets = load_value_sets()
    built: list[tuple[str, Call, int]] = []
    for name, kind, payload, at in CASES:
        profile: Profile = profile_by_name(name)
        external = profile.external(at, value_sets=value_sets)
        outcome = profile.check(payload, external)
        if outcome.status is not Status.VALID:
            print(f"warning: {name} on a {kind} pass gives {outcome.status}, not VALID")
        call = functools.partial(profile.check, payload, external)
        built.append((f"{name} / {kind}", call, len(outcome.results)))
    return built


def main(argv: Sequence[str] | None = None) -> int:
    iterations, warmup = iterations_from_args(
        __doc__.splitlines()[0], argv, FULL_ITERATIONS, QUICK_ITERATIONS
    )
    cases = rows()
    checkpoint = profile_by_name("checkpoint")
    external_row = "build external parameters (per pass)"
    timed: list[tuple[str, Call]] = [(name, call) for name, call, _ in cases]
    timed.append((external_row, lambda: checkpoint.external(AT_VN)))
    samples = measure_rounds(timed, iterations, warmup)

    print(f"Python {platform.python_version()} on {platform.machine()}")
    print(f"{iterations} interleaved iterations per row after {warmup} warm-up rounds")
    print()
    header = f"{'profile / pass':<36}{'rules run':>10}{'median µs':>11}{'p95 µs':>11}"
    print(header)
    print("-" * len(header))
    worst = 0.0
    for name, _, selected in cases:
        median, p95 = percentiles(samples[name])
        worst = max(worst, median)
        print(f"{name:<36}{selected:>10}{median:>11.1f}{p95:>11.1f}")
    median, p95 = percentiles(samples[external_row])
    print(f"{external_row:<36}{'':>10}{median:>11.1f}{p95:>11.1f}")
    verdict = "met" if worst <= TARGET_US else "MISSED"
    print()
    print(
        f"summary: slowest profile {worst:.0f} µs median per pass, "
        f"target <= {TARGET_US:.0f} µs: {verdict}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
