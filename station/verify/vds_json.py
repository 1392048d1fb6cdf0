"""Strict JSON for VDS-NC seals, and the canonical form their signature covers (RFC 8785, JCS).

The seal's signature covers `data` as canonical JSON, not as the bytes in the QR code, so the
verifier must rebuild exactly the bytes the issuer signed.  ICAO's VDS-NC technical report names
the JSON Canonicalization Scheme (RFC 8785); the Australian Passport Office's reference readers
(australian-passport-office/vds-nc-reader-library-ios, Helpers/JsonCanonicalizer.swift) and
WHO's validator (org.erdtman.jcs) implement the same.  RFC 8785 in short:

- no whitespace; object members sorted by their names as UTF-16 code units;
- strings as ECMAScript's JSON.stringify writes them: `"` and `\\` escaped, \\b \\f \\n \\r \\t,
  other control characters as lower-case \\u00XX, everything else literal UTF-8;
- numbers as IEEE-754 doubles in ECMAScript's shortest round-trip form (`1e+21`, `0.000001`,
  `1e-7`, `-0` as `0`); literals as they are.

Parsing is strict where Python's `json` is lenient, because two readers that disagree on a
duplicate member or on `NaN` can be made to show different content under one signature:
duplicate member names, NaN/Infinity and numbers beyond a double's range are refused, and depth
and value count are bounded (a valid seal is at most six levels deep and holds a few dozen
values).  Lone surrogates cannot be encoded as UTF-8, so they are refused when canonicalising.
"""

from __future__ import annotations

import json
import math
from typing import Any

from station.errors import Reject
from station.reasons import Reason

MAX_DEPTH = 8
MAX_VALUES = 1000
#: Integers beyond this are not exact as doubles; JCS then writes the double's digits.
_EXACT_INT = 2**53


