"""Operation semantics the official suite leaves untested: date-time parsing and offsets, the
partial dates of `dccDateOfBirth`, strict equality, truthiness, and the errors the spec demands
for operands of the wrong type."""

from __future__ import annotations

import json
from typing import Any

import pytest

from station.rules.certlogic import CertLogicError, evaluate
from station.rules.certlogic_time import DateTimeValue


def plus(date: Any, amount: int = 0, unit: str = "day") -> dict[str, Any]:
    return {"plusTime": [date, amount, unit]}


# --- plusTime and dccDateOfBirth ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "amount", "unit", "expected"),
    [
        # The spec's leap-day table.
        ("2020-02-29", 1, "day", "2020-03-01T00:00:00.000Z"),
        ("2020-02-29", 1, "month", "2020-03-29T00:00:00.000Z"),
        ("2020-02-29", 1, "year", "2021-03-01T00:00:00.000Z"),
        # Month steps keep the day of the month and roll over like JavaScript's setUTCMonth.
        ("2020-01-31", 1, "month", "2020-03-02T00:00:00.000Z"),
        ("2021-03-31", -1, "month", "2021-03-03T00:00:00.000Z"),
        ("2021-11-15", 3, "month", "2022-02-15T00:00:00.000Z"),
        ("2021-01-15", -13, "month", "2019-12-15T00:00:00.000Z"),
        ("2024-02-29", -4, "year", "2020-02-29T00:00:00.000Z"),
        ("2021-06-01T23:30:00Z", 1, "hour", "2021-06-02T00:30:00.000Z"),
        ("2021-03-28T00:00:00Z", 24, "hour", "2021-03-29T00:00:00.000Z"),
        ("2021-06-01", -180, "day", "2020-12-03T00:00:00.000Z"),
        # Offsets apply to the UTC fields of the instant, not to the local ones.
        ("2021-01-31T23:30:00-01:00", 1, "month", "2021-03-01T00:30:00.000Z"),
        # Partial dates resolve like dccDateOfBirth: the last day they allow.
        ("2004", 0, "day", "2004-12-31T00:00:00.000Z"),
        ("2004-02", 0, "day", "2004-02-29T00:00:00.000Z"),
        ("2004-02", 18, "year", "2022-03-01T00:00:00.000Z"),
    ],
)
def test_plus_time_offsets(date: str, amount: int, unit: str, expected: str) -> None:
    result = evaluate(plus(date, amount, unit), None)
    assert isinstance(result, DateTimeValue)
    assert result == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-06-01T12:00:00", "2021-06-01T12:00:00.000Z"),
        ("2021-06-01T12:00:00Z", "2021-06-01T12:00:00.000Z"),
        ("2021-06-01T12:00:00+2", "2021-06-01T10:00:00.000Z"),
        ("2021-06-01T12:00:00+02", "2021-06-01T10:00:00.000Z"),
        ("2021-06-01T12:00:00+200", "2021-06-01T10:00:00.000Z"),
        ("2021-06-01T12:00:00+0230", "2021-06-01T09:30:00.000Z"),
        ("2021-06-01T12:00:00-1:30", "2021-06-01T13:30:00.000Z"),
        ("2021-06-01T12:00:00-01:30", "2021-06-01T13:30:00.000Z"),
        ("2021-06-01T12:00:00.5", "2021-06-01T12:00:00.500Z"),
        ("2021-06-01T12:00:00.123456789Z", "2021-06-01T12:00:00.123Z"),
        ("2021-06-01T12:00:00.9999+01:00", "2021-06-01T11:00:00.999Z"),
        ("2021-06-01T00:30:00+01:00", "2021-05-31T23:30:00.000Z"),
    ],
)
def test_date_time_formats(text: str, expected: str) -> None:
    assert evaluate(plus(text), None) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2021-13-01",
        "2021-02-30",
        "2021-06-00",
        "0000-01-01",
        "2021-6-1",
        "20210601",
        "2021-06-01 12:00:00",
        "2021-06-01T12:00Z",
        "2021-06-01T24:00:00Z",
        "2021-06-01T12:60:00Z",
        "2021-06-01T12:00:60Z",
        "2021-06-01T12:00:00+24:00",
        "2021-06-01T12:00:00+01:60",
        "2021-06-01T12:00:00.Z",
        "2021-06-01T12:00:00z",
        " 2021-06-01",
        "2021-06-01\n",
        "２０２１-06-01",
        "x" * 100_000,
    ],
)
def test_unparseable_dates_raise(text: str) -> None:
    with pytest.raises(CertLogicError):
        evaluate(plus(text), None)


