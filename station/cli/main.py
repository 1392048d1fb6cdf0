"""`station`: the command-line entry point; each subcommand lives in its own module."""

from __future__ import annotations

import argparse
import sys
from importlib.metadata import entry_points

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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="station", description="Checkpoint station: verify health passes and national QRs."
    )
    parser.add_argument("--version", action="version", version=f"station {__version__}")
    parser.add_argument("--data-dir", help="where the station keeps its databases")
    subparsers = parser.add_subparsers(dest="command", required=True)
    verify_command.add_parser(subparsers)
    scan_command.add_parser(subparsers)
    rules_command.add_parser(subparsers)
    trust_command.add_parser(subparsers)
    demo_command.add_parser(subparsers)
    status_command.add_parser(subparsers)
    settings_command.add_parser(subparsers)
    log_command.add_parser(subparsers)
    doctor_command.add_parser(subparsers)
    _add_plugin_commands(subparsers)
    return parser


def _add_plugin_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Commands other packages register (sync, hub, app) without the core importing them."""
    for entry in sorted(entry_points(group=PLUGIN_GROUP), key=lambda e: e.name):
        try:
            add_parser = entry.load()
        except ImportError:
            continue  # a partial install without that package: the core commands still work
        add_parser(subparsers)


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
