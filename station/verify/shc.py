"""The SMART Health Card (`shc:/`) pipeline: decoding stages, then independent checks.

Check names (stable; the GUI and the conformance tests rely on them):

- decoding stages, in order, stopping at the first failure (nothing after it can be read):
  `prefix` (the `shc:/` scheme, input bounds, the parts of a chunked card put back together),
  `numeric` (digit pairs to JWS characters), `jws` (three base64url parts, a JSON header),
  `signature` (ES256 over `header.payload` with an allow-listed issuer key, checked *before*
  anything is inflated), `inflate` (raw DEFLATE, `zip: DEF`, capped), `payload` (the JWT-VC
  claims);
- then checks that each report on their own: `issuer` (the card's `iss` is, exactly, an issuer
  whose key verified the signature), `validity` (`nbf` with the configured clock skew, `exp`
  when present), `revocation` (the card's `rid` against its issuer's revocation list for the
  key; "does not apply" to a card without a `rid`);
- `rules` when the station has a business-rule profile (none has rules for these cards, so the
  verdict asks for a manual check); `data` when stale trust data must refuse verdicts.

Revocation ids may carry a cut-off (`rid.timestamp`): the card is revoked when issued before it.
The cut-off names a whole second, and issuers write it from the same clock as `nbf` (the spec's
own revoked example has `nbf` 0.4 s into the cut-off second), so a card issued during the cut-off
second counts as issued before it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from station.config import VerifierConfig
from station.errors import Reject
from station.model import Check, VerificationResult
from station.ports import IssuerKeys, TrustSources
from station.reasons import Reason
from station.verify.outcome import build_result, data_health_checks
from station.verify.shc_chunks import MAX_CHUNKS, reassemble
from station.verify.shc_decode import (
    PREFIX,
    decode_numeric,
    inflate_payload,
    parse_jws,
)
from station.verify.shc_fhir import holder_from_resources, resources, summarize_resources
from station.verify.shc_payload import CardClaims, parse_claims
from station.verify.shc_signature import FAMILY, SignatureOutcome, verify_card_signature

FORMAT = "shc"
DECODE_STAGES = ("prefix", "numeric", "jws", "signature", "inflate", "payload")
VALIDATION_CHECKS = ("issuer", "validity", "revocation")
CHECK_NAMES = DECODE_STAGES + VALIDATION_CHECKS
#: Revocation ids are at most 24 characters; anything far longer cannot be on a list.
MAX_RID_CHARS = 128


def looks_like_shc(text: str) -> bool:
    """The router's predicate: the `shc:/` scheme (whole card or a part of a chunked one)."""
    return text.startswith(PREFIX)


@dataclass(frozen=True, slots=True)
class _Decoded:
    signature: SignatureOutcome
    claims: CardClaims


class _Stopped(Exception):
    """A decoding stage refused the input; its failed check is already recorded."""


def verify_shc(
    text: str, trust: TrustSources, now: datetime, config: VerifierConfig
) -> VerificationResult:
    """Verify a `shc:/` text (or every part of a chunked card) at `now` against the trust."""
    checks: list[Check] = []
    shown = text if len(text) <= config.max_input_chars * MAX_CHUNKS else None
    decoded = _decode(text, trust, config, checks)
    if decoded is None:
        checks += [Check.skipped(name) for name in CHECK_NAMES[len(checks) :]]
        return build_result(FORMAT, checks, now, shown)
    claims = decoded.claims
    checks.append(_issuer_check(claims, decoded.signature))
    checks.append(_validity_check(claims, now, config.clock_skew_seconds))
    checks.append(_revocation_check(claims, decoded.signature, trust.issuer_keys))
    found = resources(claims.bundle)
    details = _details(decoded, summarize_resources(found))
    if config.rules is not None:
        checks.append(Check.failed("rules", Reason.NO_RULES_APPLY, "no rules for these cards"))
    checks += data_health_checks(trust, config, details)
    return build_result(
        FORMAT,
        checks,
        now,
        shown,
        payload=claims.payload,
        holder=holder_from_resources(found),
        details=details,
    )


