"""CertLogic evaluator (specification 1.3.2), the JsonLogic subset EU DCC business rules use.

Rules reach the station through trust-list sync, so the evaluator has two jobs: agree with the
reference implementation on every valid rule (a rule that accepts a pass there must accept it
here), and never let a malformed or hostile rule stall or crash the station.  Hence:

- anything outside the spec (unknown operator, wrong arity, a non-integer where an integer is
  required, an operand of the wrong type) raises `CertLogicError`, and no other exception ever
  leaves `evaluate`; the caller treats an error as "rule not passed";
- nesting is capped at `MAX_DEPTH` levels and the total work of one evaluation at `MAX_STEPS`
  steps, so neither deep nesting nor `reduce` inside `reduce` can exhaust the stack or the CPU.

Where the spec leaves room, we follow the reference (JavaScript) implementation, and say so:

- `===` and `in` compare without coercion: strings, numbers, booleans and null by value; arrays,
  objects and date-times only equal themselves (the very same data value).  That is JavaScript's
  `===`, which the published rules were tested with, and it stays O(1) on hostile nested data.
- JSON does not tell 2 from 2.0, so an integral float counts as an integer; other floats are not
  integers, and (per the spec's lists) neither truthy nor falsy.
- `and` requires *every* operand it evaluates to be truthy or falsy, the last one included: the
  spec says so, although the reference does not check the last operand.
- `+` refuses results beyond ±(2**53 - 1), the integers every implementation represents exactly.
- `!!` is JsonLogic's double negation; CertLogic 1.3.2 does not list it, but it is accepted for
  rules that use it, with the same truthy/falsy strictness as `!`.
- The `reduce` lambda sees `{"accumulator", "current"}` only; the `"data"` key the spec mentions
  is a possible future extension, not part of 1.3.2.
"""

from __future__ import annotations

import operator as _operator
from collections.abc import Callable
from datetime import datetime
from typing import TypeAlias

from station.errors import StationError
from station.rules.certlogic_time import (
    TIME_UNITS,
    DateTimeValue,
    date_of_birth,
    parse_date_time,
    plus_time,
)
from station.rules.certlogic_values import (
    MAX_SAFE_INTEGER,
    as_integer,
    contains_text,
    describe_value,
    strictly_equal,
    truthiness,
    uvci_fragment,
)

JsonValue: TypeAlias = "None | bool | int | float | str | list[JsonValue] | dict[str, JsonValue]"

#: Deepest nesting of operations and arrays an expression may have.  Real rules stay below 15.
MAX_DEPTH = 64
#: Evaluation steps (nodes evaluated, array items searched, path fragments followed) allowed per
#: `evaluate` call; a real rule set needs a few hundred per rule.
MAX_STEPS = 200_000


class CertLogicError(StationError):
    """An expression is invalid or does not fit the data; the rule counts as not passed."""


class _Budget:
    """Steps left in one evaluation; the bound that makes hostile `reduce` nests terminate."""

    __slots__ = ("left",)

    def __init__(self, steps: int) -> None:
        self.left = steps

    def spend(self, steps: int) -> None:
        self.left -= steps
        if self.left < 0:
            raise self.exhausted()

    @staticmethod
    def exhausted() -> CertLogicError:
        return CertLogicError(f"evaluation exceeds the limit of {MAX_STEPS} steps")


Handler: TypeAlias = Callable[[list[JsonValue], JsonValue, int, _Budget], JsonValue]


def _eval(expr: JsonValue, data: JsonValue, depth: int, budget: _Budget) -> JsonValue:
    """The value of `expr`; `depth` counts the operations and arrays enclosing it."""
    budget.left -= 1  # inlined `spend(1)`: this is the hottest line of an evaluation
    if budget.left < 0:
        raise budget.exhausted()
    if isinstance(expr, str):
        if isinstance(expr, DateTimeValue):
            raise CertLogicError("date-time literals are not allowed")
        return expr
    if isinstance(expr, bool | int):
        return expr
    if isinstance(expr, dict):
        return _eval_operation(expr, data, depth, budget)
    if isinstance(expr, list):
        if depth >= MAX_DEPTH:
            raise CertLogicError(f"expression is nested deeper than {MAX_DEPTH} levels")
        return [_eval(item, data, depth + 1, budget) for item in expr]
    if isinstance(expr, float):
        if expr.is_integer():
            return expr
        raise CertLogicError(f"{describe_value(expr)} is a non-integer number")
    raise CertLogicError(f"invalid CertLogic expression: {describe_value(expr)}")


