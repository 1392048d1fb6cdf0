"""`station hub` commands for signer certificates, business rules and value sets."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from station.trust.sources import certificates_from_file
from sync.hub.cli_common import CliHandler, command, open_hub


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    def add(name: str, help_text: str, handler: CliHandler) -> argparse.ArgumentParser:
        return command(commands, common, name, help_text, handler)

    add("add-dsc", "publish signer certificates (PEM, DER, JSON lists)", run_add_dsc).add_argument(
        "files", nargs="+"
    )
    add("remove-dsc", "withdraw a signer by kid or SHA-256", run_remove_dsc).add_argument(
        "selector", metavar="KID_OR_FINGERPRINT"
    )
    add("load-trust-list", "sync signers with an EU DCC trust list", run_load).add_argument("file")
    add("dscs", "list signer certificates", run_dscs)
    add("add-rule", "publish an EU business rule (exact bytes)", run_add_rule).add_argument("file")
    add("remove-rule", "withdraw every version of a rule", run_remove_rule).add_argument(
        "identifier"
    )
    add("add-valueset", "publish a value set (exact bytes)", run_add_valueset).add_argument("file")


def run_add_dsc(args: argparse.Namespace) -> int:
    ders = [der for name in args.files for der in certificates_from_file(name)]
    with open_hub(args) as hub:
        added = hub.add_dscs(ders)
        version = hub.version("trust-list")
    print(f"{added} added, {len(ders) - added} already published; trust-list version {version}")
    return 0


def run_remove_dsc(args: argparse.Namespace) -> int:
    with open_hub(args) as hub:
        removed = hub.remove_dsc(args.selector)
        version = hub.version("trust-list")
    print(f"{removed} removed; trust-list version {version}")
    return 0 if removed else 1


def run_load(args: argparse.Namespace) -> int:
    ders = certificates_from_file(args.file)
    with open_hub(args) as hub:
        added, removed = hub.load_trust_list(ders)
        version = hub.version("trust-list")
    print(
        f"{len(ders)} in the list: {added} added, {removed} removed; trust-list version {version}"
    )
    return 0


def run_dscs(args: argparse.Namespace) -> int:
    with open_hub(args) as hub:
        rows = hub.dscs()
    if not rows:
        print("No signer certificates. Add some with: station hub add-dsc FILE")
        return 0
    print(f"{'id':>5} {'kid':<14} {'country':<7} {'origin':<10} {'state':<8} sha256")
    for row in rows:
        state = "removed" if row.deleted else "current"
        print(
            f"{row.id:>5} {row.kid:<14} {row.country:<7} {row.origin:<10} {state:<8} "
            f"{row.fingerprint}"
        )
    return 0


def run_add_rule(args: argparse.Namespace) -> int:
    body = Path(args.file).read_bytes()
    with open_hub(args) as hub:
        rule = hub.add_rule(body)
        version = hub.version("rules")
    print(f"{rule.identifier} {rule.version} ({rule.country}) {rule.hash}; rules version {version}")
    return 0


def run_remove_rule(args: argparse.Namespace) -> int:
    with open_hub(args) as hub:
        removed = hub.remove_rule(args.identifier)
    print(f"{removed} version(s) of {args.identifier} removed")
    return 0 if removed else 1


def run_add_valueset(args: argparse.Namespace) -> int:
    body = Path(args.file).read_bytes()
    with open_hub(args) as hub:
        digest = hub.add_valueset(body)
        version = hub.version("valuesets")
    print(f"value set {digest}; valuesets version {version}")
    return 0
