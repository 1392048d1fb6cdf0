"""Benchmark: WHO DDCC:VS full verification against the bare signature check of the same bytes.

Why: the bar for a new family is "a full verification costs at most 3x the bare signature
verification of the same bytes, measured in the same run".  A DDCC rides the EU DCC pipeline and
is handed over after decoding; this shows what that hand-over and the WHO payload check cost,
for the WHO data set in the EU slot (sub-claim 1) and in WHO's own sub-claim 2 (the claims are
decoded once either way; the stage rows show the `cbor` stage for both).
It also times every hostile input of tests/families/test_ddcc_hostile.py through the full
verifier (bar: 50 ms).

How: the shared interleaved loop of bench/timing.py, one call per row per round in rotating
order, median and p95 per row; the bare row reuses the verifier's own key object with a DER
signature and algorithm object built outside the timing.

Run:  .venv/bin/python bench/bench_ddcc.py [--quick]      (always exits 0: a measurement)
"""

from __future__ import annotations

import platform
import sys
import zlib
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import cryptography
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from hostile import time_hostile
from timing import iterations_from_args, measure_rounds, percentiles

from station.adapters.clock import FixedClock
from station.codec.base45 import encode_base45
from station.issuer.dcc import DccOptions, issue_dcc, vaccination_payload
from station.issuer.ddcc import core_data_set, issue_ddcc
from station.issuer.pki import make_signer
from station.trust.certificate import load_trusted_certificate
from station.trust.index import TrustIndex
from station.verify import cose_signature, dcc_decode, ddcc_decode
from station.verify.ddcc_payload import read_core_data_set
from station.verify.verifier import Verifier

FULL_ITERATIONS = 3000
QUICK_ITERATIONS = 300
TARGET_RATIO = 3.0
HOSTILE_BAR_MS = 50.0
ISSUED_AT = datetime(2025, 6, 1, tzinfo=UTC)
CHECKED_AT = datetime(2026, 6, 1, tzinfo=UTC)

Call = Callable[[], object]