def _eval_operation(
    expr: dict[str, JsonValue], data: JsonValue, depth: int, budget: _Budget
) -> JsonValue:
    if len(expr) != 1:
        raise CertLogicError(f"expression object must have exactly one key, but it has {len(expr)}")
    ((operator, args),) = expr.items()
    if operator == "var":
        return _var(args, data, budget)
    handler = _OPERATIONS.get(operator) if isinstance(operator, str) else None
    if handler is None:
        raise CertLogicError(f"unrecognised operator: {describe_value(operator)}")
    if not isinstance(args, list) or not args:
        raise CertLogicError('operation not of the form { "<operator>": [ <values...> ] }')
    if depth >= MAX_DEPTH:
        raise CertLogicError(f"expression is nested deeper than {MAX_DEPTH} levels")
    return handler(args, data, depth + 1, budget)


def _var(path: JsonValue, data: JsonValue, budget: _Budget) -> JsonValue:
    """Data access: `""` is the whole context, a missing or undrillable step gives null."""
    if not isinstance(path, str):
        raise CertLogicError('not of the form { "var": "<path>" }')
    if path == "":
        return data
    fragments = path.split(".")
    budget.spend(len(fragments))
    current = data
    for fragment in fragments:
        if isinstance(current, dict):
            current = current.get(fragment)
        elif isinstance(current, list):
            # Only plain decimal fragments index arrays; an over-long one cannot be in range and
            # must not reach int(), which refuses very long digit strings.
            if not (fragment.isascii() and fragment.isdigit()) or len(fragment) > 18:
                return None
            index = int(fragment)
            current = current[index] if index < len(current) else None
        else:
            return None
        if current is None:
            return None
    return current


def _require_operands(args: list[JsonValue], count: int, operator: str) -> None:
    if len(args) != count:
        raise CertLogicError(
            f'operator "{operator}" takes exactly {count} operand{"" if count == 1 else "s"}, '
            f"but it has {len(args)}"
        )


def _op_if(args: list[JsonValue], data: JsonValue, depth: int, budget: _Budget) -> JsonValue:
    _require_operands(args, 3, "if")
    guard = _eval(args[0], data, depth, budget)
    truth = truthiness(guard)
    if truth is None:
        raise CertLogicError(
            f"if-guard evaluates to something neither truthy, nor falsy: {describe_value(guard)}"
        )
    return _eval(args[1] if truth else args[2], data, depth, budget)


def _op_and(args: list[JsonValue], data: JsonValue, depth: int, budget: _Budget) -> JsonValue:
    if len(args) < 2:
        raise CertLogicError(f'an "and" operation must have at least 2 operands, not {len(args)}')
    value: JsonValue = None
    for operand in args:
        value = _eval(operand, data, depth, budget)
        truth = truthiness(value)
        if truth is None:
            raise CertLogicError(
                f'operand of "and" is neither truthy, nor falsy: {describe_value(value)}'
            )
        if not truth:
            return value
    return value


def _negation(double: bool) -> Handler:
    name = "!!" if double else "!"

    def handler(args: list[JsonValue], data: JsonValue, depth: int, budget: _Budget) -> JsonValue:
        _require_operands(args, 1, name)
        value = _eval(args[0], data, depth, budget)
        truth = truthiness(value)
        if truth is None:
            raise CertLogicError(
                f"operand of {name} is neither truthy, nor falsy: {describe_value(value)}"
            )
        return truth if double else not truth

    return handler


def _evaluated_pair(
    args: list[JsonValue], data: JsonValue, depth: int, budget: _Budget, operator: str
) -> tuple[JsonValue, JsonValue]:
    _require_operands(args, 2, operator)
    return _eval(args[0], data, depth, budget), _eval(args[1], data, depth, budget)


