"""`station`: the command-line entry point; each subcommand lives in its own module."""

from __future__ import annotations

import argparse
import sys

from station import __version__
from station.cli import demo_command, rules_command, scan_command, trust_command, verify_command
from station.errors import StationError


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
    return parser


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
