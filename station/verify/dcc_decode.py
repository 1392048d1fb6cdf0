"""Decoding stages of an EU DCC (HCERT): prefix → Base45 → zlib → COSE_Sign1 → CWT claims.

Each stage returns its output or raises `Reject`; decoding stops at the first failure because
nothing after it can be read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from station.codec.base45 import decode_base45
from station.codec.cbor import Tagged, decode_cbor
from station.codec.inflate import inflate_zlib
from station.errors import Reject
from station.reasons import Reason

HC1_PREFIX = "HC1:"
TAG_COSE_SIGN1 = 18
TAG_CWT = 61
CLAIM_ISS, CLAIM_EXP, CLAIM_IAT, CLAIM_HCERT = 1, 4, 6, -260
HCERT_EU_DCC = 1
HEADER_ALG, HEADER_KID = 1, 4
#: Tags that only annotate a value in the certificate JSON (dates, epoch times); unwrapped.
_ANNOTATION_TAGS = frozenset({0, 1, 100, 1004})


def strip_prefix(text: str) -> str:
    """Stage `prefix`: the HCERT context identifier `HC1:`."""
    if text.startswith(HC1_PREFIX):
        return text[len(HC1_PREFIX) :]
    if len(text) >= 4 and text[:2] == "HC" and text[3] == ":":
        raise Reject(Reason.PREFIX_UNSUPPORTED, f"context {text[:4]!r} is not supported")
    raise Reject(Reason.NOT_A_HEALTH_CREDENTIAL, "missing the HC1: prefix")


def decode_transport(body: str) -> bytes:
    """Stage `base45`."""
    return decode_base45(body)


def decompress(data: bytes, max_output: int) -> bytes:
    """Stage `decompress`: zlib with an output cap and no trailing bytes."""
    return inflate_zlib(data, max_output)


@dataclass(frozen=True, slots=True)
class CoseSign1:
    """A decoded COSE_Sign1 structure; `protected_bytes` is kept for the signature input."""

    protected_bytes: bytes
    protected: Mapping[Any, Any]
    unprotected: Mapping[Any, Any]
    payload: bytes
    signature: bytes

    @property
    def alg(self) -> Any:
        """Algorithm, from the protected header only (an unprotected alg is ignored)."""
        return self.protected.get(HEADER_ALG)

    @property
    def kid(self) -> Any:
        """kid from the protected header, else the unprotected one."""
        if HEADER_KID in self.protected:
            return self.protected[HEADER_KID]
        return self.unprotected.get(HEADER_KID)


def parse_cose_sign1(data: bytes) -> CoseSign1:
    """Stage `cose`: COSE_Sign1 tagged (18), CWT-wrapped (61 + 18) or untagged."""
    try:
        item = decode_cbor(data)
    except Reject as exc:
        raise Reject(_structure_reason(exc, Reason.COSE_MALFORMED), exc.detail) from None
    if isinstance(item, Tagged) and item.tag == TAG_CWT:
        item = item.value
    if isinstance(item, Tagged) and item.tag == TAG_COSE_SIGN1:
        item = item.value
    if not isinstance(item, list) or len(item) != 4:
        raise Reject(Reason.COSE_MALFORMED, "not a COSE_Sign1 array of four items")
    protected_bytes, unprotected, payload, signature = item
    if not isinstance(protected_bytes, bytes) or not isinstance(unprotected, dict):
        raise Reject(Reason.COSE_MALFORMED, "headers have the wrong types")
    if not isinstance(payload, bytes):
        raise Reject(Reason.PAYLOAD_MISSING, "payload is not embedded")
    if not isinstance(signature, bytes):
        raise Reject(Reason.COSE_MALFORMED, "signature is not a byte string")
    return CoseSign1(
        protected_bytes, _protected_map(protected_bytes), unprotected, payload, signature
    )


def _protected_map(raw: bytes) -> Mapping[Any, Any]:
    if not raw:
        return {}
    try:
        header = decode_cbor(raw, max_depth=4)
    except Reject as exc:
        raise Reject(_structure_reason(exc, Reason.COSE_MALFORMED), "protected header") from None
    if not isinstance(header, dict):
        raise Reject(Reason.COSE_MALFORMED, "protected header is not a map")
    return header


@dataclass(frozen=True, slots=True)
class CwtClaims:
    """The CWT claims a DCC verifier uses."""

    issuer: str | None
    issued_at: int | float
    expires: int | float
    certificate: dict[str, Any]


def parse_cwt(payload: bytes) -> CwtClaims:
    """Stage `cbor`: CWT claims map with integer `iat`/`exp` and the hcert -260/1 object."""
    return read_cwt(decode_claims(payload))


def decode_claims(payload: bytes) -> dict[Any, Any]:
    """The CWT claims map, decoded once so that every family's claims reader can share it."""
    try:
        claims = decode_cbor(payload)
    except Reject as exc:
        raise Reject(_structure_reason(exc, Reason.CWT_MALFORMED), exc.detail) from None
    if not isinstance(claims, dict):
        raise Reject(Reason.CWT_MALFORMED, "claims are not a map")
    return claims


