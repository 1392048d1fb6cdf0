"""Benchmark: evaluating a country's CertLogic acceptance rules on one DCC payload.

Why this exists: every scanned pass is checked against the business rules of the country the
station serves, so the rule engine sits on the per-scan path next to signature verification.
The budget is **at most 1 ms for a full rule set** of a realistic size (10-20 rules) on one
payload; this script measures that, and shows per rule where the time goes.

Why it is built this way:
- the rule set (`bench/data/certlogic-rules.json`) is modelled on the EU template rules: value-set
  membership with `in` against `external.valueSets`, dose counts, days since the last dose with
  `plusTime`, test validity in hours, recovery windows, a minor exemption with `dccDateOfBirth`,
  a `reduce` and an `extractFromUVCI`;
- the data context is the one the EU validation model defines (`payload` plus `external` with
  the validation clock and the value sets, loaded from the station's vendored EU value sets);
- the payload takes the path where every rule passes (an early failure would be cheaper), and
  the script says so if that stops being true;
- rows are timed one call at a time, interleaved in a rotating order (see `timing.py`), and
  reported as median and p95; static validation is timed too, for information only, since it
  runs once per rule sync rather than per scan.

Run:  .venv/bin/python bench/bench_certlogic.py [--quick]
It always exits 0: it is a measurement, not a test.
"""

from __future__ import annotations

import json
import platform
import sys
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from timing import iterations_from_args, measure_rounds, percentiles

from station.issuer.dcc import vaccination_payload
from station.rules.certlogic import CertLogicError, evaluate
from station.rules.certlogic_validate import validate

FULL_ITERATIONS = 3000
QUICK_ITERATIONS = 300
TARGET_US = 1000.0
RULES_FILE = Path(__file__).resolve().parent / "data" / "certlogic-rules.json"
VALUE_SET_DIR = "data/eu-dcc-valuesets"
#: Inside the validity of every rule for the default payload (2nd of 2 doses on 2021-11-02).
VALIDATION_CLOCK = "2022-03-01T10:00:00Z"

Call = Callable[[], object]


def value_sets() -> dict[str, list[str]]:
    """valueSetId → codes, as the EU rules see them under `external.valueSets`."""
    found: dict[str, list[str]] = {}
    for entry in resources.files("station").joinpath(VALUE_SET_DIR).iterdir():
        if entry.name.endswith(".json"):
            document = json.loads(entry.read_text(encoding="utf-8"))
            found[document["valueSetId"]] = sorted(document.get("valueSetValues", {}))
    return found


def data_context(payload: dict[str, Any]) -> dict[str, Any]:
    """The evaluation data of the EU validation model for one payload."""
    return {
        "payload": payload,
        "external": {
            "validationClock": VALIDATION_CLOCK,
            "valueSets": value_sets(),
            "countryCode": "XX",
            "exp": "2022-11-01T00:00:00Z",
            "iat": "2021-11-03T09:00:00Z",
        },
    }


def sanity_check(rules: Sequence[dict[str, Any]], data: dict[str, Any]) -> None:
    """Warn when a rule is invalid or does not pass: the timings would not be of the full path."""
    for rule in rules:
        problems = validate(rule["Logic"])
        if problems:
            print(f"warning: {rule['Identifier']} is not valid CertLogic: {problems}")
        try:
            result = evaluate(rule["Logic"], data)
        except CertLogicError as exc:
            result = f"error: {exc}"
        if result is not True:
            print(f"warning: {rule['Identifier']} gives {result!r}, not true, on this payload")


def main(argv: Sequence[str] | None = None) -> int:
    iterations, warmup = iterations_from_args(
        __doc__.splitlines()[0], argv, FULL_ITERATIONS, QUICK_ITERATIONS
    )
    rules: list[dict[str, Any]] = json.loads(RULES_FILE.read_text(encoding="utf-8"))["rules"]
    data = data_context(vaccination_payload())
    sanity_check(rules, data)
    logics = [rule["Logic"] for rule in rules]

    def rule_set() -> object:
        return [evaluate(logic, data) for logic in logics]

    full_row = f"full rule set ({len(rules)} rules)"
    rule_rows: list[tuple[str, Call]] = [
        (rule["Identifier"], lambda logic=rule["Logic"]: evaluate(logic, data)) for rule in rules
    ]
    validate_row = "validate rule set (per sync)"
    overhead_row = "timer + call overhead"
    rows: list[tuple[str, Call]] = [
        (full_row, rule_set),
        *rule_rows,
        (validate_row, lambda: [validate(logic) for logic in logics]),
        (overhead_row, lambda: None),
    ]
    samples = measure_rounds(rows, iterations, warmup)

    print(f"Python {platform.python_version()} on {platform.machine()}")
    print(
        f"{iterations} interleaved iterations per row after {warmup} warm-up rounds; "
        f"{len(rules)} rules from {RULES_FILE.name}, one vaccination payload, "
        f"validation clock {VALIDATION_CLOCK}"
    )
    print()
    header = f"{'measurement':<34}{'median µs':>11}{'p95 µs':>11}"
    print(header)
    print("-" * len(header))
    full_median, full_p95 = percentiles(samples[full_row])
    print(f"{full_row:<34}{full_median:>11.1f}{full_p95:>11.1f}")
    print("by rule:")
    per_rule = 0.0
    for name, _ in rule_rows:
        median, p95 = percentiles(samples[name])
        per_rule += median
        print(f"  {name:<32}{median:>11.1f}{p95:>11.1f}")
    for name in (validate_row, overhead_row):
        median, p95 = percentiles(samples[name])
        print(f"{name:<34}{median:>11.1f}{p95:>11.1f}")

    verdict = "met" if full_median <= TARGET_US else "MISSED"
    print()
    mean = full_median / len(rules)
    print(f"sum of per-rule medians: {per_rule:.1f} µs; mean per rule {mean:.1f} µs")
    print()
    print(
        f"summary: {len(rules)} rules in {full_median:.0f} µs median (p95 {full_p95:.0f} µs) "
        f"per payload, target <= {TARGET_US:.0f} µs: {verdict}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
