"""Running a family's decoding stages in order, one `Check` per stage.

Every family decodes in steps (prefix, transport encoding, container, payload) where each step
needs the one before: the first failure stops decoding, because nothing after it can be read.
The validation checks that follow run independently (see each family's module).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from station.errors import Reject
from station.model import Check

Stage = tuple[str, Callable[[Any], Any]]


class _Failed:
    """Marks that a stage failed (a stage may legitimately return None)."""


FAILED = _Failed()


def run_stages(value: Any, stages: Sequence[Stage], checks: list[Check]) -> Any:
    """Feed `value` through `stages`, appending a check per stage; `FAILED` at the first
    `Reject` (its reason becomes that stage's failed check), else the last stage's output."""
    for name, stage in stages:
        try:
            value = stage(value)
        except Reject as exc:
            checks.append(Check.failed(name, exc.reason, exc.detail))
            return FAILED
        checks.append(Check.passed(name))
    return value
