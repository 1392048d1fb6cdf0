"""`station settings [show]` and `station settings set KEY VALUE`."""

from __future__ import annotations

import argparse
import json
from typing import Any

from station.paths import data_dir
from station.rules.profiles import resolve_profile
from station.settings import load_settings, save_settings, with_setting

KEYS_HELP = (
    "profile (a profile name, file or synced:CC; '' for none), stale_data_policy (warn|refuse), "
    "warn_after_hours, degrade_after_hours, per_source.<source> (WARN,DEGRADE hours or default), "
    "scan_budget_ms (decode time per camera frame), checkpoint_id (this door or lane), "
    "retention_days (14-28: entries are deleted after this, uploaded or not), "
    "upload_grace_hours (0-24: how long uploaded entries stay), "
    "log_quota_mb (space the entry log may take; alert at 80%), "
    "nzcp_extra_issuers (comma-separated did:web DIDs accepted besides NZ's production issuer)"
)


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser("settings", help="show or change the station's settings")
    commands = parser.add_subparsers(dest="settings_command")
    parser.set_defaults(handler=run_show)
    commands.add_parser("show", help="print the settings as JSON").set_defaults(handler=run_show)
    setter = commands.add_parser("set", help="change one setting", description=KEYS_HELP)
    setter.add_argument("key")
    setter.add_argument("value")
    setter.set_defaults(handler=run_set)


def run_show(args: argparse.Namespace) -> int:
    print(json.dumps(load_settings(data_dir(args.data_dir)).to_json(), indent=2))
    return 0


def run_set(args: argparse.Namespace) -> int:
    base = data_dir(args.data_dir)
    updated = with_setting(load_settings(base), args.key, args.value)
    if args.key == "profile" and updated.profile and not updated.profile.startswith("synced:"):
        resolve_profile(updated.profile)  # refuse a name or file that does not load, now
    path = save_settings(base, updated)
    print(f"{args.key} = {args.value!r} ({path})")
    return 0
