"""Benchmark: ICAO VDS-NC full verification against the bare signature check of the same bytes.

Why: the bar for a new family is "a full verification costs at most 3x the bare signature
verification of the same bytes, measured in the same run".  A seal's full verification parses
strict JSON, rebuilds the RFC 8785 canonical bytes, reads the embedded barcode signer
certificate, looks the issuing country's CSCAs up in the station's SQLite cache, checks the
chain, validity, key usage and the message.  The chain signature of a given (signer, CSCA) pair
is checked once and remembered, since a signer certifies thousands of seals; the "first seal
of a new signer" row shows the cost when nothing is remembered.  It also times the hostile
inputs of tests/families/test_vds_hostile.py through the full verifier (bar: 50 ms each).

How: the shared interleaved loop of bench/timing.py (one call per row per round, rotating
order, median and p95); the bare row verifies the canonical bytes with the signer's key object,
the DER signature and the algorithm object built outside the timing.

Run:  .venv/bin/python bench/bench_vds.py [--quick]      (always exits 0: a measurement)
"""

from __future__ import annotations

import json
import platform
import sys
import tempfile
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import cryptography
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from hostile import time_hostile
from timing import iterations_from_args, measure_rounds, percentiles

from station.adapters.clock import FixedClock
from station.cache.database import open_cache
from station.cache.issuer_keys import IssuerKeyCache
from station.cache.trust_view import CachedTrust
from station.issuer.vds import (
    BarcodeSigner,
    CountryAuthority,
    b64url,
    issue_vds,
    make_barcode_signer,
    make_country_authority,
    seal_document,
    to_text,
    vaccination_message,
)
from station.reasons import Reason
from station.verify import vds_certs, vds_trust
from station.verify.vds_json import canonical_json, parse_strict
from station.verify.vds_message import read_vaccination
from station.verify.vds_signature import decode_base64url
from station.verify.verifier import Verifier

FULL_ITERATIONS = 3000
QUICK_ITERATIONS = 300
TARGET_RATIO = 3.0
HOSTILE_BAR_MS = 50.0
CHECKED_AT = datetime(2026, 6, 1, 12, tzinfo=UTC)

Call = Callable[[], object]


def bare_ecdsa(text: str) -> Call:
    """`key.verify` of the canonical `data` with the embedded signer's key, nothing else."""
    document = json.loads(text)
    message = canonical_json(document["data"])
    key = vds_certs.load_certificate(
        decode_base64url(document["sig"]["cer"], Reason.VDS_SIGNER_CERT_INVALID, "cer")
    ).public_key
    assert isinstance(key, ec.EllipticCurvePublicKey)
    raw = decode_base64url(document["sig"]["sigvl"], Reason.SIGNATURE_MALFORMED, "sig")
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    algorithm = ec.ECDSA(hashes.SHA256())
    key.verify(der, message, algorithm)  # raises if the baseline checked the wrong bytes
    return lambda: key.verify(der, message, algorithm)


def cold(verifier: Verifier, text: str) -> Call:
    """A full verification with nothing remembered: certificate parses and chain signatures."""

    def run() -> object:
        vds_certs._load.cache_clear()
        vds_certs._signature_problem.cache_clear()
        return verifier.verify(text)

    return run


def stage_rows(text: str, verifier: Verifier) -> list[tuple[str, Call]]:
    document = parse_strict(text)
    der = decode_base64url(document["sig"]["cer"], Reason.VDS_SIGNER_CERT_INVALID, "c")
    signer = vds_certs.load_certificate(der)
    keys = verifier.trust.issuer_keys
    assert keys is not None
    authority = vds_trust.authorities(keys, "VNM")[0]
    return [
        ("  strict JSON parse", lambda: parse_strict(text)),
        ("  RFC 8785 canonical data", lambda: canonical_json(document["data"])),
        ("  CSCA lookup (SQLite cache)", lambda: vds_trust.authorities(keys, "VNM")),
        (
            "  chain check (remembered)",
            lambda: vds_certs.chain_problem(signer, authority.certificate),
        ),
        ("  message check", lambda: read_vaccination(document["data"]["msg"])),
    ]


