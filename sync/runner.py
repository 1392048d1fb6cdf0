"""One sync pass over the sources, each on its own: one source failing never stops the others.

A failure is recorded in the source's sync state (code, plain message, when to try again) in its
own small transaction; the source's data stays exactly as the last successful sync left it.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from station.cache.sync_state import SyncStateStore
from sync.context import SourceResult, SyncContext
from sync.drl import sync_drl
from sync.errors import CacheWriteFailed, SyncError
from sync.issuer_keys import sync_issuer_keys
from sync.revocations import sync_revocations
from sync.rules import sync_rules, sync_value_sets
from sync.status_list import sync_status_list
from sync.trust_list import sync_trust_list

SourceSync = Callable[[SyncContext], SourceResult]

#: Every source the station keeps fresh, in the order a sync pass visits them.
SOURCES: Mapping[str, SourceSync] = {
    "trust-list": sync_trust_list,
    "revocations": sync_revocations,
    "drl": sync_drl,
    "rules": sync_rules,
    "valuesets": sync_value_sets,
    "status-list": sync_status_list,
    "issuer-keys": sync_issuer_keys,
}


@dataclass(frozen=True, slots=True)
class Backoff:
    """Retry delays after failures: doubling from `base` up to `ceiling`, with ±50 % jitter so a
    fleet of stations that lost the hub together does not come back in lockstep."""

    base: timedelta = timedelta(seconds=30)
    ceiling: timedelta = timedelta(minutes=30)

    def delay(self, failures: int, retry_after_s: float | None, rng: random.Random) -> timedelta:
        if retry_after_s is not None:
            return timedelta(seconds=max(retry_after_s, 1.0))
        doubled: timedelta = self.base * int(2 ** min(max(failures - 1, 0), 16))
        return min(doubled, self.ceiling) * rng.uniform(0.5, 1.5)


@dataclass(frozen=True, slots=True)
class SourceOutcome:
    """What happened to one source in one pass."""

    source: str
    result: SourceResult | None = None
    error: SyncError | None = None
    next_attempt_at: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def summary(self) -> str:
        if self.result is not None:
            return self.result.summary()
        assert self.error is not None
        return f"{self.source}: FAILED {self.error.code}: {self.error.message}"


def sync_sources(
    ctx: SyncContext,
    names: Iterable[str] | None = None,
    *,
    backoff: Backoff | None = None,
    rng: random.Random | None = None,
) -> list[SourceOutcome]:
    """Sync each named source (default: all), recording success or failure per source."""
    chosen = list(names) if names is not None else list(SOURCES)
    unknown = [name for name in chosen if name not in SOURCES]
    if unknown:
        raise ValueError(f"unknown source(s): {', '.join(unknown)}")
    return [_sync_one(ctx, name, backoff or Backoff(), rng or random.Random()) for name in chosen]


def _sync_one(ctx: SyncContext, name: str, backoff: Backoff, rng: random.Random) -> SourceOutcome:
    try:
        return SourceOutcome(name, result=SOURCES[name](ctx))
    except sqlite3.Error as exc:
        return _failed(ctx, name, CacheWriteFailed(type(exc).__name__), backoff, rng)
    except SyncError as error:
        return _failed(ctx, name, error, backoff, rng)


def _failed(
    ctx: SyncContext, name: str, error: SyncError, backoff: Backoff, rng: random.Random
) -> SourceOutcome:
    states = SyncStateStore(ctx.cache)
    previous = states.get(name)
    failures = (previous.consecutive_failures if previous else 0) + 1
    retry_at = ctx.now() + backoff.delay(failures, error.retry_after_s, rng)
    try:
        with ctx.cache.transaction():
            states.record_failure(
                name,
                code=error.code,
                message=error.message,
                now=ctx.now(),
                next_attempt_at=retry_at,
            )
    except sqlite3.Error:
        pass  # the cache cannot even take the failure note; the outcome still reports it
    return SourceOutcome(name, error=error, next_attempt_at=retry_at)
