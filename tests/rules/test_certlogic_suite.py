"""The official CertLogic evaluator test suite, every assertion, against `station.rules.certlogic`.

The suite is the contract the EU rule authors test against, so the bar is all of it.  Assertions
the suite itself marks `"directive": "skip"` (on the file, the case or the assertion) are
collected as skipped, with the reason: they describe behaviour the specification does not
require (`in` on a null right-hand side, and a `reduce` that also passes the outer data).  The
`"only"` directive is a focusing aid for the suite's authors, not a statement about behaviour,
so it does not deselect anything here.  No assertion in the suite expects an error.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from station.rules.certlogic import evaluate
from station.rules.certlogic_validate import validate

SUITE_DIR = Path(__file__).resolve().parents[1] / "vectors" / "certlogic" / "testSuite"
SUITE_FILES = sorted(SUITE_DIR.glob("*.json"))


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower() or "case"


def _same_json(left: Any, right: Any) -> bool:
    """Equality that, unlike Python's, tells `false` from `0` and `true` from `1`."""
    if isinstance(left, bool) or isinstance(right, bool):
        return left is right
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(_same_json, left, right))
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(_same_json(left[k], right[k]) for k in left)
    return type(left) is type(right) and left == right


def _assertions() -> list[Any]:
    params = []
    for path in SUITE_FILES:
        suite = json.loads(path.read_text(encoding="utf-8"))
        for case_no, case in enumerate(suite["cases"]):
            for no, assertion in enumerate(case["assertions"]):
                expression = assertion.get("certLogicExpression", case.get("certLogicExpression"))
                skipped = "skip" in (
                    suite.get("directive"),
                    case.get("directive"),
                    assertion.get("directive"),
                )
                marks = [pytest.mark.skip(reason="marked 'skip' by the suite")] if skipped else []
                params.append(
                    pytest.param(
                        expression,
                        assertion["data"],
                        assertion["expected"],
                        assertion.get("message", ""),
                        id=f"{path.stem}/{case_no:02d}-{_slug(case['name'])}/{no}",
                        marks=marks,
                    )
                )
    return params


ASSERTIONS = _assertions()


@pytest.mark.parametrize(("expression", "data", "expected", "message"), ASSERTIONS)
def test_assertion(expression: Any, data: Any, expected: Any, message: str) -> None:
    result = evaluate(expression, data)
    assert _same_json(result, expected), (
        f"{message or 'assertion'}: expected {expected!r}, got {result!r}"
    )


def test_the_whole_suite_is_collected() -> None:
    """Guards against a path or format change silently collecting nothing."""
    skipped = [p for p in ASSERTIONS if p.marks]
    assert len(SUITE_FILES) == 14
    assert len(ASSERTIONS) == 232
    assert len(skipped) == 14


@pytest.mark.parametrize("path", SUITE_FILES, ids=lambda path: path.stem)
def test_every_suite_expression_is_valid(path: Path) -> None:
    """The suite's expressions are valid CertLogic, so the validator must not flag any."""
    suite = json.loads(path.read_text(encoding="utf-8"))
    for case in suite["cases"]:
        expressions = [case.get("certLogicExpression")] + [
            a.get("certLogicExpression") for a in case["assertions"]
        ]
        for expression in expressions:
            if expression is not None:
                assert validate(expression) == [], expression
