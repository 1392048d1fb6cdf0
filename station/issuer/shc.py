"""Issue SMART Health Cards (`shc:/`), including deliberately broken ones for negative tests.

A real P-256 issuer key published as a JWKS (kid = RFC 7638 thumbprint), compact JWS over the
raw-DEFLATEd JWT-VC payload, the numeric `shc:/` encoding, the deprecated chunked form, and QR
images with the spec's two segments (`shc:/` in byte mode, the digits in numeric mode).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import segno
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from segno import consts

from station.verify.shc_decode import OFFSET, PREFIX
from station.verify.shc_payload import HEALTH_CARD_TYPE
from station.verify.shc_signature import jwk_thumbprint

DEFAULT_ISSUER = "https://shc.issuer.example.vn"
IMMUNIZATION_TYPE = "https://smarthealth.cards#immunization"
LABORATORY_TYPE = "https://smarthealth.cards#laboratory"
#: The spec's limits: one QR holds a JWS of 1,195 characters, a chunk at most 1,191.
MAX_SINGLE_JWS = 1195
MAX_CHUNK_JWS = 1191
CVX = "http://hl7.org/fhir/sid/cvx"
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class ShcIssuer:
    """An issuer URL and its P-256 signing key."""

    iss: str
    key: ec.EllipticCurvePrivateKey

    def public_jwk(self) -> dict[str, str]:
        numbers = self.key.public_key().public_numbers()
        x, y = _b64url(numbers.x.to_bytes(32, "big")), _b64url(numbers.y.to_bytes(32, "big"))
        jwk = {"kty": "EC", "crv": "P-256", "x": x, "y": y}
        return {**jwk, "kid": jwk_thumbprint(x, y), "use": "sig", "alg": "ES256"}

    @property
    def kid(self) -> str:
        return self.public_jwk()["kid"]

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        """What the issuer serves at `<iss>/.well-known/jwks.json` (public members only)."""
        return {"keys": [self.public_jwk()]}


def make_shc_issuer(iss: str = DEFAULT_ISSUER) -> ShcIssuer:
    return ShcIssuer(iss, ec.generate_private_key(ec.SECP256R1()))


def issuer_from_private_jwk(jwk: Mapping[str, str], iss: str) -> ShcIssuer:
    """An issuer from a private P-256 JWK (e.g. the spec's example issuer, to regenerate cards)."""
    d = base64.urlsafe_b64decode(jwk["d"] + "=" * (-len(jwk["d"]) % 4))
    return ShcIssuer(iss, ec.derive_private_key(int.from_bytes(d, "big"), ec.SECP256R1()))


def patient(family: str, given: Sequence[str], birth_date: str) -> dict[str, Any]:
    name = {"family": family, "given": list(given)}
    return {"resourceType": "Patient", "name": [name], "birthDate": birth_date}


def immunization(cvx: str, date: str, lot: str = "0000001") -> dict[str, Any]:
    return {
        "resourceType": "Immunization",
        "status": "completed",
        "vaccineCode": {"coding": [{"system": CVX, "code": cvx}]},
        "patient": {"reference": "resource:0"},
        "occurrenceDateTime": date,
        "lotNumber": lot,
    }


def lab_result(loinc: str, date: str, snomed_result: str) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": LOINC, "code": loinc}]},
        "subject": {"reference": "resource:0"},
        "effectiveDateTime": date,
        "valueCodeableConcept": {"coding": [{"system": SNOMED, "code": snomed_result}]},
    }


def bundle(*resources: Mapping[str, Any]) -> dict[str, Any]:
    entries = [{"fullUrl": f"resource:{i}", "resource": r} for i, r in enumerate(resources)]
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}


def vaccination_bundle(
    family: str = "Nguyễn", given: Sequence[str] = ("Văn", "An"), birth_date: str = "1990-05-17"
) -> dict[str, Any]:
    """Two Pfizer (CVX 208) doses, as a Vietnamese vaccination site would have recorded."""
    return bundle(
        patient(family, given, birth_date),
        immunization("208", "2021-09-01", "FF2588"),
        immunization("208", "2021-10-01", "FF2589"),
    )


def lab_bundle(
    family: str = "Trần", given: Sequence[str] = ("Thị", "Bình"), birth_date: str = "1985-02-03"
) -> dict[str, Any]:
    """A negative SARS-CoV-2 RNA test (LOINC 94558-4, SNOMED 260385009 "Negative")."""
    return bundle(
        patient(family, given, birth_date),
        lab_result("94558-4", "2026-05-30T08:00:00+07:00", "260385009"),
    )