@pytest.mark.parametrize(
    ("dob", "expected"),
    [
        ("2004", "2004-12-31T00:00:00.000Z"),
        ("2004-01", "2004-01-31T00:00:00.000Z"),
        ("2004-02", "2004-02-29T00:00:00.000Z"),
        ("2003-02", "2003-02-28T00:00:00.000Z"),
        ("2004-04", "2004-04-30T00:00:00.000Z"),
        ("2004-12", "2004-12-31T00:00:00.000Z"),
        ("2004-06-15", "2004-06-15T00:00:00.000Z"),
    ],
)
def test_date_of_birth(dob: str, expected: str) -> None:
    assert evaluate({"dccDateOfBirth": [{"var": "dob"}]}, {"dob": dob}) == expected


@pytest.mark.parametrize(
    "dob", ["", "2004-1", "2004-00", "2004-13", "2003-02-29", "2004-06-15T00:00:00Z", None, 2004]
)
def test_date_of_birth_refuses_anything_else(dob: Any) -> None:
    with pytest.raises(CertLogicError):
        evaluate({"dccDateOfBirth": [{"var": "dob"}]}, {"dob": dob})


def test_date_times_are_values_of_their_own() -> None:
    """Only plusTime/dccDateOfBirth make them; they are not strings to the other operations."""
    made = plus("2021-06-01")
    assert json.dumps(evaluate([made], None)) == '["2021-06-01T00:00:00.000Z"]'
    assert evaluate({"===": [made, made]}, None) is False  # JavaScript: distinct Date objects
    assert evaluate({"===": [made, "2021-06-01T00:00:00.000Z"]}, None) is False
    assert evaluate({"in": [made, ["2021-06-01T00:00:00.000Z"]]}, None) is False
    text = "2021-06-01T00:00:00.000Z"
    assert evaluate({"in": [text, [made]]}, None) is False
    assert evaluate({"in": [text, [made, 1, made, text]]}, None) is True
    for invalid in (
        {"!": [made]},
        {"if": [made, 1, 2]},
        {"and": [True, made]},
        {"plusTime": [made, 1, "day"]},
        {"extractFromUVCI": [made, 0]},
        {"dccDateOfBirth": [made]},
        {"<": [made, made]},
        {"+": [made, 1]},
        {"after": [made, "2021-06-01T00:00:00.000Z"]},
        {"before": [made, 1]},
        DateTimeValue(evaluate(made, None).instant),
    ):
        with pytest.raises(CertLogicError):
            evaluate(invalid, None)


@pytest.mark.parametrize(
    ("operator", "expected"),
    [("after", False), ("before", False), ("not-after", True), ("not-before", True)],
)
def test_date_time_comparisons_on_equal_instants(operator: str, expected: bool) -> None:
    same = [plus("2021-06-01T02:00:00+02:00"), plus("2021-06-01")]
    assert evaluate({operator: same}, None) is expected
    assert evaluate({operator: [*same, plus("2021-06-01", 0, "hour")]}, None) is expected


