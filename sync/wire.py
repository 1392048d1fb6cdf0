"""Parsers for the small values every hub payload carries; each failure is `DataInvalid`."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any

from sync.errors import DataInvalid


def optional_instant(value: Any, what: str) -> datetime | None:
    """An ISO 8601 instant with a time zone, or None for JSON null."""
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError as exc:
        raise DataInvalid(f"{what} is not a date") from exc
    if parsed.tzinfo is None:
        raise DataInvalid(f"{what} has no time zone")
    return parsed


def base64_bytes(value: Any, what: str, *, length: int | None = None) -> bytes:
    """Standard base64 (strict alphabet), optionally of an exact decoded length."""
    try:
        raw = base64.b64decode(str(value), validate=True)
    except ValueError as exc:  # binascii.Error, or ValueError for a non-ASCII character
        raise DataInvalid(f"{what} is not base64") from exc
    if length is not None and len(raw) != length:
        raise DataInvalid(f"{what} is not {length} bytes")
    return raw
