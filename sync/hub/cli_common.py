"""What every `station hub` sub-command shares: where the hub file is, and error handling."""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from station.errors import StationError
from station.paths import data_dir
from sync.hub.base import HubConfig
from sync.hub.hub import Hub
from sync.hub.problems import HubProblem

CliHandler = Callable[[argparse.Namespace], int]


def hub_path(args: argparse.Namespace) -> Path:
    """`--db`, else `hub.sqlite` in the station's data directory."""
    return Path(args.db) if args.db else data_dir(getattr(args, "data_dir", None)) / "hub.sqlite"


def open_hub(args: argparse.Namespace, config: HubConfig | None = None) -> Hub:
    return Hub(hub_path(args), config)


def guarded(handler: CliHandler) -> CliHandler:
    """Turn refused input (bad file, bad value) into a one-line message and exit code 2."""

    @functools.wraps(handler)
    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except (ValueError, StationError, OSError, HubProblem) as exc:
            print(f"station hub: {exc}", file=sys.stderr)
            return 2

    return run


def command(
    commands: Any, common: argparse.ArgumentParser, name: str, help_text: str, handler: CliHandler
) -> argparse.ArgumentParser:
    """Add a sub-command sharing `--db`, with its guarded handler."""
    parser: argparse.ArgumentParser = commands.add_parser(name, parents=[common], help=help_text)
    parser.set_defaults(handler=guarded(handler))
    return parser