def test_plus_time_amount_and_unit_must_be_literals() -> None:
    data = {"n": 1, "u": "day"}
    for invalid in (
        plus("2021-06-01", {"var": "n"}),
        plus("2021-06-01", 1, {"var": "u"}),
        plus("2021-06-01", True),
        plus("2021-06-01", 1.5),
        plus("2021-06-01", 1, "days"),
        plus("2021-06-01", 1, "minute"),
        {"plusTime": ["2021-06-01", 1]},
        {"plusTime": ["2021-06-01", 1, "day", "extra"]},
    ):
        with pytest.raises(CertLogicError):
            evaluate(invalid, data)
    assert evaluate(plus("2021-06-01", 1.0), None) == "2021-06-02T00:00:00.000Z"


# --- equality, membership, truthiness ---------------------------------------------------------


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        (1, 1, True),
        (1, 1.0, True),  # JSON has one number type
        (1, True, False),
        (0, False, False),
        ("", False, False),
        ("1", 1, False),
        (None, False, False),
        ("a", "a", True),
        (True, True, True),
    ],
)
def test_strict_equality(left: Any, right: Any, expected: bool) -> None:
    data = {"l": left, "r": right}
    assert evaluate({"===": [{"var": "l"}, {"var": "r"}]}, data) is expected
    assert evaluate({"in": [{"var": "l"}, [{"var": "r"}]]}, data) is expected


def test_null_equals_null() -> None:
    assert evaluate({"===": [{"var": "a"}, {"var": "b"}]}, {}) is True


def test_arrays_and_objects_equal_only_themselves() -> None:
    data = {"a": [1], "b": [1], "o": {"k": 1}}
    assert evaluate({"===": [{"var": "a"}, {"var": "a"}]}, data) is True
    assert evaluate({"===": [{"var": "a"}, {"var": "b"}]}, data) is False
    assert evaluate({"===": [[1], [1]]}, data) is False
    assert evaluate({"===": [{"var": "o"}, {"var": "o"}]}, data) is True


def test_in_requires_an_array() -> None:
    for haystack in (None, "abc", {"a": 1}, 1):
        with pytest.raises(CertLogicError, match="must be an array"):
            evaluate({"in": ["a", {"var": "h"}]}, {"h": haystack})
    assert evaluate({"in": [{"var": "n"}, [{"var": "n"}]]}, {}) is True
    with pytest.raises(CertLogicError, match="null"):
        evaluate({"in": [None, [None]]}, None)  # null literals are not CertLogic


@pytest.mark.parametrize(
    ("value", "truthy"),
    [
        (True, True),
        (False, False),
        (None, False),
        ("", False),
        ("0", True),
        (0, False),
        (0.0, False),
        (-3, True),
        ([], False),
        ([0], True),
        ({}, False),
        ({"a": None}, True),
    ],
)
def test_truthiness(value: Any, truthy: bool) -> None:
    data = {"v": value}
    assert evaluate({"!": [{"var": "v"}]}, data) is not truthy
    assert evaluate({"!!": [{"var": "v"}]}, data) is truthy
    assert evaluate({"if": [{"var": "v"}, "then", "else"]}, data) == ("then" if truthy else "else")


@pytest.mark.parametrize("value", [1.5, float("nan"), float("inf")])
def test_non_integer_numbers_are_neither_truthy_nor_falsy(value: float) -> None:
    data = {"v": value}
    for expression in (
        {"!": [{"var": "v"}]},
        {"!!": [{"var": "v"}]},
        {"if": [{"var": "v"}, 1, 2]},
        {"and": [{"var": "v"}, True]},
        {"and": [True, {"var": "v"}]},  # the last operand too, as the spec says
    ):
        with pytest.raises(CertLogicError, match="neither truthy, nor falsy"):
            evaluate(expression, data)


def test_and_is_lazy_and_returns_the_deciding_operand() -> None:
    failing = {"plusTime": ["not a date", 0, "day"]}
    assert evaluate({"and": [0, failing]}, None) == 0
    assert evaluate({"and": [[], failing]}, None) == []
    assert evaluate({"and": ["x", 2, "last"]}, None) == "last"
    with pytest.raises(CertLogicError):
        evaluate({"and": [1, failing]}, None)


# --- integers ---------------------------------------------------------------------------------


