"""The official CertLogic validation test suite against `station.rules.certlogic_validate`.

Each case lists the issues the reference validator reports, as (sub-expression, message)
pairs; ours must report exactly those, in order.  Cases marked `"directive": "skip"` by the
suite would be collected as skipped; the published suite has none.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from station.rules.certlogic import MAX_DEPTH
from station.rules.certlogic_validate import find_issues, validate

SUITE_DIR = Path(__file__).resolve().parents[1] / "vectors" / "certlogic" / "validation-testSuite"
SUITE_FILES = sorted(SUITE_DIR.glob("*.json"))


def _same_json(left: Any, right: Any) -> bool:
    """Equality that, unlike Python's, tells `false` from `0` and `42.0` from `42`."""
    if isinstance(left, bool) or isinstance(right, bool):
        return left is right
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(_same_json, left, right))
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(_same_json(left[k], right[k]) for k in left)
    return type(left) is type(right) and left == right


def _cases() -> list[Any]:
    params = []
    for path in SUITE_FILES:
        suite = json.loads(path.read_text(encoding="utf-8"))
        for no, case in enumerate(suite["cases"]):
            skipped = "skip" in (suite.get("directive"), case.get("directive"))
            shown = json.dumps(case["certLogicExpression"], separators=(",", ":"))
            params.append(
                pytest.param(
                    case["certLogicExpression"],
                    case["issues"],
                    id=f"{path.stem}/{no:02d}-{case.get('name', shown)}",
                    marks=[pytest.mark.skip(reason="marked 'skip' by the suite")]
                    if skipped
                    else [],
                )
            )
    return params


CASES = _cases()


@pytest.mark.parametrize(("expression", "expected"), CASES)
def test_validation_case(expression: Any, expected: list[dict[str, Any]]) -> None:
    found = [{"expr": issue.expr, "message": issue.message} for issue in find_issues(expression)]
    assert _same_json(found, expected), f"expected {expected!r}, got {found!r}"
    assert validate(expression) == [issue["message"] for issue in expected]


def test_the_whole_suite_is_collected() -> None:
    assert len(SUITE_FILES) == 4
    assert len(CASES) == 23


# --- beyond the suite: operations the suite does not cover ------------------------------------


VALID = [
    {"dccDateOfBirth": [{"var": "payload.dob"}]},
    {"!!": [{"var": "payload.v.0"}]},
    {"plusTime": [{"var": "payload.v.0.dt"}, -18, "year"]},
    {"extractFromUVCI": [{"var": "payload.v.0.ci"}, 1]},
    {"reduce": [{"var": "xs"}, {"+": [{"var": "accumulator"}, 1]}, 0]},
    {"<": [1, {"var": "n"}, 3]},
    {"and": [True, {"in": ["a", ["a", "b"]]}, 42.0]},
]


@pytest.mark.parametrize("expression", VALID, ids=lambda e: next(iter(e)))
def test_valid_expressions_have_no_issues(expression: Any) -> None:
    assert validate(expression) == []


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ({"if": [True, 1]}, 'an "if"-operation must have exactly 3 values/operands, but it has 2'),
        ({"and": [True]}, 'an "and" operation must have at least 2 operands, but it has 1'),
        ({"===": [1]}, 'an operation with operator "===" must have 2 operands, but it has 1'),
        ({"<": [1, 2, 3, 4]}, 'an operation with operator "<" must have 2 or 3 operands'),
        ({"!": []}, "a !-operation (logical not/negation) must have exactly 1 operand"),
        ({"plusTime": ["2021-01-01", 1.5, "day"]}, '"amount" argument (#2) of "plusTime"'),
        ({"plusTime": ["2021-01-01", 1, "week"]}, "but it is: week"),
        ({"extractFromUVCI": ["x", "1"]}, '"index" argument (#2) of "extractFromUVCI"'),
        ({"dccDateOfBirth": []}, 'a "dccDateOfBirth"-operation must have exactly 1 value/operand'),
        ({"reduce": [[], 0]}, 'a "reduce"-operation must have exactly 3 values/operands'),
        ({"var": "a..b"}, "data access path doesn't have a valid format: a..b"),
        ({"in": ["a", [1.5]]}, "1.5 is a non-integer number"),
        ((1, 2), "invalid CertLogic expression"),
    ],
    ids=lambda value: "" if isinstance(value, str) else json.dumps(value)[:40],
)
def test_invalid_expressions_are_reported(expression: Any, message: str) -> None:
    assert any(message in problem for problem in validate(expression)), validate(expression)


def test_nested_operands_are_all_checked() -> None:
    expression = {"and": [{"var": "x."}, {"if": [{"foo": []}, 1.5, {"var": 0}]}]}
    assert validate(expression) == [
        "data access path doesn't have a valid format: x.",
        'unrecognised operator: "foo"',
        "1.5 is a non-integer number",
        'not of the form { "var": "<path>" }',
    ]


def test_deep_nesting_is_reported_not_recursed() -> None:
    expression: Any = True
    for _ in range(100_000):
        expression = {"!": [expression]}
    assert validate(expression) == [f"expression is nested deeper than {MAX_DEPTH} levels"]


def test_nesting_up_to_the_limit_is_valid() -> None:
    expression: Any = {"var": "x"}
    for _ in range(MAX_DEPTH):
        expression = {"!": [expression]}
    assert validate(expression) == []
    assert validate([expression]) == [f"expression is nested deeper than {MAX_DEPTH} levels"]