def _op_equal(args: list[JsonValue], data: JsonValue, depth: int, budget: _Budget) -> JsonValue:
    left, right = _evaluated_pair(args, data, depth, budget, "===")
    return strictly_equal(left, right)


def _op_in(args: list[JsonValue], data: JsonValue, depth: int, budget: _Budget) -> JsonValue:
    needle, haystack = _evaluated_pair(args, data, depth, budget, "in")
    if not isinstance(haystack, list):
        raise CertLogicError(
            f'right-hand side of an "in" operation must be an array, not {describe_value(haystack)}'
        )
    budget.spend(len(haystack))
    if type(needle) is str:
        return contains_text(needle, haystack)
    return any(strictly_equal(needle, item) for item in haystack)


def _op_plus(args: list[JsonValue], data: JsonValue, depth: int, budget: _Budget) -> JsonValue:
    left, right = _evaluated_pair(args, data, depth, budget, "+")
    left_int, right_int = as_integer(left), as_integer(right)
    if left_int is None or right_int is None:
        raise CertLogicError(
            f'operands of "+" must both be integers, not {describe_value(left)} '
            f"and {describe_value(right)}"
        )
    total = left_int + right_int
    if abs(total) > MAX_SAFE_INTEGER:
        raise CertLogicError('result of "+" is outside the range of exactly representable integers')
    return total


def _evaluated_operands(
    args: list[JsonValue], data: JsonValue, depth: int, budget: _Budget, operator: str
) -> list[JsonValue]:
    if not 2 <= len(args) <= 3:
        raise CertLogicError(
            f'an operation with operator "{operator}" must have 2 or 3 operands, not {len(args)}'
        )
    return [_eval(arg, data, depth, budget) for arg in args]


def _integer_comparison(operator: str, compare: Callable[[int, int], bool]) -> Handler:
    def handler(args: list[JsonValue], data: JsonValue, depth: int, budget: _Budget) -> JsonValue:
        numbers: list[int] = []
        for value in _evaluated_operands(args, data, depth, budget, operator):
            number = as_integer(value)
            if number is None:
                raise CertLogicError(
                    f'all operands of "{operator}" must be integers, not {describe_value(value)}'
                )
            numbers.append(number)
        return compare(numbers[0], numbers[1]) and (
            len(numbers) == 2 or compare(numbers[1], numbers[2])
        )

    return handler


def _date_time_comparison(operator: str, compare: Callable[[datetime, datetime], bool]) -> Handler:
    def handler(args: list[JsonValue], data: JsonValue, depth: int, budget: _Budget) -> JsonValue:
        instants = []
        for value in _evaluated_operands(args, data, depth, budget, operator):
            if not isinstance(value, DateTimeValue):
                raise CertLogicError(
                    f'all operands of "{operator}" must be date-times (made by plusTime or '
                    f"dccDateOfBirth), not {describe_value(value)}"
                )
            instants.append(value.instant)
        return compare(instants[0], instants[1]) and (
            len(instants) == 2 or compare(instants[1], instants[2])
        )

    return handler


def _op_plus_time(args: list[JsonValue], data: JsonValue, depth: int, budget: _Budget) -> JsonValue:
    _require_operands(args, 3, "plusTime")
    amount, unit = as_integer(args[1]), args[2]
    if amount is None:
        raise CertLogicError(
            f'"amount" argument (#2) of "plusTime" must be an integer, '
            f"not {describe_value(args[1])}"
        )
    if not isinstance(unit, str) or unit not in TIME_UNITS:
        raise CertLogicError(
            f'"unit" argument (#3) of "plusTime" must be one of {", ".join(TIME_UNITS)}, '
            f"not {describe_value(unit)}"
        )
    text = _eval(args[0], data, depth, budget)
    if not isinstance(text, str) or isinstance(text, DateTimeValue):
        raise CertLogicError(
            f'date argument of "plusTime" must be a string, not {describe_value(text)}'
        )
    try:
        return DateTimeValue(plus_time(parse_date_time(text), amount, unit))
    except ValueError as exc:
        raise CertLogicError(f"plusTime: {exc}") from None


