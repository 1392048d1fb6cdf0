"""Retention on a schedule: whoever keeps running (the uploader daemon, the app) calls this.

The policy comes from the station's settings each time, so a changed `retention_days` takes
effect without a restart, and the clock is judged each time too: a purge is only ever done on
trusted time without a leap (station.time_floor), which keeps a clock jump from wiping entries.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from station.entrylog.retention import PurgeResult, RetentionPolicy, purge
from station.paths import log_db_path
from station.ports import Clock
from station.settings import StationSettings, load_settings
from station.time_floor import TimeGuard

#: Uploaded entries may stay at most a day, so an hourly run keeps every limit to the hour.
DEFAULT_EVERY = timedelta(hours=1)


def policy_from(settings: StationSettings) -> RetentionPolicy:
    return RetentionPolicy(settings.retention_days, settings.upload_grace_hours)


class RetentionJob:
    """Runs the purge at most once per `every`, counting on a monotonic schedule of its own."""

    def __init__(self, base: Path, clock: Clock, *, every: timedelta = DEFAULT_EVERY) -> None:
        self.base = base
        self.clock = clock
        self.every = every
        self._last_run: datetime | None = None
        self._time = TimeGuard(base, clock=clock)

    def run_if_due(self) -> PurgeResult | None:
        """The purge's counts when it ran (possibly skipped on untrusted time), else None."""
        now = self.clock.now()
        if self._last_run is not None and abs(now - self._last_run) < self.every:
            return None
        self._last_run = now
        if not log_db_path(self.base).exists():
            return None
        policy = policy_from(load_settings(self.base))
        return purge(
            log_db_path(self.base),
            policy,
            now=now,
            clock_trusted=self._time.assess().purge_allowed,
        )


def purge_line(result: PurgeResult) -> str:
    """One line of counts, never of data, for the daemon's output."""
    if result.skipped:
        return "retention: skipped, the clock is not trusted"
    return (
        f"retention: purged uploaded={result.purged_uploaded} unsent={result.purged_unsent} "
        f"quarantined={result.purged_quarantined}"
    )
