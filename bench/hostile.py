"""Hostile-input helpers the family benchmarks share: check each verdict, time the worst case.

A family's bar for bad input is "INVALID with its reason, within 50 ms": the verdict is checked
before anything is timed, so a fast wrong answer never counts as a pass.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from station.verify.verifier import Verifier


def check_hostile(verifier: Verifier, cases: Sequence[tuple[str, str, str]]) -> list[str]:
    """Names of (name, text, reason) cases whose verdict is not INVALID with that reason among
    its failed checks, each with what was found instead."""
    wrong = []
    for name, text, reason in cases:
        result = verifier.verify(text)
        codes = [str(c.code) for c in result.failed_checks]
        if result.status != "INVALID" or reason not in codes:
            wrong.append(f"{name}: {result.status} {codes}")
    return wrong


def time_hostile(
    verifier: Verifier, inputs: Sequence[tuple[str, str]], runs: int = 20
) -> list[tuple[str, str, float]]:
    """(label, status/reason, worst ms over `runs`) per (label, text) input."""
    rows = []
    for label, text in inputs:
        worst = 0.0
        for _ in range(runs):
            start = time.perf_counter()
            result = verifier.verify(text)
            worst = max(worst, (time.perf_counter() - start) * 1000)
        rows.append((label, f"{result.status}/{result.reason}", worst))
    return rows
