"""`station hub add-issuer / remove-issuer / issuers`: the allow-list of the other families."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from sync.hub.cli_common import CliHandler, command, open_hub
from sync.hub.issuers import FAMILIES

MAX_FILE_BYTES = 1024 * 1024


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    def add(name: str, help_text: str, handler: CliHandler) -> argparse.ArgumentParser:
        parser = command(commands, common, name, help_text, handler)
        return parser

    issuer = add("add-issuer", "allow-list an issuer of another family", run_add_issuer)
    issuer.add_argument("--family", required=True, choices=FAMILIES)
    issuer.add_argument("--issuer", required=True, help="iss URL, DID or country code")
    issuer.add_argument("jwks", help='public keys: {"keys": [...]}')
    issuer.add_argument("--crl", action="append", default=[], help="SHC CRL file (repeatable)")
    remove = add("remove-issuer", "drop an issuer from the allow-list", run_remove_issuer)
    remove.add_argument("--family", required=True, choices=FAMILIES)
    remove.add_argument("--issuer", required=True)
    add("issuers", "list allow-listed issuers", run_list_issuers)


def run_add_issuer(args: argparse.Namespace) -> int:
    keys = _json_file(args.jwks).get("keys")
    if not isinstance(keys, list):
        raise ValueError(f'{args.jwks}: expected {{"keys": [...]}}')
    crls = [_json_file(name) for name in args.crl]
    with open_hub(args) as hub:
        changed = hub.add_issuer(args.family, args.issuer, keys, crls)
        version = hub.version("issuer-keys")
    state = "published" if changed else "unchanged"
    print(f"{args.issuer}: {len(keys)} key(s) {state}; issuer-keys version {version}")
    return 0 if changed else 1


def run_remove_issuer(args: argparse.Namespace) -> int:
    with open_hub(args) as hub:
        removed = hub.remove_issuer(args.family, args.issuer)
    print(f"{args.issuer}: {'removed' if removed else 'not on the list'}")
    return 0 if removed else 1


def run_list_issuers(args: argparse.Namespace) -> int:
    with open_hub(args) as hub, hub.read() as conn:
        rows = conn.execute("SELECT family, issuer, keys_json FROM issuers ORDER BY 1, 2")
        listed = [(family, issuer, len(json.loads(keys))) for family, issuer, keys in rows]
    if not listed:
        print("No issuers. Add one with: station hub add-issuer")
    for family, issuer, count in listed:
        print(f"{family:<6} {issuer:<60} {count} key(s)")
    return 0


def _json_file(name: str) -> dict[str, Any]:
    raw = Path(name).read_bytes()
    if len(raw) > MAX_FILE_BYTES:
        raise ValueError(f"{name}: too large")
    value = json.loads(raw)
    if not isinstance(value, dict):
        raise ValueError(f"{name}: not a JSON object")
    return value