def card_payload(
    iss: str,
    fhir_bundle: Mapping[str, Any],
    *,
    nbf: datetime,
    exp: datetime | None = None,
    rid: str | None = None,
    types: Sequence[str] = (IMMUNIZATION_TYPE,),
) -> dict[str, Any]:
    """The JWT-VC claims of a card (before minifying and compressing)."""
    vc: dict[str, Any] = {
        "type": [HEALTH_CARD_TYPE, *types],
        "credentialSubject": {"fhirVersion": "4.0.1", "fhirBundle": dict(fhir_bundle)},
    }
    if rid is not None:
        vc["rid"] = rid
    payload: dict[str, Any] = {"iss": iss, "nbf": nbf.timestamp(), "vc": vc}
    if exp is not None:
        payload["exp"] = exp.timestamp()
    return payload


@dataclass(frozen=True)
class ShcOptions:
    """Knobs for building valid and deliberately invalid cards."""

    alg: str = (
        "ES256"  # "" leaves it out, "none" signs nothing, "HS256" is HMAC with the public key
    )
    zip: str | None = "DEF"  # None leaves `zip` out of the header
    compress: str = "raw"  # "raw" DEFLATE, "zlib" (wrapped, wrong), "none"
    kid: str | None = None  # override the header kid; "" leaves it out
    der_signature: bool = False  # DER-encoded ECDSA signature instead of raw r‖s
    extra_header: Mapping[str, Any] = field(default_factory=dict)


def sign_jws(issuer: ShcIssuer, payload: Mapping[str, Any] | bytes, options: ShcOptions) -> str:
    """A compact JWS over the payload: a claims object is minified and compressed first, bytes
    are signed as they are (for payloads a genuine issuer would never produce)."""
    header: dict[str, Any] = {"alg": options.alg} if options.alg else {}
    if options.zip is not None:
        header["zip"] = options.zip
    kid = issuer.kid if options.kid is None else options.kid
    if kid:
        header["kid"] = kid
    header.update(options.extra_header)
    body = payload if isinstance(payload, bytes) else _compress(payload, options.compress)
    signing_input = f"{_b64url(_minified(header))}.{_b64url(body)}"
    return f"{signing_input}.{_b64url(_signature(issuer, signing_input.encode(), options))}"


def _minified(value: Mapping[str, Any]) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _compress(payload: Mapping[str, Any], method: str) -> bytes:
    data = _minified(payload)
    if method == "none":
        return data
    if method == "zlib":
        return zlib.compress(data, 9)
    return deflate_raw(data)


def deflate_raw(data: bytes) -> bytes:
    """Raw DEFLATE (no zlib header or checksum), as `zip: DEF` requires."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def _signature(issuer: ShcIssuer, message: bytes, options: ShcOptions) -> bytes:
    if options.alg == "none":
        return b""
    if options.alg == "HS256":  # the classic confusion: the public key as an HMAC secret
        secret = json.dumps(issuer.public_jwk(), sort_keys=True).encode()
        return hmac.new(secret, message, hashlib.sha256).digest()
    der = issuer.key.sign(message, ec.ECDSA(hashes.SHA256()))
    if options.der_signature:
        return der
    r, s = decode_dss_signature(der)
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def issue_shc(
    issuer: ShcIssuer,
    fhir_bundle: Mapping[str, Any],
    *,
    nbf: datetime,
    exp: datetime | None = None,
    rid: str | None = None,
    options: ShcOptions | None = None,
) -> str:
    """A complete single-QR `shc:/` text signed by `issuer`."""
    payload = card_payload(issuer.iss, fhir_bundle, nbf=nbf, exp=exp, rid=rid)
    return numeric_text(sign_jws(issuer, payload, options or ShcOptions()))


def encode_numeric(jws: str) -> str:
    """Two digits per JWS character: `ord(c) - 45`, zero-padded."""
    return "".join(f"{ord(c) - OFFSET:02d}" for c in jws)


def numeric_text(jws: str) -> str:
    return PREFIX + encode_numeric(jws)


def chunk_texts(jws: str, max_chunk: int = MAX_CHUNK_JWS) -> list[str]:
    """The deprecated chunked form: roughly equal parts `shc:/i/n/digits` of ≤ `max_chunk`."""
    count = -(-len(jws) // max_chunk)
    size = -(-len(jws) // count)
    parts = [jws[i : i + size] for i in range(0, len(jws), size)]
    return [f"{PREFIX}{i}/{len(parts)}/{encode_numeric(p)}" for i, p in enumerate(parts, 1)]


def qr_png(text: str, scale: int = 4, border: int = 4) -> bytes:
    """A QR image of one card text with the spec's segments: the prefix as bytes, then digits."""
    head, digits = _split_digits(text)
    segments: Any = [(head, consts.MODE_BYTE), (digits, consts.MODE_NUMERIC)]  # typed as str
    code = segno.make(segments, error="l", micro=False)
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=scale, border=border)
    return buffer.getvalue()


def _split_digits(text: str) -> tuple[str, str]:
    """`shc:/` (and a chunk's `i/n/`) apart from the digits that follow."""
    end = len(text)
    while end > 0 and text[end - 1].isdigit():
        end -= 1
    if text[end - 1 : end] != "/":
        end = text.index("/") + 1
    return text[:end], text[end:]
