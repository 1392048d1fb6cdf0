"""`station run`: the station app, in a window (laptop) or full screen (`--kiosk`).

Registered as a `station` subcommand through the `checkpoint_station.commands` entry points, so
the core never imports the GUI.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from station.cli.verifier_options import add_verifier_options
from station.paths import data_dir
from station.scan.sources import SPEC_FORMS


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "run",
        help="run the station app (windowed; --kiosk for the full-screen touch kiosk)",
        description=(
            "The station app: live camera, verdict screen, status strip and admin panel. "
            f"Sources: {SPEC_FORMS}, or file:FOLDER to play a folder of QR images as a camera."
        ),
    )
    parser.add_argument("--kiosk", action="store_true", help="full screen, touch first")
    parser.add_argument("--source", default="", help="frame source (default: camera:0)")
    parser.add_argument("--lang", choices=("vi", "en"), help="start in this language")
    parser.add_argument(
        "--size", metavar="WxH", help="window size, e.g. 800x480 (kiosk: instead of full screen)"
    )
    parser.add_argument("--no-sound", action="store_true", help="no verdict sounds")
    parser.add_argument(
        "--set-pin", action="store_true", help="set the admin PIN (asked twice) and exit"
    )
    add_verifier_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    base = data_dir(args.data_dir)
    if args.set_pin:
        return _set_pin(base)
    from gui.app import run as run_app
    from gui.app_config import AppConfig
    from gui.theme import parse_size

    try:
        size = parse_size(args.size) if args.size else None
    except ValueError as exc:
        print(f"station: {exc}", file=sys.stderr)
        return 2
    config = AppConfig(
        base=base,
        kiosk=args.kiosk,
        source=args.source,
        language=args.lang,
        size=size,
        at=args.at,
        trust_cert=tuple(args.trust_cert),
        profile=args.profile,
        sound=False if args.no_sound else None,
    )
    return run_app(args, config)


def _set_pin(base: Any) -> int:
    from gui.pin import MAX_DIGITS, MIN_DIGITS, PinStore, valid_pin

    first = getpass.getpass(f"New admin PIN ({MIN_DIGITS} to {MAX_DIGITS} digits): ")
    if not valid_pin(first):
        print(f"station: a PIN is {MIN_DIGITS} to {MAX_DIGITS} digits", file=sys.stderr)
        return 2
    if getpass.getpass("Again: ") != first:
        print("station: the two PINs differ", file=sys.stderr)
        return 2
    PinStore(base).set_pin(first)
    print("Admin PIN set.")
    return 0
