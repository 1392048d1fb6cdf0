"""`station`: the command-line entry point; each subcommand lives in its own module.

Subcommand modules are imported only when needed: `station run --kiosk` after a crash should not
pay for importing the scanner, the hub and the demo before the screen comes back (reliability
plan T31). The full parser, with every command, is built for `--help`, for an unknown command and
when no arguments are given to `build_parser`.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import entry_points
from typing import Any, NoReturn

from station import __version__
from station.errors import StationError

PLUGIN_GROUP = "checkpoint_station.commands"
AddParser = Callable[[Any], None]
# name -> "module:function" that adds the command's parser, in the order `--help` lists them
BUILTIN_COMMANDS: dict[str, str] = {
    "verify": "station.cli.verify_command:add_parser",
    "scan": "station.cli.scan_command:add_parser",
    "rules": "station.cli.rules_command:add_parser",
    "trust": "station.cli.trust_command:add_parser",
    "demo": "station.cli.demo_command:add_parser",
    "status": "station.cli.status_command:add_parser",
    "settings": "station.cli.settings_command:add_parser",
    "log": "station.cli.log_command:add_parser",
    "doctor": "station.cli.doctor_command:add_parser",
}


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The `station` parser. Given the arguments about to be parsed, only the chosen command's
    module is imported (`station run --help` needs only `run`); with no command among them, or
    no arguments at all, every command is registered so help and errors list them all."""
    parser = argparse.ArgumentParser(
        prog="station", description="Checkpoint station: verify health passes and national QRs."
    )
    parser.add_argument("--version", action="version", version=f"station {__version__}")
    parser.add_argument("--data-dir", help="where the station keeps its databases")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for add_parser in _command_adders(argv):
        add_parser(subparsers)
    return parser


def _command_adders(argv: Sequence[str] | None) -> list[AddParser]:
    plugins = _plugin_targets()
    names = list(BUILTIN_COMMANDS) + sorted(set(plugins) - set(BUILTIN_COMMANDS))
    chosen, wants_version = _chosen_command(argv)
    if chosen in names:
        names = [chosen]
    elif wants_version:
        names = []
    adders = []
    for name in names:
        adder = _load(plugins[name]) if name in plugins else None
        if adder is None and name in BUILTIN_COMMANDS:
            adder = _load(BUILTIN_COMMANDS[name])
        if adder is not None:
            adders.append(adder)
    return adders


def _chosen_command(argv: Sequence[str] | None) -> tuple[str | None, bool]:
    """The command word and whether `--version` was asked for, read the way the real parser will
    read them (so `--data-dir X verify` picks `verify`); (None, False) builds everything."""
    if argv is None:
        return None, False
    pre = _SilentParser(add_help=False)
    pre.add_argument("--version", action="store_true")
    pre.add_argument("--data-dir")
    pre.add_argument("command", nargs="?")
    try:
        known, _ = pre.parse_known_args(list(argv))
    except _PreParseError:  # a malformed option: the full parser reports it
        return None, False
    command: str | None = known.command
    if command is not None and _asks_main_help(argv, command):
        return None, False
    return command, bool(known.version)


class _PreParseError(Exception):
    pass


class _SilentParser(argparse.ArgumentParser):
    """A parser that raises instead of printing: its errors are the full parser's to report."""

    def error(self, message: str) -> NoReturn:
        raise _PreParseError(message)


def _asks_main_help(argv: Sequence[str], command: str) -> bool:
    """`station -h run` asks for the main help, which lists every command."""
    leading = list(argv)[: list(argv).index(command)]
    return any(token in ("-h", "--help") for token in leading)


def _plugin_targets() -> dict[str, str]:
    """Commands other packages register (sync, hub, app) without the core importing them. A
    plugin may take over a built-in's name: the full `station demo` (hub, app, upload) replaces
    the core's terminal demo when the app is installed."""
    return {entry.name: entry.value for entry in entry_points(group=PLUGIN_GROUP)}


def _load(target: str) -> AddParser | None:
    module_name, _, attribute = target.partition(":")
    try:
        module = importlib.import_module(module_name.strip())
    except ImportError:
        return None  # a partial install without that package: the core commands still work
    adder: AddParser = getattr(module, attribute.strip())
    return adder


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    args = build_parser(arguments).parse_args(arguments)
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