def test_plus_and_comparisons_take_integers_only() -> None:
    assert evaluate({"+": [2.0, 3]}, None) == 5
    assert evaluate({"<": [1, 2.0, 3]}, None) is True
    assert evaluate({"+": [2**53 - 2, 1]}, None) == 2**53 - 1
    for invalid in (
        {"+": [True, 1]},
        {"+": ["1", 1]},
        {"+": [None, 1]},
        {"+": [2**53 - 1, 1]},
        {"+": [1, 2, 3]},
        {"<": [True, 2]},
        {"<": [1, None]},
        {"<": ["a", "b"]},
        {"<": [1]},
        {"<": [1, 2, 3, 4]},
        {">=": [{"var": "x"}, 1]},
    ):
        with pytest.raises(CertLogicError):
            evaluate(invalid, {"x": 1.5})


# --- structure ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "expression",
    [
        None,
        1.5,
        {},
        {"var": "x", "if": [1, 2, 3]},
        {"var": 0},
        {"var": ["x"]},
        {"if": "x"},
        {"if": []},
        {"if": [True, 1]},
        {"if": [True, 1, 2, 3]},
        {"===": [1]},
        {"and": [True]},
        {"!": [True, False]},
        {"reduce": [[], 0]},
        {"extractFromUVCI": ["x"]},
        {"extractFromUVCI": ["x", {"var": "i"}]},
        {"dccDateOfBirth": ["2004", "2005"]},
        {"all": [[1], True]},
        {"or": [True, False]},
        {"VAR": "x"},
    ],
    ids=lambda e: json.dumps(e)[:40],
)
def test_invalid_expressions_raise(expression: Any) -> None:
    with pytest.raises(CertLogicError):
        evaluate(expression, {"x": 1, "i": 0})


@pytest.mark.parametrize(
    ("path", "data", "expected"),
    [
        ("a.1", {"a": [0, 1]}, 1),
        ("a.01", {"a": [0, 1]}, 1),  # parseInt semantics, as in the reference
        ("a.-1", {"a": [0, 1]}, None),
        ("a.2", {"a": [0, 1]}, None),
        ("a." + "9" * 5000, {"a": [0, 1]}, None),
        ("a.length", {"a": [0, 1]}, None),
        ("a.1", {"a": {"1": "one"}}, "one"),
        ("a.0", {"a": "text"}, None),
        ("a.b", {"a": 3}, None),
        ("a.", {"a": {"": "empty key"}}, "empty key"),
        ("a.b", {"a": {"b": False}}, False),
        ("a.b", {"a": {"b": 0}}, 0),
    ],
)
def test_var_paths(path: str, data: Any, expected: Any) -> None:
    assert evaluate({"var": path}, data) == expected


def test_reduce() -> None:
    count_ones = {
        "reduce": [
            {"var": "xs"},
            {"+": [{"var": "accumulator"}, {"if": [{"===": [{"var": "current"}, 1]}, 1, 0]}]},
            0,
        ]
    }
    assert evaluate(count_ones, {"xs": [1, 2, 1, 1]}) == 3
    assert evaluate(count_ones, {"xs": None}) == 0
    assert evaluate(count_ones, {}) == 0
    with pytest.raises(CertLogicError, match="array or null"):
        evaluate(count_ones, {"xs": {"a": 1}})
    # The lambda sees only accumulator and current, not the outer data.
    outer = {"reduce": [{"var": "xs"}, {"var": "z"}, 5]}
    assert evaluate(outer, {"xs": [1], "z": 7}) is None


def test_extract_from_uvci() -> None:
    uvci = "URN:UVCI:01:NL:187/37512422923"
    expression = {"extractFromUVCI": [{"var": "u"}, 1]}
    assert evaluate(expression, {"u": uvci}) == "NL"
    assert evaluate({"extractFromUVCI": [uvci, 10**30]}, None) is None
    assert evaluate({"extractFromUVCI": [uvci, 3.0]}, None) == "37512422923"
    with pytest.raises(CertLogicError, match="string or null"):
        evaluate(expression, {"u": 42})
