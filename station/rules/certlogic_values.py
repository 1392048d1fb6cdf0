"""What CertLogic values mean: truthiness, strict equality, integers, and their descriptions.

The evaluator (`station.rules.certlogic`) decides which operation runs; this module decides what
its operands are worth, following the reference (JavaScript) implementation where the spec
leaves room (see the evaluator's docstring). Nothing here evaluates an expression.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from station.rules.certlogic_time import DateTimeValue

#: Largest integer a JavaScript number holds exactly; `+` must not produce anything bigger.
MAX_SAFE_INTEGER = 2**53 - 1
#: Characters of a string shown in a message before it is cut.
SHOWN_CHARS = 40
UVCI_PREFIX = "URN:UVCI:"
UVCI_SEPARATORS = re.compile(r"[/#:]")


def describe_value(value: object) -> str:
    """A short, bounded rendering of `value` for messages (never a full dump of hostile data)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, DateTimeValue):
        return f"date-time {value}"
    if isinstance(value, str):
        shown = value if len(value) <= SHOWN_CHARS else value[:SHOWN_CHARS] + "…"
        return f'"{shown}"'
    if isinstance(value, int):
        return str(value) if value.bit_length() <= 64 else "a very large integer"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return str(int(value)) if value.is_integer() and abs(value) < 1e21 else repr(value)
    if isinstance(value, list):
        return f"an array of {len(value)} item(s)"
    if isinstance(value, dict):
        return f"an object with {len(value)} key(s)"
    return f"a {type(value).__name__} (not a JSON value)"


def as_integer(value: object) -> int | None:
    """`value` as an integer if CertLogic counts it as one (booleans do not count), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def truthiness(value: object) -> bool | None:
    """True for truthy, False for falsy, None for the values the spec calls neither."""
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    if isinstance(value, DateTimeValue):
        return None
    if isinstance(value, str | list | dict):
        return len(value) > 0
    number = as_integer(value)
    return None if number is None else number != 0


def strictly_equal(left: object, right: object) -> bool:
    """JavaScript `===` on evaluated CertLogic values (see the module docstring)."""
    if isinstance(left, bool) or isinstance(right, bool) or left is None or right is None:
        return left is right
    if isinstance(left, DateTimeValue) or isinstance(right, DateTimeValue):
        return left is right
    if isinstance(left, str) and isinstance(right, str):
        return left == right
    if isinstance(left, int | float) and isinstance(right, int | float):
        return left == right
    return left is right


def contains_text(needle: str, haystack: Sequence[object]) -> bool:
    """`in` for a plain-string needle, the value-set lookup most rules make, at C speed.

    `list.index` finds items that are `==` to the needle; of those only a plain string is
    strictly equal (a date-time with the same text is not), so the rare other hit is skipped.
    """
    start = 0
    while True:
        try:
            start = haystack.index(needle, start)
        except ValueError:
            return False
        item = haystack[start]
        if isinstance(item, str) and not isinstance(item, DateTimeValue):
            return True
        start += 1


def uvci_fragment(uvci: str, index: int) -> str | None:
    """`extractFromUVCI`: fragment `index` of a UVCI split at `/`, `#` and `:` once its
    `URN:UVCI:` prefix is gone, or None when there is no such fragment."""
    if index < 0:
        return None
    if uvci.startswith(UVCI_PREFIX):
        uvci = uvci[len(UVCI_PREFIX) :]
    if index > len(uvci):  # n characters hold at most n + 1 fragments; keeps maxsplit small
        return None
    fragments = UVCI_SEPARATORS.split(uvci, maxsplit=index + 1)
    return fragments[index] if index < len(fragments) else None
