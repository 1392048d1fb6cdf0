"""Benchmark: the full `Verifier.verify(text)` against the bare `cryptography` signature check.

Why this exists: the issue's budget is "a full ES256 verification costs at most 2.5x one bare
ECDSA P-256 verification", i.e. everything the station adds around the signature (Base45, zlib,
CBOR, COSE, CWT, schema, validity period, result building) may cost at most 1.5x the crypto.
A ratio measured within one run is what can be compared across machines; absolute microseconds
differ between a laptop and a Raspberry Pi.

Why it is built this way:
- every measurement runs in the same loop, one call each per round, in a rotating order, so a
  burst of background load or a frequency change hits all of them equally;
- every call is timed on its own with `perf_counter_ns` and reported as median and p95: the
  median is robust to the odd descheduling, the p95 shows the GC and cache-miss tail;
- the bare baselines reuse the very key objects the verifier holds and precomputed DER
  signatures and algorithm objects, so they are the cheapest honest way to check the signature;
- the stage rows call the same public functions the pipeline calls, each on a precomputed input,
  so they can be attributed independently; "other" is what the full verify spends outside them.

Run:  .venv/bin/python bench/bench_verify.py [--quick]
It always exits 0: it is a measurement, not a test.
"""

from __future__ import annotations

import math
import platform
import statistics
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import cryptography
from cryptography.hazmat.backends.openssl import backend as openssl_backend
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from timing import iterations_from_args, measure_rounds

from station.adapters.clock import FixedClock
from station.issuer.dcc import issue_dcc, vaccination_payload
from station.issuer.pki import make_signer
from station.trust.certificate import TrustedCertificate, load_trusted_certificate
from station.trust.index import TrustIndex
from station.verify import cose_signature, dcc_decode
from station.verify.schema import check_schema
from station.verify.verifier import Verifier

FULL_ITERATIONS = 3000
QUICK_ITERATIONS = 300
TARGET_RATIO = 2.5

#: A pass issued and checked well inside the signer's validity (2021-01-01 + 730 days), so the
#: full verify takes the VALID path through every check.
ISSUED_AT = datetime(2021, 6, 1, tzinfo=UTC)
EXPIRES = datetime(2022, 6, 1, tzinfo=UTC)
CHECKED_AT = datetime(2021, 12, 1, tzinfo=UTC)

Call = Callable[[], object]


@dataclass(frozen=True)
class Credential:
    """One issued pass and the pieces its bare signature check needs."""

    alg_name: str
    text: str
    trusted: TrustedCertificate
    message: bytes  # the Sig_structure bytes the COSE signature covers
    raw_signature: bytes  # as carried in COSE: r‖s for ES256, the PSS block for PS256


@dataclass(frozen=True)
class Stats:
    """Median and p95 of one measurement, in nanoseconds."""

    median_ns: float
    p95_ns: float

    @classmethod
    def of(cls, samples: Sequence[int]) -> Stats:
        ordered = sorted(samples)
        rank = max(1, math.ceil(0.95 * len(ordered)))  # nearest-rank p95
        return cls(statistics.median(ordered), float(ordered[rank - 1]))

    @property
    def median_us(self) -> float:
        return self.median_ns / 1000

    @property
    def p95_us(self) -> float:
        return self.p95_ns / 1000


def issue(alg_name: str) -> Credential:
    """Issue a valid vaccination DCC and decode it with the pipeline's own stage functions.

    Decoding through `station.verify.dcc_decode` (not through the issuer's internals) makes the
    bare baseline check exactly the bytes the verifier checks.
    """
    signer = make_signer(algorithm=alg_name)
    text = issue_dcc(signer, vaccination_payload(), issued_at=ISSUED_AT, expires=EXPIRES)
    compressed = dcc_decode.decode_transport(dcc_decode.strip_prefix(text))
    cose = dcc_decode.parse_cose_sign1(dcc_decode.decompress(compressed, 64 * 1024))
    message = cose_signature.sig_structure(cose.protected_bytes, cose.payload)
    return Credential(alg_name, text, load_trusted_certificate(signer.der), message, cose.signature)