def _decode(
    text: str, trust: TrustSources, config: VerifierConfig, checks: list[Check]
) -> _Decoded | None:
    """Run the decoding stages in order, one check each; None at the first failure."""

    def stage(name: str, step: Any, *args: Any) -> Any:
        try:
            value = step(*args)
        except Reject as exc:
            checks.append(Check.failed(name, exc.reason, exc.detail))
            raise _Stopped from None
        checks.append(Check.passed(name))
        return value

    try:
        digits = stage("prefix", card_digits, text, config.max_input_chars)
        jws_text = stage("numeric", decode_numeric, digits)
        jws = stage("jws", parse_jws, jws_text)
        signature = stage("signature", verify_card_signature, jws, trust.issuer_keys)
        raw = stage("inflate", inflate_payload, jws, config.max_inflated_bytes)
        claims = stage("payload", parse_claims, raw)
    except _Stopped:
        return None
    return _Decoded(signature, claims)


def card_digits(text: str, max_chars: int) -> str:
    """The digits of one card: after `shc:/`, or of its parts (split by whitespace) joined.

    Bounds come first: no part may be longer than a QR code holds, nor the whole longer than
    `MAX_CHUNKS` of them.
    """
    if len(text) > max_chars * MAX_CHUNKS:
        raise Reject(Reason.INPUT_TOO_LONG, f"{len(text)} characters")
    parts = text.split()
    if any(len(part) > max_chars for part in parts):
        raise Reject(Reason.INPUT_TOO_LONG, f"a part longer than {max_chars} characters")
    return reassemble(parts)


def _issuer_check(claims: CardClaims, signature: SignatureOutcome) -> Check:
    if claims.issuer in signature.issuers:
        return Check.passed("issuer")
    return Check.failed(
        "issuer", Reason.SHC_ISSUER_MISMATCH, "iss is not the issuer of the verifying key"
    )


def _validity_check(claims: CardClaims, now: datetime, skew_seconds: int) -> Check:
    instant = now.timestamp()
    if claims.not_before > instant + skew_seconds:
        return Check.failed("validity", Reason.NOT_YET_VALID, "nbf is after the validation time")
    if claims.expires is not None and instant >= claims.expires:
        return Check.failed("validity", Reason.EXPIRED, "exp has passed")
    return Check.passed("validity")


def _revocation_check(
    claims: CardClaims, signature: SignatureOutcome, keys: IssuerKeys | None
) -> Check:
    """The card's `rid` on its issuer's list for this key (see the module docstring on cut-offs)."""
    rid = claims.rid
    if rid is None:
        return Check.skipped("revocation", Reason.NOT_APPLICABLE, "the card has no revocation id")
    if not isinstance(rid, str) or not rid or len(rid) > MAX_RID_CHARS:
        return Check.failed("revocation", Reason.SHC_PAYLOAD_INVALID, "rid is not a short string")
    if keys is None:
        return Check.skipped("revocation", Reason.SHC_ISSUER_KEYS_UNAVAILABLE)
    # The list compares whole seconds with `<`: ask about the second before the card's, so that
    # a card issued during the cut-off second itself is revoked too.
    issued = math.floor(claims.not_before) - 1
    if keys.is_revoked(FAMILY, claims.issuer, signature.kid, rid, issued):
        return Check.failed("revocation", Reason.REVOKED, "rid is on the issuer's list")
    return Check.passed("revocation")


def _details(decoded: _Decoded, summary: dict[str, Any]) -> dict[str, Any]:
    claims = decoded.claims
    return {
        "issuer": claims.issuer,
        "kid": decoded.signature.kid,
        "nbf": claims.not_before,
        "exp": claims.expires,
        "types": list(claims.types),
        **summary,
    }
