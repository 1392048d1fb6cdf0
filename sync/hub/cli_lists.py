"""`station hub` commands for the revocation list and the national status list.

ID numbers given to `publish-status` and `remove-status` are turned into list keys at once and
never printed, stored or logged.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import Any

from station.verify.revocation import HASH_BYTES, HashType
from sync.hub.cli_common import CliHandler, command, open_hub
from sync.hub.revocations import UNKNOWN_KID, RevocationEntry
from sync.hub.store import parse_instant


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    def add(name: str, help_text: str, handler: CliHandler) -> argparse.ArgumentParser:
        return command(commands, common, name, help_text, handler)

    revoke_pass = add("revoke-pass", "revoke an HC1: pass (all its hashes)", run_revoke_pass)
    revoke_pass.add_argument("text", help="the HC1: text, or - to read it from stdin")
    revoke_pass.add_argument("--expires", type=_instant, help="ISO date the entry may be dropped")
    _hash_selectors(add("revoke-hash", "revoke one hash", run_revoke_hash), required=True)
    unrevoke = add("unrevoke", "lift a revocation (by pass or by hash)", run_unrevoke)
    unrevoke.add_argument("--pass", dest="text", help="the HC1: text, or - for stdin")
    _hash_selectors(unrevoke, required=False)
    publish = add("publish-status", "publish an ID number's status flags", run_publish_status)
    publish.add_argument("id_number")
    publish.add_argument("--flags", type=int, required=True)
    publish.add_argument("--valid-until", type=_instant)
    add("remove-status", "remove an ID number from the list", run_remove_status).add_argument(
        "id_number"
    )
    add("rotate-status-salt", "new salt: empties the status list", run_rotate_salt)


def run_revoke_pass(args: argparse.Namespace) -> int:
    with open_hub(args) as hub:
        added = hub.revoke_pass(_text(args.text), args.expires)
        version = hub.version("revocations")
    print(f"{added} hash(es) revoked; revocations version {version}")
    return 0 if added else 1


def run_revoke_hash(args: argparse.Namespace) -> int:
    with open_hub(args) as hub:
        added = hub.publish_revocations([_entry(args)])
        version = hub.version("revocations")
    print(f"{added} hash(es) revoked; revocations version {version}")
    return 0 if added else 1


def run_unrevoke(args: argparse.Namespace) -> int:
    if args.text is None and args.hash is None:
        raise ValueError("name the revocation: --pass TEXT, or --kid/--type/--hash")
    with open_hub(args) as hub:
        if args.text is not None:
            removed = hub.unrevoke_pass(_text(args.text))
        else:
            removed = hub.unpublish_revocations([_entry(args)])
        version = hub.version("revocations")
    print(f"{removed} revocation(s) lifted; revocations version {version}")
    return 0 if removed else 1


def run_publish_status(args: argparse.Namespace) -> int:
    with open_hub(args) as hub:
        changed = hub.publish_status(args.id_number, args.flags, args.valid_until)
        version = hub.version("status-list")
    print(f"{'published' if changed else 'unchanged'}; status-list version {version}")
    return 0


def run_remove_status(args: argparse.Namespace) -> int:
    with open_hub(args) as hub:
        removed = hub.remove_status(args.id_number)
        version = hub.version("status-list")
    print(f"{'removed' if removed else 'not on the list'}; status-list version {version}")
    return 0 if removed else 1


def run_rotate_salt(args: argparse.Namespace) -> int:
    with open_hub(args) as hub:
        params = hub.rotate_status_salt()
        version = hub.version("status-list")
    print(f"new salt ({params.memory_kib} KiB, {params.iterations} passes); the list is empty")
    print(f"status-list version {version}: re-publish every entry")
    return 0


def _hash_selectors(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument("--kid", required=required, help=f"base64 kid or {UNKNOWN_KID}")
    parser.add_argument("--type", required=required, choices=[t.name for t in HashType])
    parser.add_argument("--hash", required=required, help=f"{HASH_BYTES * 2} hex digits")
    if required:
        parser.add_argument("--expires", type=_instant, help="ISO date the entry may be dropped")


def _entry(args: argparse.Namespace) -> RevocationEntry:
    if args.kid is None or args.type is None or args.hash is None:
        raise ValueError("--kid, --type and --hash go together")
    digest = bytes.fromhex(args.hash)
    if len(digest) != HASH_BYTES:
        raise ValueError(f"--hash must be {HASH_BYTES * 2} hex digits")
    kid = None if args.kid == UNKNOWN_KID else args.kid
    return RevocationEntry(
        kid, HashType.from_wire(args.type), digest, getattr(args, "expires", None)
    )


def _text(value: str) -> str:
    return sys.stdin.read().strip() if value == "-" else value.strip()


def _instant(text: str) -> datetime:
    try:
        return parse_instant(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 date: {text!r}") from None
