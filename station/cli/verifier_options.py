"""The options every verifying command shares (`--at`, `--trust-cert`) and the verifier they
build, so `station verify` and `station scan` trust and time passes the same way."""

from __future__ import annotations

import argparse
import sys

from station.adapters.clock import FixedClock, SystemClock, parse_instant
from station.cache.catalogue import SYNCED_SOURCES
from station.cache.database import open_cache
from station.cache.synced_profile import PREFIX as SYNCED_PREFIX
from station.cache.synced_profile import synced_profile
from station.cache.trust_view import CachedTrust
from station.config import VerifierConfig
from station.paths import cache_db_path, data_dir, enrollment_path
from station.ports import Clock, SignerLookup, TrustSources
from station.rules.profiles import Profile, resolve_profile
from station.settings import StationSettings, load_settings
from station.trust.certificate import load_trusted_certificate
from station.trust.index import TrustIndex
from station.trust.sources import certificates_from_file
from station.verify.verifier import Verifier


def add_verifier_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--at", help="validation time (ISO 8601); default: now")
    parser.add_argument(
        "--trust-cert",
        action="append",
        default=[],
        metavar="FILE",
        help="trust these signer certificates instead of the trust store (repeatable)",
    )
    parser.add_argument(
        "--profile",
        metavar="NAME|FILE|synced:CC",
        help="apply this business-rule profile (see `station rules list`), or the rules synced "
        "from the hub for country CC; default: none",
    )


def build_verifier(args: argparse.Namespace) -> Verifier:
    clock: Clock = FixedClock(parse_instant(args.at)) if args.at else SystemClock()
    settings = load_settings(data_dir(args.data_dir))
    config = VerifierConfig(
        rules=_profile(args, args.profile or settings.profile),
        stale_data_policy="refuse" if settings.stale_data_policy == "refuse" else "warn",
        nzcp_extra_issuers=frozenset(settings.nzcp_extra_issuers),
    )
    return Verifier(_trust(args, settings), clock, config)


def _profile(args: argparse.Namespace, chosen: str | None) -> Profile | None:
    """`--profile`, else the station's configured profile, else none."""
    if not chosen:
        return None
    if not chosen.startswith(SYNCED_PREFIX):
        return resolve_profile(chosen)
    country = chosen[len(SYNCED_PREFIX) :].upper()
    with open_cache(cache_db_path(data_dir(args.data_dir))) as cache:
        synced = synced_profile(cache, country)
    if synced.unreadable:
        print(
            f"station: {synced.unreadable} synced rule(s) could not be read and are not applied",
            file=sys.stderr,
        )
    return synced.profile


def _trust(args: argparse.Namespace, settings: StationSettings) -> TrustSources:
    """The cache (signers, revocations, freshness), or only the certificates given on the
    command line. Data age is judged by the wall clock even when `--at` replays a past time."""
    if args.trust_cert:
        return TrustSources(_given_signers(args.trust_cert))
    base = data_dir(args.data_dir)
    expected = SYNCED_SOURCES if enrollment_path(base).exists() else ()
    view = CachedTrust(
        open_cache(cache_db_path(base)),
        SystemClock(),
        expected_sources=expected,
        policy=settings.freshness_policy(),
    )
    return view.sources()


def _given_signers(names: list[str]) -> SignerLookup:
    certificates = []
    for name in names:
        certificates += [load_trusted_certificate(der) for der in certificates_from_file(name)]
    return TrustIndex(certificates)
