"""`station trust import FILE...` and `station trust list`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from station.cache.database import open_cache
from station.cache.issuer_keys import IssuerKeyCache
from station.errors import TrustImportError
from station.paths import cache_db_path, data_dir, trust_db_path
from station.store.trust import SqliteTrustStore
from station.trust.sources import certificates_from_file

MAX_JWKS_BYTES = 1024 * 1024


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser("trust", help="manage trusted signer certificates")
    commands = parser.add_subparsers(dest="trust_command", required=True)
    importer = commands.add_parser(
        "import", help="import certificates (PEM, DER, base64, EU gateway/DGCA JSON lists)"
    )
    importer.add_argument("files", nargs="+")
    importer.set_defaults(handler=run_import)
    lister = commands.add_parser("list", help="list trusted signer certificates")
    lister.add_argument("--json", action="store_true")
    lister.set_defaults(handler=run_list)
    keys = commands.add_parser(
        "import-keys",
        help="trust an issuer of another family (SHC, NZCP, ...) with its public keys (JWKS)",
    )
    keys.add_argument("--family", required=True, help="credential family, e.g. shc or nzcp")
    keys.add_argument("--issuer", required=True, help="issuer as credentials name it (URL, DID)")
    keys.add_argument("file", help='a JWKS file: {"keys": [<public JWK>, ...]}')
    keys.set_defaults(handler=run_import_keys)
    key_lister = commands.add_parser("keys", help="list trusted issuer keys of other families")
    key_lister.add_argument("--json", action="store_true")
    key_lister.set_defaults(handler=run_list_keys)


def _store(args: argparse.Namespace) -> SqliteTrustStore:
    return SqliteTrustStore(trust_db_path(data_dir(args.data_dir)))


def run_import(args: argparse.Namespace) -> int:
    store = _store(args)
    failed = False
    for name in args.files:
        try:
            ders = certificates_from_file(name)
        except TrustImportError as exc:
            print(f"{name}: not imported: {exc}")
            failed = True
            continue
        report = store.import_der(ders, source=name)
        print(
            f"{name}: {report.added} added, {report.already_present} already trusted, "
            f"{len(report.rejected)} rejected"
        )
        for reason in report.rejected:
            print(f"  rejected: {reason}")
        failed = failed or bool(report.rejected)
    return 1 if failed else 0


def run_list(args: argparse.Namespace) -> int:
    rows = _store(args).rows()
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    if not rows:
        print("No trusted signer certificates. Import some with: station trust import FILE")
        return 0
    print(f"{'kid':<14} {'country':<7} {'key':<12} {'types':<7} {'valid until':<26} source")
    for row in rows:
        print(
            f"{row['kid']:<14} {row['country']:<7} {row['key']:<12} "
            f"{row['allowed_types']:<7} {row['not_after']:<26} {row['source']}"
        )
    return 0


def run_import_keys(args: argparse.Namespace) -> int:
    try:
        document = json.loads(Path(args.file).read_bytes()[: MAX_JWKS_BYTES + 1])
    except (OSError, ValueError) as exc:
        raise TrustImportError(f"{args.file}: not a readable JSON key set ({exc})") from exc
    keys = document.get("keys") if isinstance(document, dict) else None
    if not isinstance(keys, list) or not keys:
        raise TrustImportError(f'{args.file}: expected {{"keys": [...]}} with at least one key')
    with open_cache(cache_db_path(data_dir(args.data_dir))) as cache:
        try:
            count = IssuerKeyCache(cache).import_keys(args.family, args.issuer, keys)
        except ValueError as exc:
            raise TrustImportError(f"{args.file}: {exc}") from exc
    print(f"{args.issuer}: {count} {args.family} key(s) trusted")
    return 0


def run_list_keys(args: argparse.Namespace) -> int:
    with open_cache(cache_db_path(data_dir(args.data_dir))) as cache:
        rows = IssuerKeyCache(cache).rows()
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    if not rows:
        print("No issuer keys. Import some with: station trust import-keys")
        return 0
    for row in rows:
        print(f"{row['family']:<6} {row['issuer']:<48} {row['kid']:<44} {row['origin']}")
    return 0
