"""How the cache writes instants: UTC only, so a file reads the same in every time zone.

Large tables use INTEGER unix seconds (a few bytes per row); small bookkeeping tables use ISO 8601
text, which an operator can read in the `sqlite3` shell. A naive datetime is refused rather than
guessed at: the station's local zone is not a fact the cache should depend on.
"""

from __future__ import annotations

from datetime import UTC, datetime


def _require_aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("the cache stores time-zone aware datetimes only")
    return value


def to_unix(value: datetime | None) -> int | None:
    """Whole unix seconds (rounded down), or None."""
    if value is None:
        return None
    return int(_require_aware(value).timestamp() // 1)


def from_unix(value: int | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)


def to_iso(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with microseconds kept, or None."""
    if value is None:
        return None
    return _require_aware(value).astimezone(UTC).isoformat()


def from_iso(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value).astimezone(UTC)
