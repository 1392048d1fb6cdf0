"""Static validation of CertLogic expressions, before any rule is evaluated.

Synced rules are checked once, when they arrive, so a malformed rule is reported (and can be
refused) up front instead of failing every pass it is applied to.  The checks and the wording of
the messages follow the reference validator (`certlogic-js/validation`) and its published test
suite, so a problem reads the same here as in the tools rule authors use.  Like the evaluator,
the validator also knows `dccDateOfBirth` and `!!`, and stops descending at `MAX_DEPTH` levels of
nesting (reporting that) rather than recursing without bound.

Validation is about form only: whether an operand has the right type at run time depends on
the data and is the evaluator's business.
"""

from __future__ import annotations

from dataclasses import dataclass

from station.rules.certlogic import MAX_DEPTH
from station.rules.certlogic_time import TIME_UNITS
from station.rules.certlogic_values import as_integer, describe_value

_INFIX = frozenset({"===", "in", "+", "and"})
_COMPARISONS = frozenset({"<", ">", "<=", ">=", "after", "before", "not-after", "not-before"})
_SHOWN_CHARS = 80


@dataclass(frozen=True)
class Issue:
    """One problem: the (sub-)expression it is about and a human-readable message."""

    expr: object
    message: str


def _text(value: object) -> str:
    """`value` as JavaScript string interpolation shows it (strings unquoted), bounded."""
    if isinstance(value, str):
        return value if len(value) <= _SHOWN_CHARS else value[:_SHOWN_CHARS] + "…"
    return describe_value(value)


class _Validator:
    """Collects issues in one walk over the expression."""

    def __init__(self) -> None:
        self.issues: list[Issue] = []

    def add(self, expr: object, message: str) -> None:
        self.issues.append(Issue(expr, message))

    def walk(self, expr: object, depth: int) -> None:
        if isinstance(expr, str | bool) or as_integer(expr) is not None:
            return
        if isinstance(expr, float):
            self.add(expr, f"{describe_value(expr)} is a non-integer number")
        elif isinstance(expr, list):
            if depth >= MAX_DEPTH:
                self.too_deep(expr)
                return
            for item in expr:
                self.walk(item, depth + 1)
        elif isinstance(expr, dict):
            self.operation(expr, depth)
        else:
            self.add(expr, "invalid CertLogic expression")

    def too_deep(self, expr: object) -> None:
        self.add(expr, f"expression is nested deeper than {MAX_DEPTH} levels")

    def operands(self, values: list[object], depth: int) -> None:
        for value in values:
            self.walk(value, depth + 1)

    def arity(self, expr: object, values: list[object], count: int, label: str) -> None:
        if len(values) != count:
            plural = "value/operand" if count == 1 else "values/operands"
            self.add(
                expr,
                f"{label} must have exactly {count} {plural}, but it has {len(values)}",
            )

    def operation(self, expr: dict[object, object], depth: int) -> None:
        if len(expr) != 1:
            self.add(expr, f"expression object must have exactly one key, but it has {len(expr)}")
            return
        ((operator, values),) = expr.items()
        if operator == "var":
            self.var(expr, values)
        elif depth >= MAX_DEPTH:
            self.too_deep(expr)
        elif not isinstance(values, list):
            self.add(expr, 'operation not of the form { "<operator>": [ <values...> ] }')
        elif operator == "if":
            self.arity(expr, values, 3, 'an "if"-operation')
            self.operands(values[:3], depth)
        elif operator in _INFIX or operator in _COMPARISONS:
            self.infix(expr, str(operator), values, depth)
        elif operator in ("!", "!!"):
            self.negation(expr, str(operator), values, depth)
        elif operator == "plusTime":
            self.plus_time(expr, values, depth)
        elif operator == "reduce":
            self.arity(expr, values, 3, 'a "reduce"-operation')
            self.operands(values[:3], depth)
        elif operator == "extractFromUVCI":
            self.extract_from_uvci(expr, values, depth)
        elif operator == "dccDateOfBirth":
            self.arity(expr, values, 1, 'a "dccDateOfBirth"-operation')
            self.operands(values[:1], depth)
        else:
            self.add(expr, f'unrecognised operator: "{_text(operator)}"')

    def var(self, expr: object, path: object) -> None:
        if not isinstance(path, str):
            self.add(expr, 'not of the form { "var": "<path>" }')
        elif path != "" and "" in path.split("."):
            self.add(expr, f"data access path doesn't have a valid format: {_text(path)}")

    def infix(self, expr: object, operator: str, values: list[object], depth: int) -> None:
        count = len(values)
        if operator == "and":
            if count < 2:
                self.add(
                    expr, f'an "and" operation must have at least 2 operands, but it has {count}'
                )
            self.operands(values, depth)
            return
        most = 3 if operator in _COMPARISONS else 2
        if operator in _COMPARISONS and not 2 <= count <= 3:
            self.add(
                expr,
                f'an operation with operator "{operator}" must have 2 or 3 operands, '
                f"but it has {count}",
            )
        elif operator not in _COMPARISONS and count != 2:
            self.add(
                expr,
                f'an operation with operator "{operator}" must have 2 operands, but it has {count}',
            )
        self.operands(values[:most], depth)

    def negation(self, expr: object, operator: str, values: list[object], depth: int) -> None:
        if len(values) != 1:
            meaning = "logical not/negation" if operator == "!" else "double negation"
            self.add(
                expr,
                f"a {operator}-operation ({meaning}) must have exactly 1 operand, "
                f"but it has {len(values)}",
            )
            return
        self.operands(values, depth)

    def plus_time(self, expr: object, values: list[object], depth: int) -> None:
        self.arity(expr, values, 3, 'a "plusTime"-operation')
        self.operands(values[:1], depth)
        if len(values) > 1 and as_integer(values[1]) is None:
            self.add(
                expr,
                f'"amount" argument (#2) of "plusTime" must be an integer, '
                f"but it is: {_text(values[1])}",
            )
        if len(values) > 2 and not (isinstance(values[2], str) and values[2] in TIME_UNITS):
            self.add(
                expr,
                f'"unit" argument (#3) of "plusTime" must be a string equal to one of '
                f"{', '.join(TIME_UNITS)}, but it is: {_text(values[2])}",
            )

    def extract_from_uvci(self, expr: object, values: list[object], depth: int) -> None:
        self.arity(expr, values, 2, 'an "extractFromUVCI"-operation')
        self.operands(values[:1], depth)
        if len(values) > 1 and as_integer(values[1]) is None:
            self.add(
                expr,
                f'"index" argument (#2) of "extractFromUVCI" must be an integer, '
                f"but it is: {_text(values[1])}",
            )


def find_issues(expression: object) -> list[Issue]:
    """Every format problem in `expression`, each tied to the sub-expression it is about."""
    validator = _Validator()
    validator.walk(expression, 0)
    return validator.issues


def validate(expression: object) -> list[str]:
    """Human-readable problems with `expression`; an empty list means it is valid CertLogic."""
    return [issue.message for issue in find_issues(expression)]
