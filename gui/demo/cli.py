"""`station demo`: the whole system on one machine, with no camera and no network.

A hub with a demo health authority starts on 127.0.0.1; the station enrolls at it and syncs its
trust data; the demo credentials (valid and invalid of every family, and national QRs looked up
in the status list) become QR images that a virtual camera holds up one by one in front of the
real app; every verdict is logged, uploaded to the hub every few seconds, and at the end the
authority traces a case from what the hub received. With no display the app runs headless for
one round and the verdicts are printed. `--text` is the terminal-only demo of the core.

Registered through the `checkpoint_station.commands` entry points under the name `demo`, so it
replaces the core's terminal demo whenever the app and sync packages are installed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

from station.cli import demo_command


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="run the whole station here: demo hub, every kind of credential, app, upload",
        description=__doc__.split("\n\n")[1] if __doc__ else None,
    )
    parser.add_argument("--keep", metavar="DIR", help="keep the demo's files (hub, station) in DIR")
    parser.add_argument(
        "--headless", action="store_true", help="no window: one round, verdicts printed"
    )
    parser.add_argument("--kiosk", action="store_true", help="the full-screen kiosk layout")
    parser.add_argument("--size", metavar="WxH", help="window size, e.g. 800x480")
    parser.add_argument("--lang", choices=("vi", "en"), help="start in this language")
    parser.add_argument("--no-sound", action="store_true", help="no verdict sounds")
    parser.add_argument(
        "--pace",
        type=float,
        metavar="SECONDS",
        help="seconds from one person to the next (default 6.5; headless 1.6)",
    )
    parser.add_argument(
        "--text", action="store_true", help="terminal only: no hub, no app (the core's demo)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.text:
        return demo_command.run(args)
    if args.keep:
        return _run_in(Path(args.keep), args)
    with tempfile.TemporaryDirectory(prefix="station-demo-") as folder:
        return _run_in(Path(folder), args)


def _run_in(folder: Path, args: argparse.Namespace) -> int:
    from gui.demo.run import run_demo
    from gui.demo.show import DemoScreen, has_display
    from gui.theme import parse_size

    try:
        size = parse_size(args.size) if args.size else None
    except ValueError as exc:
        print(f"station: {exc}", file=sys.stderr)
        return 2
    if args.pace is not None and not 0.5 <= args.pace <= 60:
        print("station: --pace must be 0.5 to 60 seconds", file=sys.stderr)
        return 2
    headless = args.headless or not has_display()
    if headless and not args.headless:
        print("No display here: the app runs headless for one round.\n")
    screen = DemoScreen(
        headless=headless,
        kiosk=args.kiosk,
        size=size,
        language=args.lang,
        sound=False if args.no_sound else None,
        pace_s=args.pace,
    )
    return run_demo(folder, screen)
