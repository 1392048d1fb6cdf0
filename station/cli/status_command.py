"""`station status`: how fresh every synced source is, its version and its last error."""

from __future__ import annotations

import argparse
import json
from datetime import timedelta
from typing import Any

from station.adapters.clock import SystemClock
from station.cache.catalogue import SOURCE_TITLES, SYNCED_SOURCES
from station.cache.database import open_cache
from station.cache.freshness import StationHealth, assess
from station.cache.sync_state import SyncStateStore
from station.paths import cache_db_path, data_dir, enrollment_path
from station.settings import load_settings


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser("status", help="show how fresh the station's data is")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(handler=run)


def station_health(args: argparse.Namespace) -> tuple[StationHealth, bool]:
    """The station's health from its cache, and whether it is enrolled with a hub."""
    base = data_dir(args.data_dir)
    enrolled = enrollment_path(base).exists()
    cache = open_cache(cache_db_path(base))
    try:
        states = SyncStateStore(cache).all()
    finally:
        cache.close()
    expected = SYNCED_SOURCES if enrolled else ()
    policy = load_settings(base).freshness_policy()
    return assess(states, expected, policy, SystemClock().now()), enrolled


def run(args: argparse.Namespace) -> int:
    health, enrolled = station_health(args)
    if args.json:
        print(json.dumps({"enrolled": enrolled, **health.to_json()}, indent=2))
        return 0 if health.state == "OK" else 1
    print(f"Station data: {health.state}" + ("" if enrolled else " (not enrolled with a hub)"))
    for item in health.sources:
        title = SOURCE_TITLES.get(item.source, item.source)
        version = "-" if item.version is None else str(item.version)
        print(f"  {title:<30} {item.state:<6} {_age(item.age):>10}  v{version:<6} {item.reason}")
    return 0 if health.state == "OK" else 1


def _age(age: timedelta | None) -> str:
    if age is None:
        return "never"
    seconds = int(age.total_seconds())
    if seconds < 3600:
        return f"{seconds // 60} min"
    if seconds < 2 * 86400:
        return f"{seconds // 3600} h"
    return f"{seconds // 86400} days"