def _op_date_of_birth(
    args: list[JsonValue], data: JsonValue, depth: int, budget: _Budget
) -> JsonValue:
    _require_operands(args, 1, "dccDateOfBirth")
    text = _eval(args[0], data, depth, budget)
    if not isinstance(text, str) or isinstance(text, DateTimeValue):
        raise CertLogicError(
            f'operand of "dccDateOfBirth" must be a string, not {describe_value(text)}'
        )
    try:
        return DateTimeValue(date_of_birth(text))
    except ValueError as exc:
        raise CertLogicError(f"dccDateOfBirth: {exc}") from None


def _op_reduce(args: list[JsonValue], data: JsonValue, depth: int, budget: _Budget) -> JsonValue:
    _require_operands(args, 3, "reduce")
    operand = _eval(args[0], data, depth, budget)
    if operand is None:
        return _eval(args[2], data, depth, budget)
    if not isinstance(operand, list):
        raise CertLogicError(
            f"operand of reduce must be an array or null, not {describe_value(operand)}"
        )
    lambda_, accumulator = args[1], _eval(args[2], data, depth, budget)
    for current in operand:
        context: JsonValue = {"accumulator": accumulator, "current": current}
        accumulator = _eval(lambda_, context, depth, budget)
    return accumulator


def _op_extract_from_uvci(
    args: list[JsonValue], data: JsonValue, depth: int, budget: _Budget
) -> JsonValue:
    _require_operands(args, 2, "extractFromUVCI")
    index = as_integer(args[1])
    if index is None:
        raise CertLogicError(
            f'"index" argument (#2) of "extractFromUVCI" must be an integer, '
            f"not {describe_value(args[1])}"
        )
    uvci = _eval(args[0], data, depth, budget)
    if uvci is None:
        return None
    if not isinstance(uvci, str) or isinstance(uvci, DateTimeValue):
        raise CertLogicError(
            f'"UVCI" argument (#1) of "extractFromUVCI" must be a string or null, '
            f"not {describe_value(uvci)}"
        )
    return uvci_fragment(uvci, index)


_OPERATIONS: dict[str, Handler] = {
    "if": _op_if,
    "===": _op_equal,
    "and": _op_and,
    "<": _integer_comparison("<", _operator.lt),
    ">": _integer_comparison(">", _operator.gt),
    "<=": _integer_comparison("<=", _operator.le),
    ">=": _integer_comparison(">=", _operator.ge),
    "in": _op_in,
    "+": _op_plus,
    "after": _date_time_comparison("after", _operator.gt),
    "before": _date_time_comparison("before", _operator.lt),
    "not-after": _date_time_comparison("not-after", _operator.le),
    "not-before": _date_time_comparison("not-before", _operator.ge),
    "!": _negation(double=False),
    "!!": _negation(double=True),
    "plusTime": _op_plus_time,
    "reduce": _op_reduce,
    "extractFromUVCI": _op_extract_from_uvci,
    "dccDateOfBirth": _op_date_of_birth,
}

#: Every operator the evaluator knows, `var` included; the validator accepts the same set.
OPERATORS = frozenset({"var", *_OPERATIONS})


def evaluate(expression: JsonValue, data: JsonValue) -> JsonValue:
    """The value of the CertLogic `expression` on `data`; raises `CertLogicError` and nothing else.

    Date-times in the result are `DateTimeValue`s, i.e. strings in ISO-8601 UTC form.
    """
    try:
        return _eval(expression, data, 0, _Budget(MAX_STEPS))
    except CertLogicError:
        raise
    except Exception as exc:
        # Backstop, not a code path: every failure the spec describes raises CertLogicError
        # above.  Data can still hold objects no JSON parser produces (with their own __eq__,
        # __len__, ...), and a rule engine fed from the network must not crash the station.
        raise CertLogicError(f"expression could not be evaluated ({type(exc).__name__})") from exc
