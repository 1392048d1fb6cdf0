"""Benchmark: DIVOC verification against the bare linked-data proof check, and hostile inputs.

Why this exists: the bar is "a full verification costs at most 3x the bare signature
verification of the same credential", and "every hostile input ends INVALID with a reason code
within 50 ms".  For a linked-data proof the signature is not over bytes of the QR code but over
the URDNA2015 canonical form of the document: the bare check that any verifier must do is
canonicalise (document and proof options) + hash + verify, exactly what jsonld-signatures'
`verify` does once the contexts are at hand.  That is the baseline of the 3x bar.  The bare
`key.verify` of the precomputed signing input is printed too: it shows how little of the time
the cryptography itself takes next to canonicalisation.

How it is built (as bench_verify.py):
- every row runs in the same loop, one call per round, in a rotating order, so background load
  hits all rows alike; each call is timed on its own and reported as median and p95;
- the full verify goes through `Verifier.verify(text)` over a real SQLite cache holding the
  issuer's keys, exactly as a station runs it;
- the bare proof check calls pyld's `normalize` on the already-parsed credential with the
  station's vendored contexts (no strictness checks, no ZIP, no JSON, no trust lookup);
- the stage rows call the pipeline's own functions on precomputed inputs;
- each hostile input is checked for an INVALID verdict with the expected reason before timing.

Run:  .venv/bin/python bench/bench_divoc.py [--quick]
It always exits 0: it is a measurement, not a test.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import platform
import sys
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import cryptography
from hostile import check_hostile
from pyld import jsonld
from pyld.__about__ import __version__ as pyld_version
from timing import iterations_from_args, measure_rounds, percentiles

from station.adapters.clock import FixedClock
from station.cache.database import open_cache
from station.cache.issuer_keys import IssuerKeyCache
from station.cache.trust_view import CachedTrust
from station.issuer.divoc import (
    DivocIssuer,
    as_text,
    certificate_json,
    new_issuer,
    pack,
    sign_credential,
    vaccination_credential,
)
from station.verify import (
    divoc,
    divoc_canon,
    divoc_contexts,
    divoc_json,
    divoc_payload,
    divoc_signature,
    divoc_zip,
)
from station.verify.verifier import Verifier

FULL_ITERATIONS = 500
QUICK_ITERATIONS = 60
HOSTILE_ITERATIONS = 30
TARGET_RATIO = 3.0
HOSTILE_BAR_MS = 50.0
CHECKED_AT = datetime(2026, 6, 1, 12, tzinfo=UTC)
ISSUED = CHECKED_AT - timedelta(days=30)
NORMALIZE = {
    "algorithm": "URDNA2015",
    "format": "application/n-quads",
    "documentLoader": divoc_contexts.load_vendored,
}

Call = Callable[[], object]


def credential(issuer: DivocIssuer, **fields: Any) -> dict[str, Any]:
    fields.setdefault("issued_at", ISSUED)
    fields.setdefault("issuer", issuer.issuer)
    return sign_credential(issuer, vaccination_credential(**fields), fields["issued_at"])


def text_of(signed: dict[str, Any]) -> str:
    return as_text(pack(certificate_json(signed)))


def bare_rows(issuer: DivocIssuer, signed: dict[str, Any]) -> list[tuple[str, Call]]:
    """The proof check as jsonld-signatures does it, and `key.verify` alone."""
    document = {k: v for k, v in signed.items() if k != "proof"}
    proof = divoc_signature.parse_proof(signed["proof"])
    key = divoc_signature.public_key(issuer.public_jwk(), proof.alg)
    message = divoc_signature.signed_bytes(
        proof.header_part,
        jsonld.normalize(proof.options, NORMALIZE),
        jsonld.normalize(document, NORMALIZE),
    )
    verify = _verifier_of(key, proof.signature)
    verify(message)  # raises if the baseline checked the wrong bytes

    def proof_check() -> None:
        hashed = hashlib.sha256(jsonld.normalize(proof.options, NORMALIZE).encode()).digest()
        hashed += hashlib.sha256(jsonld.normalize(document, NORMALIZE).encode()).digest()
        verify(proof.header_part.encode("ascii") + b"." + hashed)

    return [
        (f"{proof.alg} bare proof check", proof_check),
        (f"{proof.alg} bare key.verify", lambda: verify(message)),
    ]


def _verifier_of(key: Any, signature: bytes) -> Callable[[bytes], None]:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ed25519, padding

    if isinstance(key, ed25519.Ed25519PublicKey):
        return lambda message: key.verify(signature, message)
    pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
    digest = hashes.SHA256()
    return lambda message: key.verify(signature, message, pss, digest)


def stages(text: str, verifier: Verifier, issuer: DivocIssuer) -> list[tuple[str, Call]]:
    """Each stage on its own precomputed input, as `verify_divoc` calls it."""
    data = divoc.zip_bytes(text, 4296)
    raw = divoc_zip.certificate_from_zip(data)
    parsed = divoc_json.parse_certificate(raw, divoc_zip.MAX_CERTIFICATE_BYTES)
    document = {k: v for k, v in parsed.items() if k != "proof"}
    proof = divoc_signature.parse_proof(parsed["proof"])
    keys = verifier.trust.issuer_keys
    assert keys is not None
    return [
        ("prefix + zip read", lambda: divoc_zip.certificate_from_zip(divoc.zip_bytes(text, 4296))),
        ("strict JSON", lambda: divoc_json.parse_certificate(raw, 16 * 1024)),
        ("context allow-list", lambda: divoc_contexts.check_contexts(parsed)),
        ("canonical document (strict)", lambda: divoc_canon.canonical_nquads(document)),
        ("payload shape", lambda: divoc_payload.check_shape(parsed)),
        ("issuer + key lookup (SQLite)", lambda: keys.keys_for("divoc", issuer.issuer, issuer.kid)),
        ("canonical proof options", lambda: divoc_canon.canonical_nquads(proof.options)),
    ]


def hostile_inputs(issuer: DivocIssuer) -> list[tuple[str, str, str]]:
    """(name, text, expected reason): each fits in a QR code unless it is about length."""
    genuine = credential(issuer)
    cert = certificate_json(genuine)

    def changed(change: Callable[[dict[str, Any]], object], resign: bool = False) -> str:
        doc = copy.deepcopy(genuine)
        if resign:
            doc.pop("proof")
        change(doc)
        return text_of(sign_credential(issuer, doc, ISSUED) if resign else doc)

    def knows(doc: dict[str, Any]) -> None:
        doc["credentialSubject"]["https://schema.org/knows"] = [
            {
                "id": f"_:v{i}",
                "type": "VerifiableCredential",
                "evidence": [f"_:v{j}" for j in range(7) if j != i],
            }
            for i in range(7)
        ]

    def four_doses(doc: dict[str, Any]) -> None:
        first = {k: v for k, v in doc["evidence"][0].items() if k != "id"}
        doc["evidence"] = [{**first, "dose": n, "batch": "B" * 200} for n in range(1, 5)]
        doc["credentialSubject"]["name"] = "N" * 300

    bomb = _deflated(b" " * 2_800_000)
    return [
        ("1 MB of text", "PK\x03\x04" + "A" * 1_000_000, "INPUT_TOO_LONG"),
        (
            "QR-size garbage after PK",
            as_text(b"PK\x03\x04" + bytes(range(256)) * 11),
            "DIVOC_ZIP_INVALID",
        ),
        ("2.8 MB declared bomb", as_text(bomb), "TOO_LARGE"),
        ("bomb declaring 4 KB", as_text(_patch_size(bomb, 4000)), "DECOMPRESS_FAILED"),
        ("1000:1 ratio", as_text(_deflated(bytes(16_000))), "TOO_LARGE"),
        ("bytes after the archive", as_text(pack(cert) + b"x" * 100), "TRAILING_DATA"),
        ("NUL-disguised member", as_text(_nul_name(cert)), "DIVOC_ZIP_UNSAFE"),
        ("../ member", as_text(pack(cert, extra=[("../x", b"")])), "DIVOC_ZIP_UNSAFE"),
        ("duplicate JSON keys", as_text(pack(b'{"a":1,"a":2}')), "DIVOC_JSON_INVALID"),
        (
            "1400-deep JSON (stored)",
            as_text(_stored(b"[" * 1400 + b"]" * 1400)),
            "DIVOC_JSON_INVALID",
        ),
        ("400-value flood", as_text(pack(json.dumps({"a": [*range(400)]}).encode())), "TOO_LARGE"),
        (
            "unknown context",
            changed(lambda d: d["@context"].__setitem__(1, "https://x.example/v1")),
            "DIVOC_CONTEXT_UNKNOWN",
        ),
        (
            "undefined term",
            changed(lambda d: d["credentialSubject"].update(nick="x")),
            "DIVOC_JSONLD_INVALID",
        ),
        (
            "subject id with a space",
            changed(lambda d: d["credentialSubject"].update(id="did:Aadhaar Card:1"), True),
            "DIVOC_JSONLD_INVALID",
        ),
        ("poison graph K7 (signed)", changed(knows, True), "DIVOC_JSONLD_INVALID"),
        (
            "largest credential, 5 doses",
            changed(lambda d: (four_doses(d), d["evidence"].append(d["evidence"][0])), True),
            "TOO_LARGE",
        ),
        ("largest credential, tampered", changed(four_doses, False), "SIGNATURE_INVALID"),
        (
            "alg none",
            text_of(
                sign_credential(
                    issuer, genuine, ISSUED, header={"alg": "none", "b64": False, "crit": ["b64"]}
                )
            ),
            "ALG_UNSUPPORTED",
        ),
        (
            "unknown issuer",
            text_of(credential(new_issuer(issuer="https://x.example/"))),
            "DIVOC_ISSUER_UNTRUSTED",
        ),
    ]


def _deflated(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("certificate.json"), data, zipfile.ZIP_DEFLATED, 9)
    return buffer.getvalue()


def _stored(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("certificate.json"), data)
    return buffer.getvalue()


def _patch_size(archive: bytes, size: int) -> bytes:
    data = bytearray(archive)
    central = data.index(b"PK\x01\x02")
    data[22:26] = data[central + 24 : central + 28] = size.to_bytes(4, "little")
    return bytes(data)


def _nul_name(cert: bytes) -> bytes:
    return _stored_named("certificate.jsonX.exe", cert).replace(b"jsonX.exe", b"json\x00.exe")


def _stored_named(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo(name), data)
    return buffer.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    iterations, warmup = iterations_from_args(
        __doc__.splitlines()[0], argv, FULL_ITERATIONS, QUICK_ITERATIONS
    )
    ed, rsa = new_issuer("EdDSA"), new_issuer("PS256", kid="did:divoc-test:rsa")
    ed_signed, rsa_signed = credential(ed), credential(rsa)
    ed_text, rsa_text = text_of(ed_signed), text_of(rsa_signed)
    with tempfile.TemporaryDirectory() as folder, open_cache(Path(folder) / "c.sqlite") as cache:
        IssuerKeyCache(cache).import_keys("divoc", ed.issuer, [ed.public_jwk(), rsa.public_jwk()])
        clock = FixedClock(CHECKED_AT)
        verifier = Verifier(CachedTrust(cache, clock).sources(), clock)
        for sample in (ed_text, rsa_text):
            result = verifier.verify(sample)
            if not result.valid:
                print(f"warning: a pass is {result.status} ({result.reason}): not a VALID path")
        main_rows: list[tuple[str, Call]] = [
            ("EdDSA full verify", lambda: verifier.verify(ed_text)),
            *bare_rows(ed, ed_signed),
            ("PS256 full verify", lambda: verifier.verify(rsa_text)),
            *bare_rows(rsa, rsa_signed),
        ]
        stage_rows = stages(ed_text, verifier, ed)
        samples = measure_rounds([*main_rows, *stage_rows], iterations, warmup)
        stats = {name: percentiles(values) for name, values in samples.items()}
        hostile = hostile_inputs(ed)
        wrong = check_hostile(verifier, hostile)
        cases = [(name, (lambda t=t: verifier.verify(t))) for name, t, _ in hostile]
        hostile_stats = measure_rounds(cases, HOSTILE_ITERATIONS, 3)
    report(iterations, warmup, ed_text, main_rows, stage_rows, stats, hostile_stats, wrong)
    return 0


def report(
    iterations: int,
    warmup: int,
    text: str,
    main_rows: Sequence[tuple[str, Call]],
    stage_rows: Sequence[tuple[str, Call]],
    stats: dict[str, tuple[float, float]],
    hostile_stats: dict[str, list[int]],
    wrong: list[str],
) -> None:
    print(
        f"Python {platform.python_version()} on {platform.machine()}, "
        f"cryptography {cryptography.__version__}, pyld {pyld_version}"
    )
    print(f"{iterations} interleaved iterations per row after {warmup} warm-up rounds; ", end="")
    print(f"EdDSA pass {len(text)} bytes")
    print()
    header = f"{'measurement':<34}{'median µs':>11}{'p95 µs':>11}{'% of full':>11}"
    print(header)
    print("-" * len(header))
    for name, _ in main_rows:
        median, p95 = stats[name]
        print(f"{name:<34}{median:>11.1f}{p95:>11.1f}")
    full = stats["EdDSA full verify"][0]
    print("\nEdDSA full verify, by stage:")
    for name, _ in stage_rows:
        median, p95 = stats[name]
        print(f"  {name:<32}{median:>11.1f}{p95:>11.1f}{100 * median / full:>10.1f}%")
    print(f"\nHostile inputs ({HOSTILE_ITERATIONS} rounds each), full verify:")
    print(f"  {'input':<32}{'median ms':>11}{'p95 ms':>11}{'max ms':>11}")
    worst = 0.0
    for name, values in hostile_stats.items():
        median, p95 = percentiles(values)
        worst = max(worst, max(values) / 1e6)
        print(f"  {name:<32}{median / 1000:>11.3f}{p95 / 1000:>11.3f}{max(values) / 1e6:>11.3f}")
    for line in wrong:
        print(f"  WRONG VERDICT: {line}")
    ratios = {
        alg: (
            stats[f"{alg} full verify"][0] / stats[f"{alg} bare proof check"][0],
            stats[f"{alg} full verify"][0] / stats[f"{alg} bare key.verify"][0],
        )
        for alg in ("EdDSA", "PS256")
    }
    met = all(ratio <= TARGET_RATIO for ratio, _ in ratios.values())
    hostile_met = worst <= HOSTILE_BAR_MS and not wrong
    print("\nRatios of medians (full / bare proof check, full / bare key.verify):")
    for alg, (proof_ratio, key_ratio) in ratios.items():
        print(f"  {alg:<6} {proof_ratio:6.2f}x   {key_ratio:8.1f}x")
    print()
    print(
        f"summary: EdDSA full {full:.0f} µs = {ratios['EdDSA'][0]:.2f}x the bare proof check "
        f"(canonicalise + verify; {ratios['EdDSA'][1]:.0f}x key.verify alone), PS256 "
        f"{ratios['PS256'][0]:.2f}x (target <= {TARGET_RATIO}x, {'met' if met else 'MISSED'}); "
        f"{len(hostile_stats)} hostile inputs INVALID with their reason, slowest {worst:.2f} ms "
        f"(bar <= {HOSTILE_BAR_MS:.0f} ms, {'met' if hostile_met else 'MISSED'})"
    )


if __name__ == "__main__":
    sys.exit(main())
