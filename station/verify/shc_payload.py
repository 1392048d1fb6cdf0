"""The JWT-VC claims of a SMART Health Card, read strictly from the inflated payload.

Reached only after the signature verified.  The payload must be one JSON object (UTF-8, no
member twice, no NaN, bounded nesting) with `iss` (the issuer URL, compared exactly with the
allow-list later), `nbf` (issue time, NumericDate seconds), optional `exp`, and a `vc` whose
`type` includes the health-card type and whose `credentialSubject.fhirBundle` is a FHIR Bundle.
`vc.rid`, the revocation id, is kept as found and judged by the revocation check.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from station.errors import Reject
from station.reasons import Reason
from station.verify.shc_decode import strict_json

HEALTH_CARD_TYPE = "https://smarthealth.cards#health-card"
#: Issuer URLs are short; a much longer `iss` is not one.
MAX_ISSUER_CHARS = 512
#: NumericDate upper bound (2^53 seconds, the largest integer a JSON number holds exactly).
MAX_NUMERIC_DATE = 2.0**53
_MAX_TYPES = 16


@dataclass(frozen=True, slots=True)
class CardClaims:
    """What the checks need from a verified card's payload."""

    issuer: str
    not_before: float
    expires: float | None
    #: `vc.rid` as found (any JSON value; None when absent).
    rid: Any
    types: tuple[str, ...]
    bundle: Mapping[str, Any]
    payload: Mapping[str, Any]


def parse_claims(raw: bytes) -> CardClaims:
    """The claims of an inflated payload; `Reject` with what is missing or malformed."""
    payload = strict_json(raw, "payload", Reason.SHC_PAYLOAD_INVALID)
    if not isinstance(payload, dict):
        raise Reject(Reason.SHC_PAYLOAD_INVALID, "payload is not a JSON object")
    vc = payload.get("vc")
    if not isinstance(vc, dict):
        raise Reject(Reason.PAYLOAD_MISSING, "no vc claim")
    return CardClaims(
        issuer=_issuer(payload.get("iss")),
        not_before=_numeric_date(payload.get("nbf"), "nbf", required=True) or 0.0,
        expires=_numeric_date(payload.get("exp"), "exp", required=False),
        rid=vc.get("rid"),
        types=_types(vc.get("type")),
        bundle=_bundle(vc.get("credentialSubject")),
        payload=payload,
    )


def _issuer(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise Reject(Reason.SHC_PAYLOAD_INVALID, "iss is missing or not a string")
    if len(value) > MAX_ISSUER_CHARS:
        raise Reject(Reason.SHC_PAYLOAD_INVALID, "iss is far too long")
    return value


def _numeric_date(value: Any, name: str, *, required: bool) -> float | None:
    """Seconds since 1970 as a finite, non-negative JSON number (fractions allowed)."""
    if value is None:
        if required:
            raise Reject(Reason.SHC_PAYLOAD_INVALID, f"{name} is missing")
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Reject(Reason.SHC_PAYLOAD_INVALID, f"{name} is not a number")
    seconds = float(value)
    if not math.isfinite(seconds) or not 0 <= seconds <= MAX_NUMERIC_DATE:
        raise Reject(Reason.SHC_PAYLOAD_INVALID, f"{name} is out of range")
    return seconds


def _types(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise Reject(Reason.SHC_PAYLOAD_INVALID, "vc.type is not a list of strings")
    if HEALTH_CARD_TYPE not in value:
        raise Reject(Reason.SHC_PAYLOAD_INVALID, "vc.type lacks the health-card type")
    return tuple(value[:_MAX_TYPES])


def _bundle(subject: Any) -> Mapping[str, Any]:
    if not isinstance(subject, dict):
        raise Reject(Reason.PAYLOAD_MISSING, "no vc.credentialSubject")
    bundle = subject.get("fhirBundle")
    if not isinstance(bundle, dict):
        raise Reject(Reason.PAYLOAD_MISSING, "no FHIR bundle in the card")
    if bundle.get("resourceType") != "Bundle" or not isinstance(bundle.get("entry"), list):
        raise Reject(Reason.SHC_PAYLOAD_INVALID, "fhirBundle is not a FHIR Bundle with entries")
    return bundle
