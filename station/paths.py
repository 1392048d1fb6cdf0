"""Where the station keeps its files: `--data-dir`, else $STATION_DATA_DIR, else the OS default."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

APP_NAME = "checkpoint-station"


def data_dir(override: str | None = None) -> Path:
    chosen = override or os.environ.get("STATION_DATA_DIR") or user_data_dir(APP_NAME)
    return Path(chosen)


def trust_db_path(base: Path) -> Path:
    return base / "trust.sqlite"