def bare_ecdsa(cred: Credential) -> Call:
    """`key.verify` alone: the DER conversion and the algorithm object are built once, outside."""
    key = cred.trusted.public_key
    assert isinstance(key, ec.EllipticCurvePublicKey)
    sig = cred.raw_signature
    der = encode_dss_signature(int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big"))
    algorithm = ec.ECDSA(hashes.SHA256())
    message = cred.message
    return lambda: key.verify(der, message, algorithm)


def bare_rsa_pss(cred: Credential) -> Call:
    """`key.verify` alone, with the padding and hash objects built once, outside the timing."""
    key = cred.trusted.public_key
    assert isinstance(key, rsa.RSAPublicKey)
    pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
    digest = hashes.SHA256()
    sig, message = cred.raw_signature, cred.message
    return lambda: key.verify(sig, message, pss, digest)


def es256_stages(cred: Credential, verifier: Verifier) -> list[tuple[str, Call]]:
    """Each decoding/validation stage on its own precomputed input, as `verify_dcc` calls it."""
    limit = verifier.config.max_inflated_bytes
    compressed = dcc_decode.decode_transport(dcc_decode.strip_prefix(cred.text))
    inflated = dcc_decode.decompress(compressed, limit)
    cose = dcc_decode.parse_cose_sign1(inflated)
    claims = dcc_decode.parse_cwt(cose.payload)
    signers = verifier.signers

    def signature() -> object:
        alg = cose_signature.require_alg(cose.alg)
        kid = cose_signature.require_kid(cose.kid)
        message = cose_signature.sig_structure(cose.protected_bytes, cose.payload)
        outcome = cose_signature.verify_against_candidates(
            alg, signers.signers_for(kid), cose.signature, message
        )
        assert outcome.failure is None
        return outcome

    return [
        ("prefix+base45", lambda: dcc_decode.decode_transport(dcc_decode.strip_prefix(cred.text))),
        ("decompress", lambda: dcc_decode.decompress(compressed, limit)),
        ("cose parse", lambda: dcc_decode.parse_cose_sign1(inflated)),
        ("cwt parse", lambda: dcc_decode.parse_cwt(cose.payload)),
        ("signature", signature),
        ("schema", lambda: check_schema(claims.certificate)),
    ]


def measure(cases: Sequence[tuple[str, Call]], iterations: int, warmup: int) -> dict[str, Stats]:
    """Time every case once per round, rotating the order, for `iterations` rounds."""
    samples = measure_rounds(cases, iterations, warmup)
    return {name: Stats.of(values) for name, values in samples.items()}


def sanity_check(verifier: Verifier, creds: Sequence[Credential], bare: Sequence[Call]) -> None:
    """Refuse to report numbers for a path that is not the VALID one (an early exit is fast)."""
    for cred in creds:
        result = verifier.verify(cred.text)
        if not result.valid:
            print(
                f"warning: {cred.alg_name} pass is {result.status} ({result.reason}); "
                "the timings below do not describe a successful verification"
            )
    for call in bare:
        call()  # raises InvalidSignature if the baseline were checking the wrong bytes


def main(argv: Sequence[str] | None = None) -> int:
    iterations, warmup = iterations_from_args(
        __doc__.splitlines()[0], argv, FULL_ITERATIONS, QUICK_ITERATIONS
    )

    es, ps = issue("ES256"), issue("PS256")
    verifier = Verifier(TrustIndex([es.trusted, ps.trusted]), FixedClock(CHECKED_AT))
    es_bare, ps_bare = bare_ecdsa(es), bare_rsa_pss(ps)
    sanity_check(verifier, (es, ps), (es_bare, ps_bare))

    main_rows: list[tuple[str, Call]] = [
        ("ES256 full verify", lambda: verifier.verify(es.text)),
        ("ES256 bare ECDSA verify", es_bare),
        ("PS256 full verify", lambda: verifier.verify(ps.text)),
        ("PS256 bare RSA-PSS verify", ps_bare),
    ]
    stage_rows = es256_stages(es, verifier)
    overhead_row: tuple[str, Call] = ("timer + call overhead", lambda: None)
    stats = measure([*main_rows, *stage_rows, overhead_row], iterations, warmup)

    print(
        f"Python {platform.python_version()} on {platform.machine()}, "
        f"cryptography {cryptography.__version__}, "
        f"{openssl_backend.openssl_version_text()}"
    )
    print(
        f"{iterations} interleaved iterations per row after {warmup} warm-up rounds; "
        f"ES256 pass {len(es.text)} chars, PS256 pass {len(ps.text)} chars"
    )
    print()
    header = f"{'measurement':<34}{'median µs':>11}{'p95 µs':>11}{'% of full':>11}"
    print(header)
    print("-" * len(header))
    for name, _ in main_rows:
        print(f"{name:<34}{stats[name].median_us:>11.1f}{stats[name].p95_us:>11.1f}")
    print()
    print("ES256 full verify, by stage:")
    es_full = stats["ES256 full verify"].median_us
    stage_sum = 0.0
    for name, _ in stage_rows:
        s = stats[name]
        stage_sum += s.median_us
        share = 100 * s.median_us / es_full
        print(f"  {name:<32}{s.median_us:>11.1f}{s.p95_us:>11.1f}{share:>10.1f}%")
    other = es_full - stage_sum
    other_share = 100 * other / es_full
    print(f"  {'other (full - sum of stages)':<32}{other:>11.1f}{'':>11}{other_share:>10.1f}%")
    overhead = stats[overhead_row[0]]
    print(f"  ({overhead_row[0]}: {overhead.median_us:.2f} µs median, included in every row)")

    ecdsa = stats["ES256 bare ECDSA verify"].median_us
    ps_full = stats["PS256 full verify"].median_us
    pss = stats["PS256 bare RSA-PSS verify"].median_us
    es_ratio, ps_ratio, ps_own = es_full / ecdsa, ps_full / ecdsa, ps_full / pss
    verdict = "met" if es_ratio <= TARGET_RATIO else "MISSED"
    print()
    print("Ratios of medians:")
    print(f"  ES256 full / bare ECDSA    {es_ratio:5.2f}x   (target <= {TARGET_RATIO}x: {verdict})")
    print(f"  PS256 full / bare ECDSA    {ps_ratio:5.2f}x")
    print(f"  PS256 full / bare RSA-PSS  {ps_own:5.2f}x")
    print()
    print(
        f"summary: ES256 full {es_full:.0f} µs = {es_ratio:.1f}x bare ECDSA "
        f"(target <= {TARGET_RATIO}x, {verdict}); PS256 full {ps_full:.0f} µs = "
        f"{ps_ratio:.1f}x bare ECDSA, {ps_own:.1f}x bare RSA-PSS"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
