"""The enrolled station's sync context, built one way for every caller (CLI, daemon, app).

It opens the station's cache, its enrollment's authenticated client and its pinned hub keys,
and persists a hub key rotation in the enrollment file when a sync adopts one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from station.adapters.clock import SystemClock
from station.cache.database import open_cache
from station.paths import cache_db_path
from sync.context import SyncContext
from sync.enrollment import load_enrollment, save_enrollment


@contextmanager
def station_sync(
    base: Path, *, on_rotation: Callable[[], None] | None = None
) -> Iterator[SyncContext]:
    """The context for syncing the station in `base`; `SyncError` when it is not enrolled,
    `sqlite3.Error` or `StationError` when its cache cannot be opened."""
    enrollment = load_enrollment(base)
    cache = open_cache(cache_db_path(base))

    def pin(pems: list[str]) -> None:
        save_enrollment(replace(enrollment, hub_keys_pem=tuple(pems)), base)
        if on_rotation is not None:
            on_rotation()

    try:
        with enrollment.client() as client:
            yield SyncContext(
                client,
                cache,
                enrollment.pinned_keys(),
                SystemClock(),
                on_new_keys=pin,
                data_dir=base,
            )
    finally:
        cache.close()
