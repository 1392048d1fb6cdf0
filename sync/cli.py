"""`station enroll` and `station sync [--daemon]`, registered as `station` subcommands.

They live in `sync/` because they speak HTTP; the `station` command finds them through the
`checkpoint_station.commands` entry points, so the core never imports this package.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import signal
import sys
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from station.adapters.clock import SystemClock
from station.adapters.sd_notify import ServiceHeartbeat
from station.cache.database import open_cache
from station.paths import cache_db_path, data_dir
from sync.context import SourceResult, SyncContext
from sync.enrollment import enroll, save_enrollment
from sync.errors import SyncError
from sync.runner import SOURCES, SourceOutcome, sync_sources
from sync.scheduler import Schedule, run_daemon
from sync.sealing_key import SOURCE as SEALING_KEY
from sync.sealing_key import sync_sealing_key
from sync.station_session import station_sync
from sync.upload.signing import create_device_key, device_key_path, load_device_key, public_key_pem

HUB_CA_FILE = "hub-ca.pem"
#: A sync round taking longer than this is stuck: the watchdog pings stop and systemd restarts
#: the daemon. The longest healthy round, a first download of 10 million revocation entries,
#: takes about 2 min on the development machine (bench_sync: 90 k entries/s), 8-10 min on a Pi 4.
SYNC_STALL_S = 30 * 60.0


def add_enroll_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser("enroll", help="register this station with a hub")
    parser.add_argument("--hub", required=True, help="hub URL, e.g. https://hub.example:8700")
    parser.add_argument("--code", required=True, help="one-time enrollment code from the hub")
    parser.add_argument(
        "--pin", required=True, help="the hub key's SHA-256 fingerprint, as the hub printed it"
    )
    parser.add_argument("--ca", help="the hub's TLS certificate authority (PEM) to pin")
    parser.add_argument("--name", default="", help="a name for this station (e.g. gate-1)")
    parser.set_defaults(handler=run_enroll)


def add_sync_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser("sync", help="update trust data from the hub")
    parser.add_argument(
        "--source", action="append", choices=list(SOURCES), help="only this source (repeatable)"
    )
    parser.add_argument("--daemon", action="store_true", help="keep syncing on a schedule")
    parser.add_argument(
        "--interval", type=float, default=15.0, help="minutes between syncs (daemon)"
    )
    parser.set_defaults(handler=run_sync)


def run_enroll(args: argparse.Namespace) -> int:
    base = data_dir(args.data_dir)
    ca_file = _keep_ca(args.ca, base) if args.ca else None
    device_key = _device_key(base)
    try:
        enrollment = enroll(
            args.hub,
            args.code,
            args.pin,
            name=args.name,
            ca_file=ca_file,
            device_key_pem=public_key_pem(device_key),
            now=SystemClock().now(),
        )
    except SyncError as exc:
        print(f"station: enrollment failed: {exc.code}: {exc.message}", file=sys.stderr)
        return 1
    path = save_enrollment(enrollment, base)
    print(f"Enrolled as {enrollment.station_id} at {enrollment.hub_url} ({path})")
    # The authority's sealing key comes right away, so the very first entry is sealed.
    cache = open_cache(cache_db_path(base))
    try:
        with enrollment.client() as client:
            ctx = SyncContext(client, cache, enrollment.pinned_keys(), SystemClock(), data_dir=base)
            _print_sealing_key(_refresh_sealing_key(ctx, base))
    finally:
        cache.close()
    return 0


def _device_key(base: Path) -> ec.EllipticCurvePrivateKey:
    """This station's upload-signing key: kept across re-enrollments, created on the first."""
    if device_key_path(base).exists():
        return load_device_key(base)
    return create_device_key(base)


def _refresh_sealing_key(ctx: SyncContext, base: Path) -> SourceResult | SyncError:
    try:
        return sync_sealing_key(ctx, base)
    except SyncError as exc:
        return exc


def _print_sealing_key(outcome: SourceResult | SyncError) -> None:
    if isinstance(outcome, SyncError):
        print(f"{SEALING_KEY}: FAILED {outcome.code}: {outcome.message}", flush=True)
    elif outcome.version is None:
        print(f"{SEALING_KEY}: the hub publishes none yet; entries carry no identity", flush=True)
    else:
        print(outcome.summary(), flush=True)


def _keep_ca(source: str, base: Path) -> str:
    """Copy the CA into the data folder, so the pin survives the operator's file moving away."""
    base.mkdir(parents=True, exist_ok=True)
    target = base / HUB_CA_FILE
    shutil.copyfile(source, target)
    return str(target)


def run_sync(args: argparse.Namespace) -> int:
    base = data_dir(args.data_dir)
    with contextlib.ExitStack() as stack:
        try:
            ctx = stack.enter_context(station_sync(base, on_rotation=_say_rotated))
        except SyncError as exc:
            print(f"station: {exc.message}", file=sys.stderr)
            return 2
        if args.daemon:
            return _daemon(ctx, args)
        outcomes = sync_sources(ctx, args.source)
        _print(outcomes)
        sealing = _refresh_sealing_key(ctx, base) if args.source is None else None
        if sealing is not None:
            _print_sealing_key(sealing)
        failed = isinstance(sealing, SyncError) or not all(o.ok for o in outcomes)
        return 1 if failed else 0


def _say_rotated() -> None:
    print("station: the hub rotated its signing key; the new key is pinned", flush=True)


def _daemon(ctx: SyncContext, args: argparse.Namespace) -> int:
    stop = threading.Event()
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: stop.set())
    schedule = Schedule(interval=timedelta(minutes=args.interval))
    print(f"station: syncing every {args.interval:g} min; Ctrl-C to stop", flush=True)
    # systemd (Type=notify, WatchdogSec): ready now; each loop round is a sign of life.
    heartbeat = ServiceHeartbeat.start(stall_after_s=SYNC_STALL_S, status="syncing")
    try:
        run_daemon(
            ctx,
            heartbeat.watched(stop),
            names=args.source,
            schedule=schedule,
            on_outcomes=lambda outcomes: _after_pass(ctx, outcomes),
        )
    finally:
        heartbeat.stop()
    return 0


def _after_pass(ctx: SyncContext, outcomes: list[SourceOutcome]) -> None:
    """Print the pass, and look for a new sealing key with it (rotations are rare)."""
    _print(outcomes)
    if ctx.data_dir is not None:
        _print_sealing_key(_refresh_sealing_key(ctx, ctx.data_dir))


def _print(outcomes: list[SourceOutcome]) -> None:
    for outcome in outcomes:
        print(outcome.summary(), flush=True)