def hostile_inputs(signer: BarcodeSigner, authority: CountryAuthority) -> list[tuple[str, str]]:
    """The inputs of the hostile tests, rebuilt here so the bench stands on its own."""
    valid = issue_vds(signer, vaccination_message())

    def edited(edit: Callable[[dict[str, Any]], object]) -> str:
        document = seal_document(signer, vaccination_message())
        edit(document)
        return to_text(document)

    return [
        ("beyond a QR code (5 KB)", valid[:-1] + " " * 5000 + "}"),
        ("nesting 2000 deep", '{"hdr": ' + "[" * 2000 + "]" * 2000 + "}"),
        ("1100-value flood", '{"hdr": [' + ",".join(["0"] * 1100) + "]}"),
        ("400-member flood", '{"hdr": {' + ",".join(f'"{i:x}":0' for i in range(400)) + "}}"),
        ("duplicate member", valid[:-1] + ',"data":{}}'),
        ("4200-digit number", '{"hdr": ' + "9" * 4200 + "}"),
        ("number beyond a double", edited(lambda d: d["data"]["msg"].update(uvci=10**400))),
        ("lone surrogate", edited(lambda d: d["data"]["msg"]["pid"].update(n="\ud83d"))),
        ("garbage certificate", edited(lambda d: d["sig"].update(cer="A" * 3000))),
        ("alg none", edited(lambda d: d["sig"].update(alg="none"))),
        ("signature flood", edited(lambda d: d["sig"].update(sigvl="A" * 2000))),
        ("certificate of a CA", edited(lambda d: d["sig"].update(cer=b64url(authority.der)))),
    ]


Stats = dict[str, tuple[float, float]]


def measure(iterations: int, warmup: int) -> tuple[str, list[str], Stats, list[Any]]:
    """Issue a seal under a fresh CSCA held in a real station cache, and time every row."""
    authority = make_country_authority("VN")
    signer = make_barcode_signer(authority)
    with tempfile.TemporaryDirectory() as folder:
        cache = open_cache(Path(folder) / "cache.sqlite")
        IssuerKeyCache(cache).import_keys("vds", "VNM", [authority.issuer_key()])
        clock = FixedClock(CHECKED_AT)
        verifier = Verifier(CachedTrust(cache, clock).sources(), clock)
        text = issue_vds(signer, vaccination_message())
        result = verifier.verify(text)
        if not result.valid:
            print(f"warning: seal is {result.status} ({result.reason}); not a VALID path")
        rows: list[tuple[str, Call]] = [
            ("VDS-NC full verify", lambda: verifier.verify(text)),
            ("bare ECDSA P-256 verify", bare_ecdsa(text)),
            ("first seal of a new signer (cold)", cold(verifier, text)),
            *stage_rows(text, verifier),
        ]
        samples = measure_rounds(rows, iterations, warmup)
        hostile = time_hostile(verifier, hostile_inputs(signer, authority))
        cache.close()
    stats = {name: percentiles(values) for name, values in samples.items()}
    return text, [name for name, _ in rows], stats, hostile


def main(argv: Sequence[str] | None = None) -> int:
    iterations, warmup = iterations_from_args(
        __doc__.splitlines()[0], argv, FULL_ITERATIONS, QUICK_ITERATIONS
    )
    text, names, stats, hostile = measure(iterations, warmup)
    versions = f"cryptography {cryptography.__version__}"
    print(f"Python {platform.python_version()} on {platform.machine()}, {versions}")
    print(
        f"{iterations} interleaved iterations per row after {warmup} warm-up rounds; "
        f"seal {len(text)} characters"
    )
    print()
    header = f"{'measurement':<38}{'median µs':>11}{'p95 µs':>11}"
    print(header)
    print("-" * len(header))
    for name in names:
        print(f"{name:<38}{stats[name][0]:>11.1f}{stats[name][1]:>11.1f}")
    print()
    print(f"{'hostile input':<38}{'verdict/reason':<40}{'worst ms':>9}")
    for label, verdict_text, worst in hostile:
        print(f"{label:<38}{verdict_text:<40}{worst:>9.2f}")
    full, bare = stats["VDS-NC full verify"][0], stats["bare ECDSA P-256 verify"][0]
    first = stats["first seal of a new signer (cold)"][0]
    worst_ms = max(row[2] for row in hostile)

    def verdict(ok: bool) -> str:
        return "met" if ok else "MISSED"

    print()
    print(
        f"summary: VDS-NC full {full:.0f} µs = {full / bare:.2f}x bare ECDSA "
        f"(bar <= {TARGET_RATIO}x: {verdict(full / bare <= TARGET_RATIO)}); first seal of a new "
        f"signer {first:.0f} µs = {first / bare:.2f}x; hostile inputs worst {worst_ms:.2f} ms "
        f"(bar <= {HOSTILE_BAR_MS:.0f} ms: {verdict(worst_ms <= HOSTILE_BAR_MS)})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
