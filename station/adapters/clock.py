"""Clocks: the system clock for production, a fixed one for replaying a validation time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


class SystemClock:
    """The device's wall clock, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class FixedClock:
    """Always the same instant (conformance vectors, `--at`, tests)."""

    instant: datetime

    def now(self) -> datetime:
        return self.instant


def parse_instant(text: str) -> datetime:
    """Parse an ISO 8601 instant; a value without offset is taken as UTC."""
    cleaned = text.strip()
    if cleaned.endswith(("Z", "z")):
        cleaned = cleaned[:-1] + "+00:00"
    parsed = datetime.fromisoformat(cleaned)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed
