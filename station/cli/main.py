"""`station`: the command-line entry point; each subcommand lives in its own module."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Any

from station import __version__
from station.cli import (
    demo_command,
    doctor_command,
    log_command,
    rules_command,
    scan_command,
    settings_command,
    status_command,
    trust_command,
    verify_command,
)
from station.errors import StationError

PLUGIN_GROUP = "checkpoint_station.commands"
AddParser = Callable[[Any], None]
BUILTIN_COMMANDS: dict[str, AddParser] = {
    "verify": verify_command.add_parser,
    "scan": scan_command.add_parser,
    "rules": rules_command.add_parser,
    "trust": trust_command.add_parser,
    "demo": demo_command.add_parser,
    "status": status_command.add_parser,
    "settings": settings_command.add_parser,
    "log": log_command.add_parser,
    "doctor": doctor_command.add_parser,
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="station", description="Checkpoint station: verify health passes and national QRs."
    )
    parser.add_argument("--version", action="version", version=f"station {__version__}")
    parser.add_argument("--data-dir", help="where the station keeps its databases")
    subparsers = parser.add_subparsers(dest="command", required=True)
    plugins = _plugin_commands()
    for name, add_parser in BUILTIN_COMMANDS.items():
        if name not in plugins:
            add_parser(subparsers)
    for add_parser in plugins.values():
        add_parser(subparsers)
    return parser


def _plugin_commands() -> dict[str, AddParser]:
    """Commands other packages register (sync, hub, app) without the core importing them. A
    plugin may take over a built-in's name: the full `station demo` (hub, app, upload) replaces
    the core's terminal demo when the app is installed."""
    found: dict[str, AddParser] = {}
    for entry in sorted(entry_points(group=PLUGIN_GROUP), key=lambda e: e.name):
        try:
            found[entry.name] = entry.load()
        except ImportError:
            continue  # a partial install without that package: the core commands still work
    return found


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.handler(args)
    except StationError as exc:
        print(f"station: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