def read_cwt(claims: Mapping[Any, Any]) -> CwtClaims:
    """The EU reading of a decoded claims map: `iss`, `iat`, `exp` and the hcert -260/1 object."""
    issuer = claims.get(CLAIM_ISS)
    if issuer is not None and not isinstance(issuer, str):
        raise Reject(Reason.CWT_CLAIM_INVALID, "issuer is not text")
    issued_at = _numeric_date(claims, CLAIM_IAT, "issued-at")
    expires = _numeric_date(claims, CLAIM_EXP, "expiry")
    hcert = claims.get(CLAIM_HCERT)
    if not isinstance(hcert, dict) or HCERT_EU_DCC not in hcert:
        raise Reject(Reason.PAYLOAD_MISSING, "no health certificate claim")
    certificate = to_json_value(hcert[HCERT_EU_DCC])
    if not isinstance(certificate, dict):
        raise Reject(Reason.CWT_MALFORMED, "health certificate is not an object")
    return CwtClaims(issuer, issued_at, expires, certificate)


#: NumericDate bounds: 1970 to 2^53 seconds (beyond that a float no longer holds whole seconds).
_MAX_NUMERIC_DATE = 2**53


def _numeric_date(claims: Mapping[Any, Any], key: int, name: str) -> int | float:
    """A NumericDate in seconds, kept exact.

    RFC 8392 NumericDates may be floats, and Spain's issuer wrote fractional seconds, which the
    EU test data accepts.  The value is compared exactly against every bound (no rounding, so no
    bound becomes more lenient).  Booleans, tags (bignums, tag 1), strings, non-finite,
    negative and out-of-range values are refused: that is where verifiers disagree.
    """
    if key not in claims:
        raise Reject(Reason.CWT_CLAIM_MISSING, f"no {name} claim")
    value = claims[key]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Reject(Reason.CWT_CLAIM_INVALID, f"{name} is not a number of seconds")
    if not 0 <= value <= _MAX_NUMERIC_DATE:
        raise Reject(Reason.CWT_CLAIM_INVALID, f"{name} is out of range")
    return value


_PLAIN_JSON = (str, int, float, bool, type(None))


def to_json_value(value: Any, depth: int = 0) -> Any:
    """Turn decoded CBOR into JSON values; binary data and non-text keys are refused."""
    if type(value) in _PLAIN_JSON:
        return value
    if depth > 16:
        raise Reject(Reason.CWT_MALFORMED, "certificate nested too deeply")
    if isinstance(value, dict):
        converted: dict[str, Any] = {}
        for key, item in value.items():
            if type(key) is not str:
                raise Reject(Reason.CWT_MALFORMED, "certificate field name is not text")
            converted[key] = item if type(item) in _PLAIN_JSON else to_json_value(item, depth + 1)
        return converted
    if isinstance(value, list):
        return [to_json_value(v, depth + 1) for v in value]
    if isinstance(value, Tagged):
        if value.tag not in _ANNOTATION_TAGS:
            raise Reject(Reason.CWT_MALFORMED, f"unexpected tag {value.tag} in certificate")
        return to_json_value(value.value, depth + 1)
    raise Reject(Reason.CWT_MALFORMED, "binary data in certificate")


def _structure_reason(exc: Reject, default: Reason) -> Reason:
    """Keep the specific reasons (duplicate key, trailing data); fold the rest into `default`."""
    if exc.reason in (Reason.CBOR_DUPLICATE_KEY, Reason.TRAILING_DATA):
        return exc.reason
    return default
