"""The interleaved timing loop the benchmark scripts share.

Every case is timed once per round with the order rotated between rounds, so machine noise
(another process, frequency changes) hits all cases alike and ratios stay fair.
"""

from __future__ import annotations

import argparse
import math
import statistics
import time
from collections.abc import Callable, Sequence

Call = Callable[[], object]


def measure_rounds(
    cases: Sequence[tuple[str, Call]], iterations: int, warmup: int
) -> dict[str, list[int]]:
    """Nanosecond samples per case name: `iterations` rotating rounds after `warmup` rounds."""
    samples: dict[str, list[int]] = {name: [] for name, _ in cases}
    pairs = [(samples[name].append, fn) for name, fn in cases]
    rotations = [pairs[i:] + pairs[:i] for i in range(len(pairs))]
    for _ in range(warmup):
        for _, fn in pairs:
            fn()
    clock = time.perf_counter_ns
    for i in range(iterations):
        for record, fn in rotations[i % len(rotations)]:
            start = clock()
            fn()
            record(clock() - start)
    return samples


def percentiles(samples: Sequence[int]) -> tuple[float, float]:
    """Median and nearest-rank p95, in microseconds."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(0.95 * len(ordered)))
    return statistics.median(ordered) / 1000, ordered[rank - 1] / 1000


def iterations_from_args(
    description: str, argv: Sequence[str] | None, full: int, quick: int
) -> tuple[int, int]:
    """(iterations, warm-up rounds) from the common `--quick` command-line flag."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--quick", action="store_true", help=f"{quick} iterations instead of {full}"
    )
    iterations = quick if parser.parse_args(argv).quick else full
    return iterations, max(30, iterations // 10)
