"""`station hub` commands of the health authority: sealing key, tracing, audit, log health.

`trace` is the only command that prints personal data, and only after each decryption has its
audit row; `audit`, `alerts`, `log-health` and `purge-entries` print ids, numbers and counts.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from station.entrylog import sealing
from sync.hub import authority
from sync.hub.cli_common import CliHandler, command, open_hub
from sync.hub.tracing import TracedEntry, TraceRequest


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    def add(name: str, help_text: str, handler: CliHandler) -> argparse.ArgumentParser:
        return command(commands, common, name, help_text, handler)

    init = add("authority-init", "create the authority's sealing key pair", run_authority_init)
    init.add_argument("--out", required=True, metavar="PRIVATE.pem", help="new private key file")
    set_key = add("authority-set-key", "publish a sealing key made elsewhere", run_set_key)
    set_key.add_argument(
        "--public-key-raw",
        required=True,
        metavar="BASE64URL",
        help="the key as --public-key-raw=KEY (a base64url key may begin with '-')",
    )
    _add_trace(add("trace", "list the entries co-located with a case", run_trace))
    add("audit", "list every decryption", run_audit).add_argument("--case", help="only this case")
    add("alerts", "list log rollback and number-reuse alerts", run_alerts).add_argument(
        "--station", help="only this station"
    )
    add("log-health", "per station: entries held and numbers missing", run_log_health)
    purge = add("purge-entries", "delete uploaded entries older than N days", run_purge)
    purge.add_argument("--days", type=int, required=True)


def _add_trace(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--key", required=True, metavar="PRIVATE.pem", help="authority key")
    parser.add_argument("--case", required=True, help="the case id the tracing is approved for")
    parser.add_argument("--operator", required=True, help="who runs the trace")
    parser.add_argument("--entry", action="append", default=[], metavar="UUID")
    parser.add_argument("--name", help="find the case's entries by name (with --dob)")
    parser.add_argument("--dob", help="date of birth as on the credential")
    parser.add_argument("--days", type=int, default=21, help="how far back to search")
    parser.add_argument("--window-minutes", type=int, default=30)


def run_authority_init(args: argparse.Namespace) -> int:
    private_key = authority.create_key_file(Path(args.out))
    with open_hub(args) as hub:
        registered = hub.set_sealing_key(sealing.SealingKey(private_key.public_key()))
    print(f"sealing key {registered.key_id} published as sealing-key version {registered.version}")
    print(f"private key written to {args.out}: keep it offline; only it opens sealed entries")
    return 0


def run_set_key(args: argparse.Namespace) -> int:
    key = authority.parse_raw_key(args.public_key_raw)
    with open_hub(args) as hub:
        registered = hub.set_sealing_key(key)
    print(f"sealing key {registered.key_id} published as sealing-key version {registered.version}")
    return 0


def run_trace(args: argparse.Namespace) -> int:
    request = TraceRequest(
        case_id=args.case,
        operator=args.operator,
        entries=tuple(args.entry),
        name=args.name,
        date_of_birth=args.dob,
        days=args.days,
        window_minutes=args.window_minutes,
    )
    private_key = sealing.load_private_key(Path(args.key))
    with open_hub(args) as hub:
        result = hub.trace(private_key, request)
    print(
        f"case {request.case_id}: {len(result.case_entries)} case entries, "
        f"{len(result.contacts)} co-located within {request.window_minutes} min, "
        f"{result.decrypted} identities opened (audited)"
    )
    _print_entries("case entries", result.case_entries)
    _print_entries("co-located entries", result.contacts)
    return 0 if result.case_entries else 1


def _print_entries(title: str, entries: tuple[TracedEntry, ...]) -> None:
    print(f"{title}:")
    for entry in entries:
        who = entry.note
        if entry.identity is not None:
            person = entry.identity
            who = f"{person.name} | {person.date_of_birth} | {person.credential_id}"
        print(
            f"  {entry.station_id:<20} {entry.checkpoint_id:<16} {entry.minute} "
            f"{entry.direction:<3} {entry.verdict:<14} {who}"
        )


def run_audit(args: argparse.Namespace) -> int:
    with open_hub(args) as hub:
        records = hub.audit_trail(args.case)
    print(f"{'at':<21} {'case':<16} {'operator':<16} {'purpose':<8} entry")
    for record in records:
        print(
            f"{record.at:<21} {record.case_id:<16} {record.operator:<16} {record.purpose:<8} "
            f"{record.entry_uuid}"
        )
    return 0


def run_alerts(args: argparse.Namespace) -> int:
    with open_hub(args) as hub:
        alerts = hub.log_alerts(args.station)
    if not alerts:
        print("No alerts.")
    for alert in alerts:
        print(f"{alert.at}  {alert.kind:<10} {alert.message}")
    return 0


def run_log_health(args: argparse.Namespace) -> int:
    with open_hub(args) as hub:
        rows = hub.log_health()
    print(f"{'station':<20} {'entries':>8} {'purged':>8} {'max seq':>8} {'unsent':>7} missing")
    for row in rows:
        missing = ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in row.missing) or "-"
        print(
            f"{row.station_id:<20} {row.entries:>8} {row.purged:>8} {row.max_seq:>8} "
            f"{row.reported_unsent:>7} {missing}"
        )
    return 0


def run_purge(args: argparse.Namespace) -> int:
    with open_hub(args) as hub:
        purged = hub.purge_entries(args.days)
    print(
        f"{purged.entries} entries older than {args.days} days deleted "
        f"({purged.sealed} with a sealed identity); their UUIDs are kept for deduplication"
    )
    return 0
