"""Benchmark: NZ COVID Pass verification against the bare ECDSA check, and hostile inputs.

Why this exists: the bar is "a full NZCP verification costs at most 3x one bare ECDSA P-256
verification of the same bytes", and "every hostile input ends INVALID with a reason code within
50 ms".  A ratio measured within one run is what can be compared across machines.

How it is built (as bench_verify.py):
- every row runs in the same loop, one call per round, in a rotating order, so background load
  hits all rows alike; each call is timed on its own and reported as median and p95;
- the full verify goes through `Verifier.verify(text)` over a real SQLite cache holding the
  issuer's keys (imported from its DID document), exactly as a station runs it;
- the bare baseline is `cryptography`'s `key.verify` on the same Sig_structure bytes, with the
  DER signature and algorithm object built once outside the timing;
- the stage rows call the pipeline's own functions on precomputed inputs;
- each hostile input is checked for an INVALID verdict with the expected reason before timing.

Run:  .venv/bin/python bench/bench_nzcp.py [--quick]
It always exits 0: it is a measurement, not a test.
"""

from __future__ import annotations

import base64
import platform
import sys
import tempfile
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import cryptography
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from hostile import check_hostile
from timing import iterations_from_args, measure_rounds, percentiles

from station.adapters.clock import FixedClock
from station.cache.database import open_cache
from station.cache.issuer_keys import IssuerKeyCache
from station.cache.trust_view import CachedTrust
from station.codec.cbor import Tagged, decode_cbor
from station.codec.cbor_encode import encode_cbor
from station.issuer.nzcp import (
    NzcpIssuer,
    NzcpOptions,
    build_claims,
    issue_nzcp,
    new_issuer,
    public_covid_pass,
    sign_nzcp,
)
from station.verify import cose_signature, nzcp, nzcp_decode, nzcp_keys, nzcp_payload
from station.verify.nzcp_keys import jwks_from_did_document
from station.verify.verifier import Verifier

FULL_ITERATIONS = 3000
QUICK_ITERATIONS = 300
HOSTILE_ITERATIONS = 50
TARGET_RATIO = 3.0
HOSTILE_BAR_MS = 50.0
CHECKED_AT = datetime(2026, 6, 1, 12, tzinfo=UTC)
SPEC_EXAMPLE = Path(__file__).resolve().parents[1] / "tests/vectors/nzcp/valid/nzcp.txt"

Call = Callable[[], object]


def b32(data: bytes) -> str:
    return "NZCP:/1/" + base64.b32encode(data).decode("ascii").rstrip("=")


def issue(issuer: NzcpIssuer, claims: dict[Any, Any] | None = None, **options: Any) -> str:
    if claims is None:
        return issue_nzcp(
            issuer,
            not_before=CHECKED_AT - timedelta(days=1),
            expires=CHECKED_AT + timedelta(days=100),
            options=NzcpOptions(**options),
        )
    return b32(sign_nzcp(issuer, encode_cbor(claims), NzcpOptions(**options)))


def valid_claims(issuer: NzcpIssuer) -> dict[Any, Any]:
    return build_claims(
        issuer.did,
        public_covid_pass(),
        CHECKED_AT - timedelta(days=1),
        CHECKED_AT + timedelta(days=100),
    )


