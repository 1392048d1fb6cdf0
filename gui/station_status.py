"""Reading the station's state for the status strip and the counters (no Qt; runs on the status
worker's thread, never on the GUI thread).

Each part is read on its own and a failure of one (a locked cache, a damaged log, a missing
module on a partial install) shows as that part's "unknown" state, never as an exception: the
strip must keep telling the guard what it does know.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from gui.values import DayCounts, QueueState, SourceAge, StationStatus
from station.adapters.clock import FixedClock
from station.cache.catalogue import SOURCE_TITLES, SYNCED_SOURCES
from station.cache.database import CacheDatabase, open_cache
from station.cache.freshness import StationHealth, assess
from station.cache.sync_state import SyncStateStore
from station.clock_trust import system_ntp_synchronized
from station.errors import StationError
from station.paths import cache_db_path, enrollment_path
from station.settings import load_settings
from station.time_floor import TimeGuard
from sync.enrollment import load_enrollment
from sync.errors import SyncError

try:  # the log's uploader view and counters; a partial install shows "unknown" instead
    from station.entrylog.outbox import Outbox
except ImportError:  # pragma: no cover - depends on the install
    Outbox = None  # type: ignore[assignment,misc]
try:
    from station.entrylog.stats import hourly_counts
except ImportError:  # pragma: no cover - depends on the install
    hourly_counts = None  # type: ignore[assignment]
try:
    from station.paths import log_db_path
except ImportError:  # pragma: no cover - depends on the install

    def log_db_path(base: Path) -> Path:
        return base / "log.sqlite"


class StatusReader:
    """Keeps its own connections to the cache and the log, reopened after any failure.

    The clock is judged by the same policy the verdicts pass (`station.time_floor`), so the
    strip says "clock wrong" exactly when the station gives no VALID verdict.
    """

    def __init__(
        self,
        base: Path,
        *,
        log_available: bool,
        ntp_synchronized: Callable[[], bool] = system_ntp_synchronized,
    ) -> None:
        self.base = base
        self.log_available = log_available
        self._ntp = ntp_synchronized
        self._cache: CacheDatabase | None = None
        self._outbox: Any = None

    def read(self, now: datetime) -> StationStatus:
        enrolled = enrollment_path(self.base).exists()
        health = self._health(enrolled, now)
        sources = () if health is None else tuple(_source_age(s) for s in health.sources)
        ages = [s.age_s for s in sources if s.age_s is not None]
        return StationStatus(
            enrolled=enrolled,
            data_state="UNKNOWN" if health is None else health.state,
            oldest_age_s=max(ages) if ages and len(ages) == len(sources) else None,
            sources=sources,
            clock_state=self._clock_state(now),
            free_bytes=_free_bytes(self.base),
            log_available=self.log_available,
            queue=self._queue(),
            **_identity(self.base),
        )

    def day_counts(self, now: datetime) -> DayCounts | None:
        """Today's counts by local hour, or None when the log cannot be read."""
        local = now.astimezone()
        conn = self._log_connection()
        if conn is None or hourly_counts is None:
            return None
        offset = local.utcoffset() or timedelta(0)
        found: dict[int, dict[str, int]] = {}
        try:
            for utc_day in (local.date() - timedelta(days=1), local.date()):
                for hour, counts in hourly_counts(conn, utc_day).items():
                    _add_local(found, utc_day, hour, counts, offset, local.date())
        except sqlite3.Error:
            self._drop_outbox()
            return None
        rows = tuple((h, tuple(sorted(c.items()))) for h, c in sorted(found.items()))
        return DayCounts(local.date(), rows)

    def close(self) -> None:
        if self._cache is not None:
            self._cache.close()
            self._cache = None
        self._drop_outbox()

    def _clock_state(self, now: datetime) -> str:
        """The clock policy's state at `now` (the reading's own time), "UNKNOWN" when the time
        floor cannot be read at all."""
        guard = TimeGuard(self.base, clock=FixedClock(now), ntp_synchronized=self._ntp)
        try:
            return guard.assess().state
        except (OSError, sqlite3.Error, ValueError):
            return "UNKNOWN"

    def _health(self, enrolled: bool, now: datetime) -> StationHealth | None:
        try:
            if self._cache is None:
                self._cache = open_cache(cache_db_path(self.base))
            states = SyncStateStore(self._cache).all()
            policy = load_settings(self.base).freshness_policy()
        except (sqlite3.Error, StationError, OSError):
            if self._cache is not None:
                self._cache.close()
                self._cache = None
            return None
        return assess(states, SYNCED_SOURCES if enrolled else (), policy, now)

    def _queue(self) -> QueueState | None:
        if self._log_connection() is None:
            return None
        try:
            counts = self._outbox.counts()
        except (sqlite3.Error, StationError):
            self._drop_outbox()
            return None
        return QueueState(
            counts.pending, counts.uploaded, counts.quarantined, counts.oldest_pending
        )

    def _log_connection(self) -> sqlite3.Connection | None:
        """The outbox's connection to the log; None while there is no log (nothing to read)."""
        if Outbox is None or not log_db_path(self.base).exists():
            return None
        if self._outbox is None:
            try:
                self._outbox = Outbox(log_db_path(self.base))
            except (sqlite3.Error, StationError, OSError):
                return None
        connection: sqlite3.Connection = self._outbox.conn
        return connection

    def _drop_outbox(self) -> None:
        if self._outbox is not None:
            try:
                self._outbox.close()
            except sqlite3.Error:
                pass
            self._outbox = None


def _add_local(
    found: dict[int, dict[str, int]],
    utc_day: date,
    hour: int,
    counts: dict[str, int],
    offset: timedelta,
    local_day: date,
) -> None:
    """Fold one UTC hour's counts into the local day's hours (when it falls on that day)."""
    local = datetime(utc_day.year, utc_day.month, utc_day.day, hour, tzinfo=UTC) + offset
    if local.date() != local_day:
        return
    into = found.setdefault(local.hour, {})
    for verdict, count in counts.items():
        into[verdict] = into.get(verdict, 0) + count


def _source_age(item: Any) -> SourceAge:
    age = None if item.age is None else item.age.total_seconds()
    title = SOURCE_TITLES.get(item.source, item.source)
    return SourceAge(item.source, title, item.state, age, item.version, item.reason)


def _free_bytes(base: Path) -> int | None:
    try:
        return shutil.disk_usage(base if base.exists() else base.parent).free
    except OSError:
        return None


def _identity(base: Path) -> dict[str, str]:
    """Station id and hub address from the enrollment file (never its token)."""
    try:
        enrollment = load_enrollment(base)
    except SyncError:
        return {}
    return {"station_id": enrollment.station_id, "hub_url": enrollment.hub_url}
