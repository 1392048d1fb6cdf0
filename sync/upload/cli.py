"""`station upload [--daemon] [--interval SECONDS] [--batch-size N]`.

Registered as a `station` subcommand through the `checkpoint_station.commands` entry points,
so the core never imports the sync layer. `python -m sync.upload.cli [--data-dir DIR] ...`
runs the same command on its own: a long-running upload service started that way does not
load the other commands (camera, QR decoders), which keeps its memory small on a kiosk.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from station.paths import data_dir
from sync.errors import SyncError
from sync.upload.batch import MAX_BATCH
from sync.upload.daemon import drain, open_uploader, retention_job, run_daemon

DEFAULT_INTERVAL_S = 60.0
MIN_INTERVAL_S = 1.0


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser("upload", help="send logged entries to the hub")
    add_options(parser)


def add_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--daemon", action="store_true", help="keep uploading until stopped")
    parser.add_argument(
        "--interval",
        type=_interval,
        default=DEFAULT_INTERVAL_S,
        help=f"seconds between passes in daemon mode (default {DEFAULT_INTERVAL_S:g})",
    )
    parser.add_argument(
        "--batch-size",
        type=_batch_size,
        default=100,
        help=f"entries per request, 1..{MAX_BATCH} (default 100)",
    )
    parser.set_defaults(handler=run_upload)


def run_upload(args: argparse.Namespace) -> int:
    base = data_dir(args.data_dir)
    try:
        with open_uploader(base, batch_size=args.batch_size) as uploader:
            retention = retention_job(base)
            if args.daemon:
                return run_daemon(uploader, interval_s=args.interval, out=_say, retention=retention)
            return drain(uploader, out=_say, retention=retention)
    except SyncError as exc:
        print(f"station: upload: {exc.code}: {exc.message}", file=sys.stderr)
        return 2


def main(argv: list[str] | None = None) -> int:
    """The `upload` command without the rest of the `station` command."""
    parser = argparse.ArgumentParser(
        prog="python -m sync.upload.cli",
        description="Send logged entries to the hub (`station upload` on its own).",
    )
    parser.add_argument("--data-dir", help="where the station keeps its databases")
    add_options(parser)
    args = parser.parse_args(argv)
    code: int = args.handler(args)
    return code


def _say(line: str) -> None:
    print(line, flush=True)


def _interval(text: str) -> float:
    value = float(text)
    if value < MIN_INTERVAL_S:
        raise argparse.ArgumentTypeError(f"must be at least {MIN_INTERVAL_S:g} s")
    return value


def _batch_size(text: str) -> int:
    value = int(text)
    if not 1 <= value <= MAX_BATCH:
        raise argparse.ArgumentTypeError(f"must be 1..{MAX_BATCH}")
    return value


if __name__ == "__main__":
    sys.exit(main())