def _unique_members(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    members = dict(pairs)
    if len(members) != len(pairs):
        raise Reject(Reason.VDS_DUPLICATE_KEY, "a member name appears twice in one object")
    return members


def _refuse_constant(name: str) -> Any:
    raise Reject(Reason.VDS_JSON_INVALID, f"{name} is not a JSON number")


def _finite_float(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise Reject(Reason.VDS_JSON_INVALID, "a number is beyond the range of a double")
    return value


def parse_strict(text: str) -> Any:
    """Parse one JSON value, refusing what RFC 8259 leaves open; bounded depth and size."""
    try:
        value = json.loads(
            text,
            object_pairs_hook=_unique_members,
            parse_constant=_refuse_constant,
            parse_float=_finite_float,
        )
    except RecursionError:
        raise Reject(Reason.VDS_TOO_DEEP, "nested beyond the parser's limit") from None
    except ValueError as exc:  # JSONDecodeError, and int() beyond its digit limit
        raise Reject(Reason.VDS_JSON_INVALID, _position(exc)) from None
    check_shape_bounds(value)
    return value


def _position(exc: ValueError) -> str:
    """Where the JSON broke, without echoing any of its content."""
    if isinstance(exc, json.JSONDecodeError):
        return f"not valid JSON at character {exc.pos}"
    return "not valid JSON"


def check_shape_bounds(value: Any) -> None:
    """Depth at most MAX_DEPTH and at most MAX_VALUES values, walked level by level without
    recursion (the parser itself stops at the interpreter's recursion limit)."""
    level, depth, count = [value], 0, 0
    while level:
        depth += 1
        count += len(level)
        if count > MAX_VALUES:
            raise Reject(Reason.VDS_JSON_INVALID, f"more than {MAX_VALUES} values")
        below: list[Any] = []
        for item in level:
            kind = type(item)
            if kind is dict:
                below.extend(item.values())
            elif kind is list:
                below.extend(item)
            else:
                continue
            if depth > MAX_DEPTH:
                raise Reject(Reason.VDS_TOO_DEEP, f"nested deeper than {MAX_DEPTH} levels")
        level = below


def canonical_json(value: Any) -> bytes:
    """The RFC 8785 serialisation of a parsed JSON value, as UTF-8 bytes.

    Seals hold only strings, small integers and ASCII member names; for those, RFC 8785 and
    the C encoder of `json` (sorted keys, no spaces, `ensure_ascii=False`) write identical
    text, so that encoder is used.  Anything else (a double, an integer beyond 2^53, a
    non-ASCII member name, whose UTF-16 order may differ) takes the general path below.
    """
    if _plain(value):
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    else:
        parts: list[str] = []
        _emit(value, parts)
        text = "".join(parts)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        raise Reject(Reason.VDS_JSON_INVALID, "a string holds a lone surrogate") from None


def _plain(value: Any) -> bool:
    """Only strings, literals, integers within ±2^53, and objects with ASCII member names."""
    level = [value]
    while level:
        below: list[Any] = []
        for item in level:
            kind = type(item)
            if kind is str or item is None or kind is bool:
                continue
            if kind is dict:
                if not "".join(item).isascii():
                    return False
                below.extend(item.values())
            elif kind is list:
                below.extend(item)
            elif kind is not int or not -_EXACT_INT <= item <= _EXACT_INT:
                return False
        level = below
    return True


def _emit(value: Any, parts: list[str]) -> None:
    if isinstance(value, str):
        parts.append(_string(value))
    elif isinstance(value, dict):
        parts.append("{")
        for index, name in enumerate(sorted(value, key=_utf16_order)):
            if index:
                parts.append(",")
            parts.append(_string(name))
            parts.append(":")
            _emit(value[name], parts)
        parts.append("}")
    elif isinstance(value, list):
        parts.append("[")
        for index, item in enumerate(value):
            if index:
                parts.append(",")
            _emit(item, parts)
        parts.append("]")
    elif value is True or value is False or value is None:
        parts.append(json.dumps(value))
    elif isinstance(value, int):
        parts.append(str(value) if -_EXACT_INT <= value <= _EXACT_INT else _double(value))
    elif isinstance(value, float):
        parts.append(_double(value))
    else:
        raise Reject(Reason.VDS_JSON_INVALID, f"{type(value).__name__} is not a JSON value")


#: ECMAScript's JSON.stringify escaping for strings: `json`'s C encoder with ensure_ascii off.
_string = json.encoder.encode_basestring


def _utf16_order(name: str) -> bytes:
    try:
        return name.encode("utf-16-be")
    except UnicodeEncodeError:
        raise Reject(Reason.VDS_JSON_INVALID, "a member name holds a lone surrogate") from None


def _double(number: int | float) -> str:
    """ECMAScript Number::toString of a double (ECMA-262 §6.1.6.1.20), from Python's shortest
    round-trip digits, which are the same digits ECMAScript chooses."""
    try:
        value = float(number)
    except OverflowError:
        raise Reject(Reason.VDS_JSON_INVALID, "a number is beyond the range of a double") from None
    if not math.isfinite(value):
        raise Reject(Reason.VDS_JSON_INVALID, "a number is beyond the range of a double")
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    digits, n = _shortest_digits(abs(value))
    k = len(digits)
    if k <= n <= 21:
        body = digits + "0" * (n - k)
    elif 0 < n <= 21:
        body = f"{digits[:n]}.{digits[n:]}"
    elif -6 < n <= 0:
        body = "0." + "0" * -n + digits
    else:
        exponent = f"e{'+' if n - 1 >= 0 else '-'}{abs(n - 1)}"
        body = (digits if k == 1 else f"{digits[0]}.{digits[1:]}") + exponent
    return sign + body


def _shortest_digits(value: float) -> tuple[str, int]:
    """(s, n) with value = 0.s × 10^n: the significant digits and the decimal point position."""
    text = repr(value)
    mantissa, _, exponent = text.partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = whole + fraction
    n = len(whole) + (int(exponent) if exponent else 0)
    stripped = digits.lstrip("0")
    n -= len(digits) - len(stripped)
    return stripped.rstrip("0") or "0", n
