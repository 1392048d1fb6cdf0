"""Hostile rules and data: rules arrive by sync, so the evaluator must end every bad input in a
`CertLogicError`, quickly, and never in another exception (RecursionError, OverflowError, ...)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from station.rules.certlogic import MAX_DEPTH, OPERATORS, CertLogicError, evaluate
from station.rules.certlogic_validate import validate

#: Generous wall-clock bound for "refused quickly" on a slow CI machine or a Raspberry Pi.
QUICK_SECONDS = 2.0
BACKSTOP = "could not be evaluated"

PROPERTY = settings(
    derandomize=True,
    max_examples=400,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def refused_quickly(expression: Any, data: Any = None, match: str | None = None) -> CertLogicError:
    start = time.perf_counter()
    with pytest.raises(CertLogicError, match=match) as caught:
        evaluate(expression, data)
    assert time.perf_counter() - start < QUICK_SECONDS
    assert BACKSTOP not in str(caught.value), "a specific check should have caught this"
    return caught.value


def nested(depth: int, leaf: Any, wrap: str = "!") -> Any:
    expression = leaf
    for _ in range(depth):
        expression = {wrap: [expression]} if wrap else [expression]
    return expression


# --- size and depth ---------------------------------------------------------------------------


@pytest.mark.parametrize("wrap", ["!", "!!", ""], ids=["not", "double-not", "array"])
def test_deep_nesting_is_refused_without_recursing(wrap: str) -> None:
    refused_quickly(nested(200_000, True, wrap), match="nested deeper")


def test_nesting_up_to_the_limit_evaluates() -> None:
    expression = nested(MAX_DEPTH, {"var": "x"})  # MAX_DEPTH operations, then a data access
    assert evaluate(expression, {"x": 1}) is True  # an even number of negations of 1
    refused_quickly([expression], {"x": 1}, match="nested deeper")


def test_huge_literal_is_refused() -> None:
    refused_quickly({"in": ["x", list(range(2_000_000))]}, match="limit")


def test_large_but_reasonable_literal_evaluates() -> None:
    value_set = [f"code-{i}" for i in range(20_000)]
    assert evaluate({"in": ["code-19999", value_set]}, None) is True


def test_nested_reduce_is_bounded() -> None:
    inner = list(range(2_000))
    count = {"+": [{"var": "accumulator"}, 1]}
    per_list = {"reduce": [{"var": "current"}, count, 0]}
    expression = {"reduce": [{"var": "xs"}, {"+": [{"var": "accumulator"}, per_list]}, 0]}
    assert evaluate(expression, {"xs": [inner] * 3}) == 6_000
    refused_quickly(expression, {"xs": [inner] * 2_000}, match="limit")


def test_membership_in_huge_data_array_is_bounded() -> None:
    big = list(range(5_000_000))
    refused_quickly({"in": [-1, {"var": "big"}]}, {"big": big}, match="limit")


def test_very_long_paths_are_bounded() -> None:
    refused_quickly({"var": "a." * 1_000_000}, {"a": {}}, match="limit")


# --- unknown or malformed operations ------------------------------------------------------------


@pytest.mark.parametrize(
    "expression",
    [
        {"eval": ["1 + 1"]},
        {"__class__": [1]},
        {"": [1]},
        {"var ": "x"},
        {1: [1]},
        {(1, 2): [1]},
        {None: [1]},
    ],
    ids=repr,
)
def test_unknown_operators(expression: Any) -> None:
    refused_quickly(expression, match="unrecognised operator")


ABSURD_AMOUNTS = {
    "1e30": 10**30,
    "-1e30": -(10**30),
    "1e4000": 10**4000,
    "2^63": 2**63,
    "-2^63": -(2**63),
    "2^31": 2**31,
    "-2^31": -(2**31),
    "999999999": 999_999_999,
}


@pytest.mark.parametrize("amount", ABSURD_AMOUNTS.values(), ids=ABSURD_AMOUNTS.keys())
@pytest.mark.parametrize("unit", ["year", "month", "day", "hour"])
def test_plus_time_with_absurd_amounts(amount: int, unit: str) -> None:
    refused_quickly({"plusTime": ["2021-06-01T00:00:00Z", amount, unit]}, match="range")


def test_plus_time_at_the_edges_of_the_range() -> None:
    assert evaluate({"plusTime": ["9999-12", 23, "hour"]}, None) == "9999-12-31T23:00:00.000Z"
    assert evaluate({"plusTime": ["0001-01-01", 0, "day"]}, None) == "0001-01-01T00:00:00.000Z"
    refused_quickly({"plusTime": ["9999-12-31T23:00:00Z", 1, "hour"]}, match="range")
    refused_quickly({"plusTime": ["9999-12-31", 1, "month"]}, match="range")
    refused_quickly({"plusTime": ["0001-01-01", -1, "day"]}, match="range")
    refused_quickly({"plusTime": ["0001-01-01T00:00:00+01:00", 0, "day"]})


@pytest.mark.parametrize(
    "expression",
    [
        (1, 2),
        {1, 2},
        frozenset(),
        b"bytes",
        bytearray(b"x"),
        object(),
        1.5,
        float("nan"),
        float("inf"),
        complex(1, 0),
        [1, [2, (3,)]],
        {"!": [{"var": "x"}, ()]},
        {"if": (True, 1, 2)},
        {"var": b"x"},
    ],
    ids=repr,
)
def test_non_json_expressions(expression: Any) -> None:
    refused_quickly(expression, {"x": 1})


# --- hostile data ---------------------------------------------------------------------------------


class Sneaky:
    """An object no JSON parser produces, whose comparisons and length blow up."""

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("boom")

    __hash__ = object.__hash__

    def __len__(self) -> int:
        raise RuntimeError("boom")


class ExplodingDict(dict[str, Any]):
    def get(self, key: Any, default: Any = None) -> Any:
        raise RuntimeError("boom")

    def __iter__(self) -> Iterator[str]:
        raise RuntimeError("boom")


def test_non_json_data_values_are_refused_where_used() -> None:
    data = {"s": Sneaky(), "t": (1, 2), "b": b"x"}
    assert evaluate({"===": [{"var": "s"}, 1]}, data) is False  # never calls Sneaky.__eq__
    assert evaluate({"in": [{"var": "s"}, [1, "a"]]}, data) is False
    for expression in (
        {"!": [{"var": "s"}]},
        {"!": [{"var": "b"}]},
        {"in": [1, {"var": "t"}]},
        {"reduce": [{"var": "t"}, 0, 0]},
        {"plusTime": [{"var": "b"}, 0, "day"]},
        {"+": [{"var": "s"}, 1]},
    ):
        refused_quickly(expression, data)


def test_misbehaving_containers_in_data_end_in_certlogic_error() -> None:
    with pytest.raises(CertLogicError, match=BACKSTOP) as caught:
        evaluate({"var": "a.b"}, {"a": ExplodingDict(b=1)})
    assert isinstance(caught.value.__cause__, RuntimeError)


# --- fuzzing --------------------------------------------------------------------------------------

LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(),
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            "x",
            "x.0",
            "payload.v.0.dt",
            "2021-06-01",
            "2004",
            "2004-02",
            "2021-06-01T12:00:00+02:00",
            "URN:UVCI:01:NL:187/37512422923",
            "year",
            "month",
            "day",
            "hour",
        ]
    ),
)
OPERATOR_NAMES = st.sampled_from(sorted(OPERATORS | {"all", "or", "map"}))


def _operations(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.lists(children, max_size=4),
        st.builds(
            lambda op, args: {op: args},
            OPERATOR_NAMES,
            st.one_of(st.lists(children, max_size=4), children),
        ),
    )


EXPRESSIONS = st.recursive(LEAVES, _operations, max_leaves=30)
DATA = st.recursive(
    LEAVES,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.sampled_from(["x", "0", "payload", "v", "dt"]), children, max_size=4),
    ),
    max_leaves=20,
)


@PROPERTY
@given(expression=EXPRESSIONS, data=DATA)
def test_any_json_gives_a_value_or_a_specific_certlogic_error(expression: Any, data: Any) -> None:
    try:
        evaluate(expression, data)
    except CertLogicError as exc:
        assert BACKSTOP not in str(exc), repr(exc.__cause__)
    assert isinstance(validate(expression), list)
