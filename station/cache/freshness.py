"""How fresh the station's offline data is, in words a guard understands.

A station that cannot reach its backend keeps verifying from its cache, but a revocation list
that is days old may let a revoked pass through. This module turns the sync bookkeeping into a
per-source state and one station state that the GUI shows and the check-in log records:
FRESH → AGING (warn the guard) → STALE (verdicts are given in degraded mode). It is pure: the
caller reads the states and the clock and passes them in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from station.cache.catalogue import SOURCE_TITLES
from station.cache.sync_state import SourceState

Freshness = Literal["FRESH", "AGING", "STALE", "NEVER"]
Health = Literal["OK", "WARN", "DEGRADED"]


@dataclass(frozen=True, slots=True)
class FreshnessPolicy:
    """Age limits: from `warn_after` a source is AGING, from `degrade_after` it is STALE."""

    warn_after: timedelta = timedelta(hours=24)
    degrade_after: timedelta = timedelta(hours=72)
    per_source: Mapping[str, tuple[timedelta, timedelta]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for warn, degrade in [(self.warn_after, self.degrade_after), *self.per_source.values()]:
            if not timedelta(0) < warn <= degrade:
                raise ValueError("freshness limits need 0 < warn_after <= degrade_after")

    def limits(self, source: str) -> tuple[timedelta, timedelta]:
        """(warn_after, degrade_after) for one source."""
        return self.per_source.get(source, (self.warn_after, self.degrade_after))


@dataclass(frozen=True, slots=True)
class SourceFreshness:
    """One source's state; `age` is negative when the last success lies in the future."""

    source: str
    state: Freshness
    age: timedelta | None
    version: int | None
    last_error_code: str | None
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "state": self.state,
            "age_seconds": None if self.age is None else int(self.age.total_seconds()),
            "version": self.version,
            "last_error_code": self.last_error_code,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class StationHealth:
    """The station's state (OK, WARN, DEGRADED) and the sources it was judged from."""

    state: Health
    sources: tuple[SourceFreshness, ...]

    @property
    def stale(self) -> bool:
        """True when some source is STALE or was never synced: verdicts are degraded."""
        return any(s.state in ("STALE", "NEVER") for s in self.sources)

    @property
    def versions(self) -> dict[str, int | None]:
        return {s.source: s.version for s in self.sources}

    def to_json(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "stale": self.stale,
            "versions": self.versions,
            "sources": [s.to_json() for s in self.sources],
        }


def assess(
    states: Iterable[SourceState],
    expected_sources: Iterable[str],
    policy: FreshnessPolicy,
    now: datetime,
) -> StationHealth:
    """Judge every expected source (and any other recorded one) at `now`."""
    by_source = {state.source: state for state in states}
    order = list(dict.fromkeys(expected_sources))
    order += sorted(by_source.keys() - set(order))
    sources = tuple(assess_source(name, by_source.get(name), policy, now) for name in order)
    return StationHealth(_station_state(sources), sources)


def assess_source(
    source: str, state: SourceState | None, policy: FreshnessPolicy, now: datetime
) -> SourceFreshness:
    """One source's freshness, with the reason in plain words."""
    name = SOURCE_TITLES.get(source, source)
    success = state.last_success_at if state else None
    if state is None or success is None:
        return _judged(source, state, "NEVER", None, f"{name} has never been downloaded")
    age = now - success
    warn_after, degrade_after = policy.limits(source)
    if age < timedelta(0):
        reason = (
            f"{name} shows an update {_span(-age)} in the future: the station's clock looks wrong"
        )
        return _judged(source, state, "STALE", age, reason)
    expires = state.data_expires_at
    if expires is not None and expires <= now:
        return _judged(source, state, "STALE", age, f"{name} expired {_span(now - expires)} ago")
    if age >= degrade_after:
        return _judged(source, state, "STALE", age, f"{name} last updated {_span(age)} ago")
    if age >= warn_after:
        return _judged(source, state, "AGING", age, f"{name} last updated {_span(age)} ago")
    return _judged(source, state, "FRESH", age, f"{name} updated {_span(age)} ago")


def _judged(
    source: str, state: SourceState | None, freshness: Freshness, age: timedelta | None, text: str
) -> SourceFreshness:
    """Add the last failure, if the most recent attempt failed, to the reason."""
    error = state.last_error_code if state and state.consecutive_failures else None
    if state is not None and error and state.last_error_message:
        text += f"; the last update failed: {state.last_error_message}"
    version = state.version if state else None
    return SourceFreshness(source, freshness, age, version, error, text)


def _station_state(sources: Iterable[SourceFreshness]) -> Health:
    states = {s.state for s in sources}
    if states & {"STALE", "NEVER"}:
        return "DEGRADED"
    return "WARN" if "AGING" in states else "OK"


def _span(delta: timedelta) -> str:
    """A rounded-down duration in the largest sensible unit: '3 days', '5 hours', '1 minute'."""
    seconds = int(delta.total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= 2 * size or (unit == "minute" and seconds >= size):
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return "less than a minute"
