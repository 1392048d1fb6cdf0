"""Benchmark: a full SMART Health Card verification against the bare ECDSA check of its signature.

Why this exists: the issue's budget for the `shc:/` family is "a full verification costs at most
3x one bare ES256 verification of the same bytes", i.e. everything the station adds around the
signature (numeric decoding, JWS parsing, the issuer-key lookup, the thumbprint
check, raw DEFLATE, strict JSON, the FHIR summary, the verdict) may cost at most twice the
crypto.  It also times the hostile inputs of tests/families/test_shc_hostile.py through the full
path of a kiosk: each must end with its expected reason within 50 ms.

How: the test issuer signs a two-dose vaccination card.  The target row verifies it with the
issuer's JWK held in memory, as bench_verify.py does with its in-memory `TrustIndex`, so the two
families' ratios compare like for like.  A second row verifies through a real cache file (the
kiosk's setup after `station trust import-keys`): it adds the two SQLite lookups the
`IssuerKeys` port makes per scan (the allow-listed issuers, then the key under the card's kid)
and the data-health check, and is reported beside the target.  The bare row calls
`public_key.verify` on the same signing input with a precomputed DER signature and the very key
object the verifier uses.  Rows are interleaved in a rotating order (bench/timing.py), so
background load hits them alike; the ratio is what compares across machines.

Run:  .venv/bin/python bench/bench_shc.py [--quick]
It always exits 0: it is a measurement, not a test.
"""

from __future__ import annotations

import base64
import json
import platform
import sys
import tempfile
import zlib
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import cryptography
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from timing import iterations_from_args, measure_rounds, percentiles

from station.adapters.clock import FixedClock
from station.cache.database import open_cache
from station.cache.issuer_keys import IssuerKeyCache
from station.cache.trust_view import CachedTrust
from station.errors import Reject
from station.issuer.shc import (
    ShcIssuer,
    ShcOptions,
    card_payload,
    chunk_texts,
    deflate_raw,
    immunization,
    issue_shc,
    make_shc_issuer,
    numeric_text,
    sign_jws,
    vaccination_bundle,
)
from station.ports import IssuerKeys, TrustSources
from station.trust.index import TrustIndex
from station.verify import shc_decode, shc_fhir, shc_payload, shc_signature
from station.verify.shc import card_digits
from station.verify.verifier import Verifier

FULL_ITERATIONS = 3000
QUICK_ITERATIONS = 300
HOSTILE_ITERATIONS = 30
TARGET_RATIO = 3.0
HOSTILE_BAR_MS = 50.0
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
QR_MAX_CHARS = 4296
FULL_ROW = "SHC full verify, keys in memory"
BARE_ROW = "SHC bare ECDSA verify"
KIOSK_ROW = "SHC full verify, keys in the cache"

Call = Callable[[], object]


def cached_verifier(issuer: ShcIssuer, directory: Path) -> Verifier:
    """A kiosk's verifier: a real cache file trusting `issuer`'s public JWKS, data health on."""
    cache = open_cache(directory / "cache.sqlite")
    IssuerKeyCache(cache).import_keys("shc", issuer.iss, issuer.jwks()["keys"])
    return Verifier(CachedTrust(cache, FixedClock(NOW)).sources(), FixedClock(NOW))


class MemoryIssuerKeys:
    """The `IssuerKeys` port over a dict: the counterpart of bench_verify.py's in-memory
    `TrustIndex`, so this family's ratio is measured the way the EU DCC one is."""

    def __init__(self, issuer: ShcIssuer) -> None:
        self._keys = {("shc", issuer.iss): issuer.jwks()["keys"]}

    def keys_for(self, family: str, issuer: str, kid: str) -> list[dict[str, str]]:
        return [key for key in self._keys.get((family, issuer), ()) if key["kid"] == kid]

    def issuers(self, family: str) -> list[str]:
        return sorted(issuer for fam, issuer in self._keys if fam == family)

    def keys_with_kid(self, family: str, kid: str) -> list[tuple[str, dict[str, str]]]:
        return [
            (iss, key) for iss in self.issuers(family) for key in self.keys_for(family, iss, kid)
        ]

    def is_revoked(self, family: str, issuer: str, kid: str, rid: str, issued_at: int) -> bool:
        return False


def memory_verifier(issuer: ShcIssuer) -> Verifier:
    trust = TrustSources(TrustIndex([]), issuer_keys=MemoryIssuerKeys(issuer))
    return Verifier(trust, FixedClock(NOW))


