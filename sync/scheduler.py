"""`station sync --daemon`: keep every source fresh on an interval, backing off on failure.

Each source has its own due time: the interval after a success (with ±10 % jitter so a fleet
spreads out), or the backoff / Retry-After after a failure, as recorded in the sync state. The
loop sleeps on an Event, so a stop request ends it at once rather than after the next sleep.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from station.cache.sync_state import SourceState, SyncStateStore
from sync.context import SyncContext
from sync.runner import SOURCES, Backoff, SourceOutcome, sync_sources

OutcomeCallback = Callable[[list[SourceOutcome]], None]


@dataclass(frozen=True, slots=True)
class Schedule:
    interval: timedelta = timedelta(minutes=15)
    jitter: float = 0.1
    #: The longest the loop sleeps between checks of what is due.
    tick: timedelta = timedelta(seconds=5)


def due_sources(
    states: Iterable[SourceState | None],
    names: Iterable[str],
    now: datetime,
    schedule: Schedule,
) -> list[str]:
    """The sources to sync now: never synced, past their retry time, or older than the interval."""
    by_name = {state.source: state for state in states if state is not None}
    due = []
    for name in names:
        state = by_name.get(name)
        if state is None or state.last_attempt_at is None:
            due.append(name)
        elif state.next_attempt_at is not None and state.last_error_code:
            if now >= state.next_attempt_at:
                due.append(name)
        elif state.last_success_at is None or now >= state.last_success_at + _jittered(
            schedule, f"{name}@{state.last_success_at.isoformat()}"
        ):
            due.append(name)
    return due


def _jittered(schedule: Schedule, seed: str) -> timedelta:
    """The interval, stretched by a jitter fixed per success (re-rolling it every tick would
    make every source due at the earliest jitter)."""
    spread = random.Random(seed).uniform(1 - schedule.jitter, 1 + schedule.jitter)
    return schedule.interval * spread


def run_daemon(
    ctx: SyncContext,
    stop: threading.Event,
    *,
    names: Iterable[str] | None = None,
    schedule: Schedule | None = None,
    backoff: Backoff | None = None,
    on_outcomes: OutcomeCallback | None = None,
    rng: random.Random | None = None,
) -> None:
    """Sync due sources until `stop` is set."""
    plan = schedule or Schedule()
    chosen = list(names) if names is not None else list(SOURCES)
    chance = rng or random.Random()
    states = SyncStateStore(ctx.cache)
    while not stop.is_set():
        due = due_sources(states.all(), chosen, ctx.now(), plan)
        if due:
            outcomes = sync_sources(ctx, due, backoff=backoff, rng=chance)
            if on_outcomes is not None:
                on_outcomes(outcomes)
        stop.wait(plan.tick.total_seconds())
