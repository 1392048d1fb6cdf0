"""`station hub fetch-issuer / pull-dgca`: import from upstream sources instead of files.

`fetch-issuer shc ISS` reads a SMART Health Card issuer's JWKS and CRLs from its well-known
URLs; `fetch-issuer shc --all` refreshes every SHC issuer the hub holds (an operator's cron
job), each in its own transaction, so one unreachable issuer does not hold back the others.
`pull-dgca URL` replaces the hub's upstream signer certificates with those of a DGCA
verifier-service whose signing key is pinned. Exit codes as elsewhere: 0 published,
1 nothing changed, 2 refused (for `--all`: 2 if any issuer failed).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from sync.hub.cli_common import CliHandler, command, open_hub
from sync.hub.upstream_dgca import pull_dgca
from sync.hub.upstream_shc import held_shc_issuers, import_shc_issuer


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    def add(name: str, help_text: str, handler: CliHandler) -> argparse.ArgumentParser:
        parser = command(commands, common, name, help_text, handler)
        parser.add_argument("--ca", help="PEM CA file to verify the upstream's TLS certificate")
        return parser

    fetch = add("fetch-issuer", "fetch an issuer's keys and CRLs from its URLs", run_fetch)
    fetch.add_argument("family", choices=("shc",))
    fetch.add_argument("iss", nargs="?", help="the issuer URL (the cards' iss)")
    fetch.add_argument("--all", action="store_true", help="refresh every issuer the hub holds")
    pull = add("pull-dgca", "pull signer certificates from a DGCA upstream", run_pull_dgca)
    pull.add_argument("url", help="base URL of the upstream verifier-service")
    pull.add_argument(
        "--token",
        required=True,
        help="bearer token from the upstream (--token=VALUE if it starts with -)",
    )
    pull.add_argument("--pin", required=True, help="SHA-256 fingerprint of its signing key")


def run_fetch(args: argparse.Namespace) -> int:
    if bool(args.iss) == bool(args.all):
        raise ValueError("name one issuer URL, or --all")
    _require_ca_file(args.ca)
    if not args.all:
        with open_hub(args) as hub:
            result = import_shc_issuer(hub, args.iss, ca_file=args.ca)
        print(result.summary())
        return 0 if result.changed else 1
    return _fetch_all(args)


def _fetch_all(args: argparse.Namespace) -> int:
    """Refresh each held issuer on its own; report every one, then the worst outcome."""
    with open_hub(args) as hub:
        held = held_shc_issuers(hub)
        if not held:
            print("No SMART Health Card issuers. Add one with: station hub fetch-issuer shc URL")
            return 1
        failed = changed = 0
        for iss in held:
            try:
                result = import_shc_issuer(hub, iss, ca_file=args.ca)
            except ValueError as exc:
                failed += 1
                print(f"station hub: {exc} (kept what the hub had)", file=sys.stderr)
                continue
            changed += result.changed
            print(result.summary())
    print(f"{len(held)} issuer(s): {changed} updated, {failed} failed")
    return 2 if failed else 0 if changed else 1


def run_pull_dgca(args: argparse.Namespace) -> int:
    _require_ca_file(args.ca)
    with open_hub(args) as hub:
        result = pull_dgca(hub, args.url, token=args.token, pin=args.pin, ca_file=args.ca)
    print(result.summary())
    return 0 if result.changed else 1


def _require_ca_file(name: str | None) -> None:
    """Refuse a missing CA file up front (the HTTP library would only fail deep in a request)."""
    if name is not None and not Path(name).is_file():
        raise ValueError(f"{name}: no such CA file")