def bare_ecdsa(issuer: ShcIssuer, text: str) -> Call:
    """`key.verify` alone, on the card's own signing input, with DER and algorithm built once."""
    jws = shc_decode.parse_jws(shc_decode.decode_numeric(text[len("shc:/") :]))
    key = shc_signature.public_key_for(issuer.public_jwk(), issuer.kid)
    sig = jws.signature
    der = encode_dss_signature(int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big"))
    algorithm = ec.ECDSA(hashes.SHA256())
    message = jws.signing_input
    return lambda: key.verify(der, message, algorithm)


def stages(text: str, keys: IssuerKeys) -> list[tuple[str, Call]]:
    """Each stage on its own precomputed input, as `verify_shc` calls it."""
    jws_text = shc_decode.decode_numeric(card_digits(text, QR_MAX_CHARS))
    jws = shc_decode.parse_jws(jws_text)
    raw = shc_decode.inflate_payload(jws, 64 * 1024)
    claims = shc_payload.parse_claims(raw)
    return [
        ("prefix+numeric", lambda: shc_decode.decode_numeric(card_digits(text, QR_MAX_CHARS))),
        ("jws parse", lambda: shc_decode.parse_jws(jws_text)),
        ("signature (key lookup+ECDSA)", lambda: shc_signature.verify_card_signature(jws, keys)),
        ("inflate", lambda: shc_decode.inflate_payload(jws, 64 * 1024)),
        ("payload claims", lambda: shc_payload.parse_claims(raw)),
        (
            "FHIR holder+summary",
            lambda: (shc_fhir.holder_from_bundle(claims.bundle), shc_fhir.summarize(claims.bundle)),
        ),
    ]


def _signed(issuer: ShcIssuer, body: bytes, **options: object) -> str:
    return numeric_text(sign_jws(issuer, body, ShcOptions(**options)))  # type: ignore[arg-type]


def _qr_bomb() -> bytes:
    """The largest run of zeros whose raw DEFLATE still fits one QR code as a card."""
    size = 1 << 20
    while len(base64.b64encode(deflate_raw(bytes(size * 2)))) < (QR_MAX_CHARS - 5) // 2 - 200:
        size *= 2
    return deflate_raw(bytes(size))


def _raw_bomb(mebibytes: int) -> bytes:
    """Raw DEFLATE of `mebibytes` MiB of zeros, built from repeated full-flush blocks."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(bytes(1 << 20)) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeated = compressor.compress(bytes(1 << 20)) + compressor.flush(zlib.Z_FULL_FLUSH)
    return first + repeated * (mebibytes - 1) + compressor.flush(zlib.Z_FINISH)


def _inflate_reason(jws: shc_decode.CompactJws) -> str:
    try:
        shc_decode.inflate_payload(jws, 64 * 1024)
    except Reject as exc:
        return str(exc.reason)
    return "OK"


Case = tuple[str, Callable[[], str], str]


def hostile_cases(verifier: Verifier, trusted: ShcIssuer, stranger: ShcIssuer) -> list[Case]:
    """The hostile inputs of test_shc_hostile.py: (name, call giving the verdict's reason,
    the reason expected).  All but the last go through the full `Verifier.verify`."""
    bomb = _qr_bomb()
    doses = [immunization("208", "2021-09-01") for _ in range(200)]
    fhir = vaccination_bundle()
    fhir["entry"] += [{"fullUrl": f"resource:{i + 3}", "resource": d} for i, d in enumerate(doses)]
    many_doses = json.dumps(card_payload(trusted.iss, fhir, nbf=NOW)).encode()
    nested = ("[" * 30_000 + "]" * 30_000).encode()
    big_array = b"[0" + b",0" * 30_000 + b"]"
    alg_none = issue_shc(trusted, vaccination_bundle(), nbf=NOW, options=ShcOptions(alg="none"))
    texts = [
        ("bomb in a QR, untrusted key", _signed(stranger, bomb), "KID_UNKNOWN"),
        ("bomb in a QR, trusted key", _signed(trusted, bomb), "TOO_LARGE"),
        ("flood: 10 MB of digits", "shc:/" + "0" * 10_000_000, "INPUT_TOO_LONG"),
        ("flood: 1000 parts", " ".join(["shc:/1/2/5676"] * 1000), "SHC_CHUNK_INVALID"),
        (
            "deep nesting (30k), signed",
            _signed(trusted, deflate_raw(nested)),
            "SHC_PAYLOAD_INVALID",
        ),
        (
            "60 KB JSON array, signed",
            _signed(trusted, deflate_raw(big_array)),
            "SHC_PAYLOAD_INVALID",
        ),
        ("200 immunizations (valid, bounded)", _signed(trusted, deflate_raw(many_doses)), "OK"),
        ("alg none", alg_none, "ALG_UNSUPPORTED"),
        ("JWE (5 parts)", numeric_text("e30.e30.e30.e30.e30"), "SHC_JWS_MALFORMED"),
    ]
    cases: list[Case] = [
        (name, lambda t=text: str(verifier.verify(t).reason), expected)
        for name, text, expected in texts
    ]
    gigabyte = shc_decode.CompactJws({"zip": "DEF"}, b"", _raw_bomb(1024), b"")
    cases.append(("1 GiB bomb, inflate stage", lambda: _inflate_reason(gigabyte), "TOO_LARGE"))
    return cases


def main(argv: Sequence[str] | None = None) -> int:
    iterations, warmup = iterations_from_args(
        __doc__.splitlines()[0], argv, FULL_ITERATIONS, QUICK_ITERATIONS
    )
    issuer, stranger = make_shc_issuer(), make_shc_issuer("https://untrusted.example.org")
    nbf, exp = NOW - timedelta(days=1), NOW + timedelta(days=365)
    text = issue_shc(issuer, vaccination_bundle(), nbf=nbf, exp=exp)
    payload = card_payload(issuer.iss, vaccination_bundle(), nbf=nbf, exp=exp)
    chunked = "\n".join(chunk_texts(sign_jws(issuer, payload, ShcOptions()), 500))
    with tempfile.TemporaryDirectory() as directory:
        kiosk, memory = cached_verifier(issuer, Path(directory)), memory_verifier(issuer)
        for name, card in (("single", text), ("chunked", chunked)):
            result = kiosk.verify(card)
            if not result.valid or not memory.verify(card).valid:
                print(f"warning: {name} card is {result.status} ({result.reason})")
        bare = bare_ecdsa(issuer, text)
        bare()  # raises InvalidSignature if the baseline checked the wrong bytes
        parts = chunked.count("shc:/")
        main_rows: list[tuple[str, Call]] = [
            (FULL_ROW, lambda: memory.verify(text)),
            (BARE_ROW, bare),
            (KIOSK_ROW, lambda: kiosk.verify(text)),
            (f"chunked card ({parts} parts), cache", lambda: kiosk.verify(chunked)),
        ]
        assert kiosk.trust.issuer_keys is not None
        stage_rows = stages(text, kiosk.trust.issuer_keys)
        samples = measure_rounds([*main_rows, *stage_rows], iterations, warmup)
        cases = hostile_cases(kiosk, issuer, stranger)
        hostile = measure_rounds([(n, call) for n, call, _ in cases], HOSTILE_ITERATIONS, 3)
        outcomes = {name: (call(), expected) for name, call, expected in cases}
    print_header(text, iterations, warmup)
    full, bare_us, kiosk_us = print_rows(main_rows, stage_rows, samples)
    worst, as_expected = print_hostile(hostile, outcomes)
    ratio = full / bare_us
    met = "met" if ratio <= TARGET_RATIO else "MISSED"
    hostile_met = "met" if worst <= HOSTILE_BAR_MS and as_expected else "MISSED"
    print()
    print(
        f"summary: SHC full {full:.0f} µs = {ratio:.2f}x bare ECDSA {bare_us:.0f} µs "
        f"(target <= {TARGET_RATIO:g}x, {met}); with the SQLite cache and data health "
        f"{kiosk_us:.0f} µs = {kiosk_us / bare_us:.2f}x; worst hostile input {worst:.1f} ms "
        f"(bar <= {HOSTILE_BAR_MS:g} ms, {hostile_met})"
    )
    return 0


def print_header(text: str, iterations: int, warmup: int) -> None:
    print(f"Python {platform.python_version()} on {platform.machine()}, ", end="")
    print(f"cryptography {cryptography.__version__}")
    print(f"{iterations} interleaved iterations per row after {warmup} warm-up rounds; ", end="")
    print(f"card {len(text)} chars, hostile inputs {HOSTILE_ITERATIONS} rounds each")
    print()


def print_rows(
    main_rows: Sequence[tuple[str, Call]],
    stage_rows: Sequence[tuple[str, Call]],
    samples: dict[str, list[int]],
) -> tuple[float, float, float]:
    """The main and per-stage table; returns the full, bare and kiosk medians (µs)."""
    header = f"{'measurement':<40}{'median µs':>11}{'p95 µs':>11}{'% of full':>11}"
    print(header)
    print("-" * len(header))
    kiosk = percentiles(samples[KIOSK_ROW])[0]
    for name, _ in main_rows:
        median, p95 = percentiles(samples[name])
        print(f"{name:<40}{median:>11.1f}{p95:>11.1f}")
    print(f"{KIOSK_ROW}, by stage:")
    for name, _ in stage_rows:
        median, p95 = percentiles(samples[name])
        print(f"  {name:<38}{median:>11.1f}{p95:>11.1f}{100 * median / kiosk:>10.1f}%")
    print()
    full, bare = percentiles(samples[FULL_ROW])[0], percentiles(samples[BARE_ROW])[0]
    return full, bare, kiosk


def print_hostile(
    samples: dict[str, list[int]], outcomes: dict[str, tuple[str, str]]
) -> tuple[float, bool]:
    """The hostile-input table; returns the slowest single call (ms) and whether every case
    ended with its expected reason."""
    print(f"{'hostile input':<40}{'median ms':>11}{'max ms':>11}  reason")
    worst, as_expected = 0.0, True
    for name, values in samples.items():
        median, top = percentiles(values)[0] / 1000, max(values) / 1e6
        worst = max(worst, top)
        reason, expected = outcomes[name]
        as_expected &= reason == expected
        mark = "" if reason == expected else f"  (expected {expected})"
        print(f"{name:<40}{median:>11.2f}{top:>11.2f}  {reason}{mark}")
    return worst, as_expected


if __name__ == "__main__":
    sys.exit(main())