def bare_ecdsa(issuer: NzcpIssuer, text: str) -> Call:
    """`key.verify` alone on the bytes the pass signs, decoded by the pipeline's own stages."""
    cose = nzcp_decode.parse_cose(nzcp_decode.decode_base32(text[len("NZCP:/1/") :]))
    message = cose_signature.sig_structure(cose.protected_bytes, cose.payload)
    sig = cose.signature
    der = encode_dss_signature(int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big"))
    key = nzcp_keys.public_key_from_jwk(issuer.public_jwk())
    algorithm = ec.ECDSA(hashes.SHA256())
    key.verify(der, message, algorithm)  # raises if the baseline checked the wrong bytes
    return lambda: key.verify(der, message, algorithm)


def stages(text: str, verifier: Verifier, issuer: NzcpIssuer) -> list[tuple[str, Call]]:
    """Each stage on its own precomputed input, as `verify_nzcp` calls it."""
    body = nzcp_decode.strip_prefix(text, 4296)
    raw = nzcp_decode.decode_base32(body)
    cose = nzcp_decode.parse_cose(raw)
    claims = nzcp_decode.parse_claims(cose)
    keys = verifier.trust.issuer_keys
    assert keys is not None
    jwk = issuer.public_jwk()
    return [
        ("prefix+base32", lambda: nzcp_decode.decode_base32(nzcp_decode.strip_prefix(text, 4296))),
        ("cose parse", lambda: nzcp_decode.parse_cose(raw)),
        ("claims parse", lambda: nzcp_decode.parse_claims(cose)),
        ("key lookup (SQLite)", lambda: keys.keys_for("nzcp", issuer.did, issuer.kid)),
        ("JWK to key (cached)", lambda: nzcp_keys.public_key_from_jwk(jwk)),
        (
            "credential id + vc",
            lambda: (nzcp_payload.credential_id(claims), nzcp_payload.credential(claims)),
        ),
    ]


def hostile_inputs(issuer: NzcpIssuer) -> list[tuple[str, str, str]]:
    """(name, text, expected reason): each fits in a QR code unless it is about length."""
    parts = list(decode_cbor(sign_nzcp(issuer, encode_cbor(valid_claims(issuer)))).value)
    flood = valid_claims(issuer)
    flood.update({-i: 0 for i in range(1, 501)})
    del flood[7]  # so that the flooded pass is refused on content, after a full verification
    deep_vc: Any = "x"
    for _ in range(30):
        deep_vc = {"n": deep_vc}
    nested = valid_claims(issuer)
    nested["vc"] = {**nested["vc"], "evidence": deep_vc}

    def rebuilt(protected: bytes, payload: Any, signature: bytes = b"") -> str:
        return b32(encode_cbor(Tagged(18, [protected, {}, payload, signature])))

    return [
        ("1 MB of text", "NZCP:/1/" + "A" * 1_000_000, "INPUT_TOO_LONG"),
        ("QR-size random Base32", b32(bytes(range(256)) * 10), "COSE_MALFORMED"),
        ("padded Base32", "NZCP:/1/" + "A" * 4280 + "======", "BASE32_INVALID"),
        ("4 GiB length header", b32(b"\xd2\x84\x5a\xff\xff\xff\xff"), "COSE_MALFORMED"),
        ("2^64-item array header", b32(b"\xd2\x9b" + b"\xff" * 8), "COSE_MALFORMED"),
        ("tag bomb (2600 tags)", b32(b"\xd2" * 2600 + b"\x00"), "COSE_MALFORMED"),
        ("2600-deep arrays", b32(b"\xd2" + b"\x81" * 2600 + b"\x00"), "COSE_MALFORMED"),
        (
            "indefinite 2600-item flood",
            b32(b"\xd2\x9f" + b"\x00" * 2600 + b"\xff"),
            "COSE_MALFORMED",
        ),
        ("deep protected header", rebuilt(b"\x81" * 500 + b"\x00", parts[2]), "COSE_MALFORMED"),
        ("2000-deep payload", rebuilt(parts[0], b"\x81" * 2000 + b"\x00"), "CWT_MALFORMED"),
        ("duplicate claim keys", rebuilt(parts[0], b"\xa2\x01\x00\x01\x00"), "CBOR_DUPLICATE_KEY"),
        ("500 extra claims, no cti", issue(issuer, flood), "NZCP_CREDENTIAL_ID_INVALID"),
        ("30-deep vc (signed)", issue(issuer, nested), "CWT_MALFORMED"),
        ("unknown alg -65535", issue(issuer, alg=-65535), "ALG_UNSUPPORTED"),
        ("alg as 40-byte bignum", issue(issuer, alg=Tagged(2, b"\x01" * 40)), "ALG_UNSUPPORTED"),
        ("no alg", issue(issuer, alg=None), "ALG_MISSING"),
        ("empty signature", rebuilt(parts[0], parts[2]), "SIGNATURE_MALFORMED"),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    iterations, warmup = iterations_from_args(
        __doc__.splitlines()[0], argv, FULL_ITERATIONS, QUICK_ITERATIONS
    )
    nzcp.TRUSTED_ISSUERS = nzcp.WITH_TEST_ISSUER  # the spec's example is one of the rows
    issuer = new_issuer(did=nzcp.PRODUCTION_ISSUER, kid="z12Kf7UQ")
    spec_text = SPEC_EXAMPLE.read_text()
    spec_doc = {
        "id": nzcp.TEST_ISSUER,
        "verificationMethod": [
            {
                "id": f"{nzcp.TEST_ISSUER}#key-1",
                "type": "JsonWebKey2020",
                "publicKeyJwk": {
                    "kty": "EC",
                    "crv": "P-256",
                    "x": "zRR-XGsCp12Vvbgui4DD6O6cqmhfPuXMhi1OxPl8760",
                    "y": "Iv5SU6FuW-TRYh5_GOrJlcV_gpF_GpFQhCOD8LSk3T0",
                },
            }
        ],
        "assertionMethod": [f"{nzcp.TEST_ISSUER}#key-1"],
    }
    with tempfile.TemporaryDirectory() as folder, open_cache(Path(folder) / "c.sqlite") as cache:
        store = IssuerKeyCache(cache)
        store.import_keys("nzcp", issuer.did, jwks_from_did_document(issuer.did_document())["keys"])
        store.import_keys("nzcp", nzcp.TEST_ISSUER, jwks_from_did_document(spec_doc)["keys"])
        clock = FixedClock(CHECKED_AT)
        verifier = Verifier(CachedTrust(cache, clock).sources(), clock)
        text = issue(issuer)
        for sample in (text, spec_text):
            result = verifier.verify(sample)
            if not result.valid:
                print(
                    f"warning: a pass is {result.status} ({result.reason}): timings are not "
                    "those of a successful verification"
                )
        main_rows: list[tuple[str, Call]] = [
            ("NZCP full verify", lambda: verifier.verify(text)),
            ("NZCP bare ECDSA verify", bare_ecdsa(issuer, text)),
            ("spec example full verify", lambda: verifier.verify(spec_text)),
        ]
        stage_rows = stages(text, verifier, issuer)
        stats = {
            name: percentiles(samples)
            for name, samples in measure_rounds(
                [*main_rows, *stage_rows], iterations, warmup
            ).items()
        }
        hostile = hostile_inputs(issuer)
        wrong = check_hostile(verifier, hostile)
        hostile_cases = [(name, (lambda t=t: verifier.verify(t))) for name, t, _ in hostile]
        hostile_stats = measure_rounds(hostile_cases, HOSTILE_ITERATIONS, 5)

    print(
        f"Python {platform.python_version()} on {platform.machine()}, "
        f"cryptography {cryptography.__version__}"
    )
    print(
        f"{iterations} interleaved iterations per row after {warmup} warm-up rounds; "
        f"pass {len(text)} chars"
    )
    print()
    header = f"{'measurement':<34}{'median µs':>11}{'p95 µs':>11}{'% of full':>11}"
    print(header)
    print("-" * len(header))
    for name, _ in main_rows:
        median, p95 = stats[name]
        print(f"{name:<34}{median:>11.1f}{p95:>11.1f}")
    full = stats["NZCP full verify"][0]
    print("\nNZCP full verify, by stage:")
    for name, _ in stage_rows:
        median, p95 = stats[name]
        print(f"  {name:<32}{median:>11.1f}{p95:>11.1f}{100 * median / full:>10.1f}%")
    print(f"\nHostile inputs ({HOSTILE_ITERATIONS} rounds each), full verify:")
    print(f"  {'input':<32}{'median ms':>11}{'p95 ms':>11}{'max ms':>11}")
    worst = 0.0
    for name, samples in hostile_stats.items():
        median, p95 = percentiles(samples)
        worst = max(worst, max(samples) / 1e6)
        print(f"  {name:<32}{median / 1000:>11.3f}{p95 / 1000:>11.3f}{max(samples) / 1e6:>11.3f}")
    for line in wrong:
        print(f"  WRONG VERDICT: {line}")
    ratio = full / stats["NZCP bare ECDSA verify"][0]
    verdict = "met" if ratio <= TARGET_RATIO else "MISSED"
    hostile_verdict = "met" if worst <= HOSTILE_BAR_MS and not wrong else "MISSED"
    print()
    print(
        f"summary: NZCP full {full:.0f} µs = {ratio:.2f}x bare ECDSA (target <= {TARGET_RATIO}x, "
        f"{verdict}); {len(hostile)} hostile inputs INVALID with their reason, slowest "
        f"{worst:.2f} ms (bar <= {HOSTILE_BAR_MS:.0f} ms, {hostile_verdict})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
