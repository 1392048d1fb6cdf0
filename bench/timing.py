"""The interleaved timing loop the benchmark scripts share.

Every case is timed once per round with the order rotated between rounds, so machine noise
(another process, frequency changes) hits all cases alike and ratios stay fair.
"""

from __future__ import annotations

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