def bare_ecdsa(text: str, verifier: Verifier) -> Call:
    """`key.verify` of the pass's own Sig_structure with the trusted key, nothing else."""
    raw = dcc_decode.decode_transport(dcc_decode.strip_prefix(text))
    cose = dcc_decode.parse_cose_sign1(dcc_decode.decompress(raw, 1 << 16))
    message = cose_signature.sig_structure(cose.protected_bytes, cose.payload)
    key = verifier.signers.signers_for(cose.kid)[0].public_key
    assert isinstance(key, ec.EllipticCurvePublicKey)
    sig = cose.signature
    der = encode_dss_signature(int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big"))
    algorithm = ec.ECDSA(hashes.SHA256())
    key.verify(der, message, algorithm)  # raises if the baseline checked the wrong bytes
    return lambda: key.verify(der, message, algorithm)


def stage_rows(text: str, in_who_slot: str) -> list[tuple[str, Call]]:
    """The decoding stages and the WHO payload check, each on a precomputed input."""
    body = dcc_decode.strip_prefix(text)
    raw = dcc_decode.decode_transport(body)
    inflated = dcc_decode.decompress(raw, 1 << 16)
    cose = dcc_decode.parse_cose_sign1(inflated)
    certificate = dcc_decode.parse_cwt(cose.payload).certificate
    who_raw = dcc_decode.decode_transport(dcc_decode.strip_prefix(in_who_slot))
    who_payload = dcc_decode.parse_cose_sign1(dcc_decode.decompress(who_raw, 1 << 16)).payload
    return [
        ("  prefix+base45", lambda: dcc_decode.decode_transport(dcc_decode.strip_prefix(text))),
        ("  decompress", lambda: dcc_decode.decompress(raw, 1 << 16)),
        ("  cose parse", lambda: dcc_decode.parse_cose_sign1(inflated)),
        ("  cwt parse", lambda: dcc_decode.parse_cwt(cose.payload)),
        ("  cbor stage, sub-claim 1", lambda: ddcc_decode.parse_hcert_claims(cose.payload)),
        ("  cbor stage, sub-claim 2", lambda: ddcc_decode.parse_hcert_claims(who_payload)),
        ("  WHO core data set check", lambda: read_core_data_set(certificate)),
    ]


def hostile_inputs(signer: Any) -> list[tuple[str, str]]:
    """The inputs of the hostile tests, rebuilt here so the bench stands on its own."""

    def issue(payload: Any, subclaim: int = 2, options: DccOptions | None = None) -> str:
        return issue_ddcc(
            signer,
            payload,
            issued_at=ISSUED_AT,
            expires=CHECKED_AT + timedelta(days=30),
            subclaim=subclaim,
            options=options,
        )

    nested: Any = "x"
    for _ in range(40):
        nested = [nested]
    flood = {**core_data_set(), **{f"m{i}": i for i in range(300)}}
    return [
        ("zlib bomb (2.5 MB of zeros)", "HC1:" + encode_base45(zlib.compress(bytes(2_500_000), 9))),
        ("member flood (300 unknown)", issue(flood)),
        ("nesting past CBOR's limit", issue({**core_data_set(), "name": nested})),
        ("binary data in payload", issue({**core_data_set(), "name": b"\0" * 16})),
        ("unknown algorithm", issue(core_data_set(), options=DccOptions(alg_override=-65535))),
        ("algorithm as an array", issue(core_data_set(), options=DccOptions(alg_override=[-7]))),
        ("neither EU nor WHO sub-claim", issue(core_data_set(), subclaim=7)),
    ]


def print_rows(rows: Sequence[tuple[str, Call]], stats: dict[str, tuple[float, float]]) -> None:
    header = f"{'measurement':<38}{'median µs':>11}{'p95 µs':>11}"
    print(header)
    print("-" * len(header))
    for name, _ in rows:
        median, p95 = stats[name]
        print(f"{name:<38}{median:>11.1f}{p95:>11.1f}")


def print_hostile(hostile: Sequence[tuple[str, str, float]]) -> None:
    print(f"{'hostile input':<38}{'verdict/reason':<36}{'worst ms':>9}")
    for label, verdict, worst in hostile:
        print(f"{label:<38}{verdict:<36}{worst:>9.2f}")


def print_summary(stats: dict[str, tuple[float, float]], hostile: Sequence[Any]) -> None:
    bare = stats["bare ECDSA P-256 verify"][0]
    one, two = stats["DDCC full verify, sub-claim 1"][0], stats["DDCC full verify, sub-claim 2"][0]
    reference = stats["EU DCC full verify (reference)"][0] / bare
    worst_ms = max(row[2] for row in hostile)

    def verdict(ok: bool) -> str:
        return "met" if ok else "MISSED"

    print()
    print(
        f"summary: DDCC full {one:.0f} µs = {one / bare:.2f}x bare ECDSA (bar <= {TARGET_RATIO}x: "
        f"{verdict(one / bare <= TARGET_RATIO)}); in WHO sub-claim 2 {two:.0f} µs = "
        f"{two / bare:.2f}x ({verdict(two / bare <= TARGET_RATIO)}); EU DCC in the same run "
        f"{reference:.2f}x; hostile inputs worst {worst_ms:.2f} ms "
        f"(bar <= {HOSTILE_BAR_MS:.0f} ms: {verdict(worst_ms <= HOSTILE_BAR_MS)})"
    )


def passes(signer: Any) -> tuple[str, str, str]:
    """The DDCC in the EU slot, in WHO sub-claim 2, and an EU DCC from the same signer."""
    expires = CHECKED_AT + timedelta(days=30)
    in_eu_slot = issue_ddcc(signer, core_data_set(), issued_at=ISSUED_AT, expires=expires)
    in_who_slot = issue_ddcc(
        signer, core_data_set(), issued_at=ISSUED_AT, expires=expires, subclaim=2
    )
    eu = issue_dcc(signer, vaccination_payload(), issued_at=ISSUED_AT, expires=expires)
    return in_eu_slot, in_who_slot, eu


def main(argv: Sequence[str] | None = None) -> int:
    iterations, warmup = iterations_from_args(
        __doc__.splitlines()[0], argv, FULL_ITERATIONS, QUICK_ITERATIONS
    )
    signer = make_signer(algorithm="ES256", not_before=datetime(2025, 1, 1, tzinfo=UTC))
    verifier = Verifier(TrustIndex([load_trusted_certificate(signer.der)]), FixedClock(CHECKED_AT))
    in_eu_slot, in_who_slot, eu = passes(signer)
    for text in (in_eu_slot, in_who_slot, eu):
        if not verifier.verify(text).valid:
            print("warning: a pass is not VALID; its timings are not of the VALID path")
    main_rows: list[tuple[str, Call]] = [
        ("DDCC full verify, sub-claim 1", lambda: verifier.verify(in_eu_slot)),
        ("DDCC full verify, sub-claim 2", lambda: verifier.verify(in_who_slot)),
        ("bare ECDSA P-256 verify", bare_ecdsa(in_eu_slot, verifier)),
        ("EU DCC full verify (reference)", lambda: verifier.verify(eu)),
    ]
    stages = stage_rows(in_eu_slot, in_who_slot)
    samples = measure_rounds([*main_rows, *stages], iterations, warmup)
    stats = {name: percentiles(values) for name, values in samples.items()}
    hostile = time_hostile(verifier, hostile_inputs(signer))

    versions = f"cryptography {cryptography.__version__}"
    print(f"Python {platform.python_version()} on {platform.machine()}, {versions}")
    print(
        f"{iterations} interleaved iterations per row after {warmup} warm-up rounds; "
        f"pass {len(in_eu_slot)} chars (sub-claim 1), {len(in_who_slot)} chars (sub-claim 2)"
    )
    print()
    print_rows([*main_rows, *stages], stats)
    print()
    print_hostile(hostile)
    print_summary(stats, hostile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
