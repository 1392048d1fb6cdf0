"""One sync round and one upload pass for the app's sync worker, as report lines.

Kept apart from `gui.background` so the HTTP stack (requests, the sync client, the uploader)
is imported on the sync worker's thread the first time it is needed, not while the kiosk is
starting: the screen is up before any of it loads.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from gui.values import SyncReport
from station.errors import StationError
from sync.errors import SyncError
from sync.runner import sync_sources
from sync.station_session import station_sync
from sync.upload.daemon import open_uploader


def sync_once(base: Path) -> SyncReport:
    """Every source from the hub once; a line per source."""
    try:
        with station_sync(base) as ctx:
            outcomes = sync_sources(ctx)
    except (SyncError, StationError, sqlite3.Error) as exc:
        return SyncReport(False, (f"sync: {_why(exc)}",))
    return SyncReport(all(o.ok for o in outcomes), tuple(o.summary() for o in outcomes))


def upload_once(base: Path) -> SyncReport:
    """One upload pass over the entry log's queue."""
    try:
        with open_uploader(base, alert=lambda line: None) as uploader:
            result = uploader.drain_once()
    except (SyncError, StationError, sqlite3.Error) as exc:
        return SyncReport(False, (f"upload: {_why(exc)}",))
    return SyncReport(result.ok, (result.summary(),))


def _why(exc: Exception) -> str:
    code = getattr(exc, "code", "")
    message = getattr(exc, "message", "") or type(exc).__name__
    return f"{code}: {message}" if code else message
