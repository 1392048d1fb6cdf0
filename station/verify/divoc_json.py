"""Strict, bounded JSON for `certificate.json`.

The signature covers the JSON-LD meaning of the document, not its bytes, so the JSON reading
must leave no room for two readers to see different documents: duplicate member names (Python
keeps the last, other parsers the first), NaN/Infinity and a byte-order mark are refused.  The
size, the nesting depth and the number of values are capped before the JSON-LD processor (which
recurses and allocates per value) ever sees the document.
"""

from __future__ import annotations

import json
from typing import Any

from station.errors import Reject
from station.reasons import Reason

#: A DIVOC credential nests five levels deep (credential → evidence → facility → address).
MAX_DEPTH = 12
#: A real certificate holds about 60 values; 400 leaves room for longer ones.
MAX_VALUES = 400
#: JSON-LD expansion costs about half a millisecond per object (each one re-enters the
#: type-scoped contexts); a one-dose certificate has 8 objects, four doses fit in 20.
MAX_OBJECTS = 20


def parse_certificate(raw: bytes, max_bytes: int) -> dict[str, Any]:
    """The certificate as a JSON object, or `Reject` with a reason code."""
    if len(raw) > max_bytes:
        raise Reject(Reason.TOO_LARGE, f"{len(raw)} bytes of JSON")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Reject(Reason.DIVOC_JSON_INVALID, "the certificate is not UTF-8 text") from None
    if text.startswith("\ufeff"):
        raise Reject(Reason.DIVOC_JSON_INVALID, "the certificate starts with a byte-order mark")
    try:
        document = json.loads(text, object_pairs_hook=_unique_members, parse_constant=_no_constants)
    except RecursionError:
        raise Reject(Reason.DIVOC_JSON_INVALID, "nested too deeply") from None
    except ValueError as exc:
        raise Reject(Reason.DIVOC_JSON_INVALID, _describe(exc)) from None
    if not isinstance(document, dict):
        raise Reject(Reason.DIVOC_JSON_INVALID, "the certificate is not a JSON object")
    check_shape_bounds(document)
    return document


def check_shape_bounds(document: Any) -> None:
    """Depth, value and object counts, walked without recursion."""
    stack: list[tuple[Any, int]] = [(document, 1)]
    values = objects = 0
    while stack:
        value, depth = stack.pop()
        values += 1
        if depth > MAX_DEPTH:
            raise Reject(Reason.DIVOC_JSON_INVALID, f"nested deeper than {MAX_DEPTH} levels")
        if values > MAX_VALUES:
            raise Reject(Reason.TOO_LARGE, f"more than {MAX_VALUES} values")
        if isinstance(value, dict):
            objects += 1
            if objects > MAX_OBJECTS:
                raise Reject(Reason.TOO_LARGE, f"more than {MAX_OBJECTS} objects")
            stack.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)


class _DuplicateMember(ValueError):
    pass


class _ForbiddenConstant(ValueError):
    pass


def _unique_members(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    members: dict[str, Any] = {}
    for name, value in pairs:
        if name in members:
            raise _DuplicateMember
        members[name] = value
    return members


def _no_constants(name: str) -> Any:
    raise _ForbiddenConstant


def _describe(exc: ValueError) -> str:
    """A detail without the document's content (JSONDecodeError quotes none, others may)."""
    if isinstance(exc, _DuplicateMember):
        return "a field appears twice"
    if isinstance(exc, _ForbiddenConstant):
        return "NaN or Infinity is not JSON"
    if isinstance(exc, json.JSONDecodeError):
        return f"not JSON ({exc.msg} at character {exc.pos})"
    return "not JSON"
