"""Benchmark: validating one DCC payload against the vendored EU DCC schema.

Why this exists: `station/verify/schema.py` validates with jsonschema-rs and quotes its speed
against the pure-Python `jsonschema` package; this script is where those figures come from and
where they can be re-checked after a dependency or schema update.  It also times the station's
full `check_schema` (schema + exactly-one-type check + value-set membership), which is what the
verification pipeline actually pays per pass.

Both validators are built once, outside the timing (as the station caches its own), with format
assertion off on both sides: formats are annotations in Draft 2020-12 and the station does not
assert them.  Calls are interleaved one by one in a rotating order so machine noise hits all
rows equally; median and p95 are reported per call.

Run:  .venv/bin/python bench/bench_schema.py [--quick]
It always exits 0: it is a measurement, not a test.
"""

from __future__ import annotations

import platform
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import version

import jsonschema_rs
from jsonschema import Draft202012Validator
from timing import iterations_from_args, measure_rounds, percentiles

from station.issuer.dcc import vaccination_payload
from station.verify.schema import check_schema, load_dcc_schema

FULL_ITERATIONS = 3000
QUICK_ITERATIONS = 300

Call = Callable[[], object]


def measure(
    cases: Sequence[tuple[str, Call]], iterations: int, warmup: int
) -> dict[str, list[int]]:
    """Time every case once per round, rotating the order, for `iterations` rounds."""
    return measure_rounds(cases, iterations, warmup)


def main(argv: Sequence[str] | None = None) -> int:
    iterations, warmup = iterations_from_args(
        __doc__.splitlines()[0], argv, FULL_ITERATIONS, QUICK_ITERATIONS
    )

    schema = load_dcc_schema()
    payload = vaccination_payload()
    rust = jsonschema_rs.validator_for(schema, validate_formats=False)
    python = Draft202012Validator(schema)

    # A benchmark of a failing validation would time an early exit, not the normal path.
    verdicts = {
        "jsonschema-rs": rust.is_valid(payload),
        "jsonschema": python.is_valid(payload),
        "check_schema": check_schema(payload) is None,
    }
    for name, ok in verdicts.items():
        if not ok:
            print(f"warning: {name} rejects the payload; its timing is not of the valid path")

    rows: list[tuple[str, Call]] = [
        ("jsonschema-rs is_valid", lambda: rust.is_valid(payload)),
        ("jsonschema (pure Python) is_valid", lambda: python.is_valid(payload)),
        ("station check_schema (full)", lambda: check_schema(payload)),
    ]
    samples = measure(rows, iterations, warmup)

    print(
        f"Python {platform.python_version()} on {platform.machine()}, "
        f"jsonschema-rs {version('jsonschema-rs')}, jsonschema {version('jsonschema')}"
    )
    print(f"{iterations} interleaved iterations per row after {warmup} warm-up rounds")
    print()
    header = f"{'measurement':<36}{'median µs':>11}{'p95 µs':>11}"
    print(header)
    print("-" * len(header))
    medians: dict[str, float] = {}
    for name, _ in rows:
        median, p95 = percentiles(samples[name])
        medians[name] = median
        print(f"{name:<36}{median:>11.1f}{p95:>11.1f}")

    rs_us = medians["jsonschema-rs is_valid"]
    py_us = medians["jsonschema (pure Python) is_valid"]
    full_us = medians["station check_schema (full)"]
    print()
    print(f"jsonschema-rs is {py_us / rs_us:.0f}x faster than pure-Python jsonschema")
    print(
        f"check_schema adds {full_us - rs_us:.1f} µs to the jsonschema-rs call "
        "(type count + value sets)"
    )
    print()
    print(
        f"summary: jsonschema-rs {rs_us:.1f} µs vs jsonschema {py_us:.0f} µs "
        f"({py_us / rs_us:.0f}x faster); full check_schema {full_us:.1f} µs"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
