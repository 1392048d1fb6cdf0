"""`station hub ...`: run the reference hub and administer it from the command line.

`add_parser(subparsers)` adds the `hub` command; each sub-command's handler takes the parsed
arguments and returns the exit code (0 done, 1 nothing to do, 2 refused input).
"""

from __future__ import annotations

import argparse
import time
from datetime import timedelta
from typing import Any

from sync.hub import cli_admin, cli_issuers, cli_lists, cli_tracing, cli_upstream
from sync.hub.base import HubConfig
from sync.hub.cli_common import command, open_hub
from sync.hub.server import HubServer

DEFAULT_PORT = 8700


def add_parser(subparsers: Any) -> None:
    """Add `hub` and its sub-commands to the `station` command's subparsers."""
    parser = subparsers.add_parser("hub", help="run and administer the reference sync hub")
    commands = parser.add_subparsers(dest="hub_command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", help="hub database (default: <data dir>/hub.sqlite)")
    _add_server_commands(commands, common)
    cli_admin.add_commands(commands, common)
    cli_lists.add_commands(commands, common)
    cli_issuers.add_commands(commands, common)
    cli_tracing.add_commands(commands, common)
    cli_upstream.add_commands(commands, common)


def _add_server_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    serve = command(commands, common, "serve", "serve the hub until Ctrl-C", run_serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT)
    serve.add_argument("--tls-cert", help="PEM certificate (chain) for HTTPS")
    serve.add_argument("--tls-key", help="PEM private key for HTTPS")
    serve.add_argument("--page-size", type=int, default=HubConfig().page_size)
    serve.add_argument("--bundle-days", type=float, default=7.0, help="bundle validity (days)")
    code = command(commands, common, "enroll-code", "create an enrollment code", run_enroll_code)
    code.add_argument("--name", default="", help="name of the station it is meant for")
    code.add_argument("--valid-hours", type=float, default=24.0)
    code.add_argument("--url", default=f"http://127.0.0.1:{DEFAULT_PORT}", help="hub URL")
    command(commands, common, "stations", "list enrolled stations", run_stations)
    revoke = command(commands, common, "revoke-station", "refuse a station", run_revoke_station)
    revoke.add_argument("station_id")
    command(commands, common, "rotate-key", "sign with a new key from now on", run_rotate_key)


def run_serve(args: argparse.Namespace) -> int:
    config = HubConfig(page_size=args.page_size, bundle_ttl=timedelta(days=args.bundle_days))
    with open_hub(args, config) as hub:
        server = HubServer(hub, args.host, args.port, args.tls_cert, args.tls_key).start()
        try:
            print(f"hub serving at {server.url}")
            print(f"signing key fingerprint (pin): {hub.key_fingerprint()}", flush=True)
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            print("hub stopped")
        finally:
            server.stop()
    return 0


def run_enroll_code(args: argparse.Namespace) -> int:
    with open_hub(args) as hub:
        code = hub.create_enrollment_code(args.name, timedelta(hours=args.valid_hours))
        pin = hub.key_fingerprint()
    print(f"enrollment code: {code} (single use, valid {args.valid_hours:g} h)")
    print(f"on the station run: station enroll --hub {args.url} --code {code} --pin {pin}")
    return 0


def run_stations(args: argparse.Namespace) -> int:
    with open_hub(args) as hub:
        stations = hub.stations()
    if not stations:
        print("No stations enrolled. Create a code with: station hub enroll-code")
        return 0
    print(f"{'id':<20} {'name':<20} {'enrolled':<21} {'last seen':<21} state")
    for st in stations:
        state = f"revoked {st.revoked_at}" if st.revoked else "active"
        print(f"{st.id:<20} {st.name:<20} {st.enrolled_at:<21} {st.last_seen or '-':<21} {state}")
    return 0


def run_revoke_station(args: argparse.Namespace) -> int:
    with open_hub(args) as hub:
        revoked = hub.revoke_station(args.station_id)
    print(f"{args.station_id}: {'revoked' if revoked else 'unknown or already revoked'}")
    return 0 if revoked else 1


def run_rotate_key(args: argparse.Namespace) -> int:
    with open_hub(args) as hub:
        hub.rotate_key()
        fingerprints = hub.key_fingerprints()
    print(f"now signing with {fingerprints[0]}")
    print(f"published keys: {', '.join(fingerprints)}")
    print("stations pin the new key at their next sync (it is announced under the old key)")
    return 0
