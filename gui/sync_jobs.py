"""One sync round and one upload pass for the app's sync worker, as report lines.

Kept apart from `gui.background` so the HTTP stack (requests, the sync client, the uploader)
is imported on the sync worker's thread the first time it is needed, not while the kiosk is
starting: the screen is up before any of it loads.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

from gui.values import SyncReport
from station.adapters.clock import SystemClock
from station.cache.database import open_cache
from station.errors import StationError
from station.paths import cache_db_path
from sync.context import SyncContext
from sync.enrollment import Enrollment, load_enrollment, save_enrollment
from sync.errors import SyncError
from sync.runner import sync_sources
from sync.upload.daemon import open_uploader


def sync_once(base: Path) -> SyncReport:
    """Every source from the hub once; a line per source."""
    try:
        enrollment = load_enrollment(base)
        cache = open_cache(cache_db_path(base))
    except (SyncError, StationError, sqlite3.Error) as exc:
        return SyncReport(False, (f"sync: {_why(exc)}",))
    try:
        with enrollment.client() as client:
            ctx = SyncContext(
                client,
                cache,
                enrollment.pinned_keys(),
                SystemClock(),
                on_new_keys=lambda pems: _pin(base, enrollment, pems),
                data_dir=base,
            )
            outcomes = sync_sources(ctx)
    except (SyncError, sqlite3.Error) as exc:
        return SyncReport(False, (f"sync: {_why(exc)}",))
    finally:
        cache.close()
    return SyncReport(all(o.ok for o in outcomes), tuple(o.summary() for o in outcomes))


def upload_once(base: Path) -> SyncReport:
    """One upload pass over the entry log's queue."""
    try:
        with open_uploader(base, alert=lambda line: None) as uploader:
            result = uploader.drain_once()
    except (SyncError, StationError, sqlite3.Error) as exc:
        return SyncReport(False, (f"upload: {_why(exc)}",))
    return SyncReport(result.ok, (result.summary(),))


def _pin(base: Path, enrollment: Enrollment, pems: list[str]) -> None:
    save_enrollment(replace(enrollment, hub_keys_pem=tuple(pems)), base)


def _why(exc: Exception) -> str:
    code = getattr(exc, "code", "")
    message = getattr(exc, "message", "") or type(exc).__name__
    return f"{code}: {message}" if code else message
