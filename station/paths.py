"""Where the station keeps its files: `--data-dir`, else $STATION_DATA_DIR, else the OS default."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

APP_NAME = "checkpoint-station"


def data_dir(override: str | None = None) -> Path:
    chosen = override or os.environ.get("STATION_DATA_DIR") or user_data_dir(APP_NAME)
    return Path(chosen)


def cache_db_path(base: Path) -> Path:
    """The offline cache: signers, revocations, status list, rules and sync state."""
    return base / "cache.sqlite"


def trust_db_path(base: Path) -> Path:
    """Where trusted signer certificates are kept: the cache's signer table."""
    return cache_db_path(base)


def enrollment_path(base: Path) -> Path:
    """The station's identity at its hub (0600): present only on an enrolled station."""
    return base / "enrollment.json"


def log_db_path(base: Path) -> Path:
    """The entry log: one sealed row per decision, queued for the tracing upload (0600)."""
    return base / "log.sqlite"
