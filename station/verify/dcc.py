"""The EU DCC verification pipeline: decoding stages, then independent validation checks.

Check names (stable; the conformance scorer and the GUI rely on them):
prefix, base45, decompress, cose, cbor, signature, expiry, key_usage, schema; `revocation` once
the station holds a synced revocation list; `rules` when the station has a business-rule
profile; `data` when stale trust data must refuse verdicts.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from station.config import VerifierConfig
from station.errors import Reject
from station.model import Check, Holder, VerificationResult
from station.ports import RevocationLookup, TrustSources
from station.reasons import Reason
from station.rules.profiles import Profile
from station.rules.runner import RulesOutcome
from station.trust.certificate import TrustedCertificate
from station.verify import cose_signature, dcc_decode, ddcc_decode
from station.verify.key_usage import check_key_usage
from station.verify.outcome import build_result, data_health_checks
from station.verify.revocation import revocation_hashes
from station.verify.schema import check_schema
from station.verify.stages import FAILED, run_stages
from station.verify.validity import check_validity_period

FORMAT = "dcc"
DECODE_STAGES = ("prefix", "base45", "decompress", "cose", "cbor")
VALIDATION_CHECKS = ("signature", "expiry", "key_usage", "schema")
CHECK_NAMES = DECODE_STAGES + VALIDATION_CHECKS


def verify_dcc(
    text: str, trust: TrustSources, now: datetime, config: VerifierConfig
) -> VerificationResult:
    """Verify an `HC1:` text at the instant `now` against the trust sources."""
    checks: list[Check] = []
    decoded = _decode(text, config, checks)
    if decoded is None:
        checks += [Check.skipped(name) for name in CHECK_NAMES[len(checks) :]]
        return build_result(FORMAT, checks, now, text)
    cose, claims = decoded
    if ddcc_decode.is_ddcc(claims):  # a WHO DDCC:VS, checked by its own family
        from station.verify import ddcc  # here, not on top: ddcc builds on this module

        return ddcc.verify_decoded(text, cose, claims, checks, trust, now, config)
    signature_check, verified_by = _signature_check(cose, trust)
    signer = choose_signer(verified_by, claims, now, config)
    checks.append(signature_check)
    checks.append(_expiry_check(claims, now, signer, config))
    checks.append(_key_usage_check(claims, signer))
    problem = check_schema(claims.certificate)
    checks.append(
        Check.failed("schema", problem.reason, problem.detail)
        if problem
        else Check.passed("schema")
    )
    details: dict[str, Any] = {
        "issuer_country": claims.issuer,
        "iat": claims.issued_at,
        "exp": claims.expires,
    }
    if trust.revocations is not None and trust.revocations.available:
        checks.append(_revocation_check(trust.revocations, cose, claims))
    if config.rules is not None:
        outcome = _run_profile(config.rules, claims, cose.kid, now)
        checks.append(outcome.to_check())
        details["rules"] = outcome.to_json()
    if signer is not None:
        details["signer_kid"] = signer.kid.hex()
        details["signer_country"] = signer.country
    checks += data_health_checks(trust, config, details)
    return build_result(
        FORMAT,
        checks,
        now,
        text,
        payload=claims.certificate,
        holder=holder_from_dcc(claims.certificate),
        details=details,
    )


def _run_profile(
    profile: Profile, claims: dcc_decode.CwtClaims, kid: bytes | None, now: datetime
) -> RulesOutcome:
    """The station profile's business rules on the payload, with the EU engine's external data."""
    external = replace(
        profile.external(now, issuer_country=claims.issuer or ""),
        iat=_instant(claims.issued_at),
        exp=_instant(claims.expires),
        kid=base64.b64encode(kid).decode("ascii") if isinstance(kid, bytes) else "",
    )
    return profile.check(claims.certificate, external)


def _instant(seconds: int | float) -> datetime | None:
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _decode(
    text: str, config: VerifierConfig, checks: list[Check]
) -> tuple[dcc_decode.CoseSign1, dcc_decode.CwtClaims] | None:
    """Run the decoding stages in order, appending a check per stage; None at the first failure."""
    stages: list[tuple[str, Callable[[Any], Any]]] = [
        ("prefix", lambda t: _bounded_prefix(t, config.max_input_chars)),
        ("base45", dcc_decode.decode_transport),
        ("decompress", lambda d: dcc_decode.decompress(d, config.max_inflated_bytes)),
        ("cose", dcc_decode.parse_cose_sign1),
        ("cbor", lambda cose: (cose, ddcc_decode.parse_hcert_claims(cose.payload))),
    ]
    value = run_stages(text, stages, checks)
    if value is FAILED:
        return None
    cose, claims = value
    return cose, claims


def _bounded_prefix(text: str, max_chars: int) -> str:
    if not text:
        raise Reject(Reason.INPUT_EMPTY)
    if len(text) > max_chars:
        raise Reject(Reason.INPUT_TOO_LONG, f"{len(text)} characters")
    return dcc_decode.strip_prefix(text)


def _signature_check(
    cose: dcc_decode.CoseSign1, trust: TrustSources
) -> tuple[Check, tuple[TrustedCertificate, ...]]:
    try:
        alg = cose_signature.require_alg(cose.alg)
        kid = cose_signature.require_kid(cose.kid)
    except Reject as exc:
        return Check.failed("signature", exc.reason, exc.detail), ()
    message = cose_signature.sig_structure(cose.protected_bytes, cose.payload)
    outcome = cose_signature.verify_against_candidates(
        alg, trust.signers.signers_for(kid), cose.signature, message
    )
    withdrawn = trust.withdrawn
    if outcome.failure is not None and outcome.failure.reason is Reason.KID_UNKNOWN:
        if withdrawn is not None and withdrawn.was_removed(kid):
            return Check.failed("signature", Reason.SIGNER_REVOKED), ()
    if outcome.failure is not None:
        return Check.failed("signature", outcome.failure.reason, outcome.failure.detail), ()
    return Check.passed("signature"), outcome.verified_by


def _revocation_check(
    revocations: RevocationLookup, cose: dcc_decode.CoseSign1, claims: dcc_decode.CwtClaims
) -> Check:
    """Blocked by the revocation list under the pass's kid (or the EU's UNKNOWN_KID)?"""
    kid = cose.kid if isinstance(cose.kid, bytes) else b""
    hashes = revocation_hashes(claims.certificate, cose.signature, cose.alg)
    match = revocations.find(kid, hashes)
    if match is not None:
        return Check.failed("revocation", Reason.REVOKED, f"matched by {match.hash_type.name}")
    return Check.passed("revocation")


def choose_signer(
    verified_by: tuple[TrustedCertificate, ...],
    claims: dcc_decode.CwtClaims,
    now: datetime,
    config: VerifierConfig,
) -> TrustedCertificate | None:
    """Among signers whose key verified (sorted by fingerprint), the first that passes most checks.

    Two certificates can share a key but differ in validity or key usage; picking by outcome and
    then by fingerprint keeps the verdict independent of the order the trust list holds them in.
    """
    if len(verified_by) <= 1:
        return verified_by[0] if verified_by else None

    def score(cert: TrustedCertificate) -> int:
        period_ok = not check_validity_period(
            claims.issued_at, claims.expires, now, cert, config.clock_skew_seconds
        )
        usage_ok = check_key_usage(cert, claims.certificate) is None
        return int(period_ok) + int(usage_ok)

    return max(verified_by, key=score)


def _expiry_check(
    claims: dcc_decode.CwtClaims,
    now: datetime,
    signer: TrustedCertificate | None,
    config: VerifierConfig,
) -> Check:
    problems = check_validity_period(
        claims.issued_at, claims.expires, now, signer, config.clock_skew_seconds
    )
    if problems:
        return Check.failed("expiry", problems[0].reason, problems[0].detail)
    return Check.passed("expiry")


def _key_usage_check(claims: dcc_decode.CwtClaims, signer: TrustedCertificate | None) -> Check:
    if signer is None:
        return Check.skipped("key_usage", Reason.NOT_REACHED, "no verified signer")
    problem = check_key_usage(signer, claims.certificate)
    return (
        Check.failed("key_usage", problem.reason, problem.detail)
        if problem
        else Check.passed("key_usage")
    )


def holder_from_dcc(certificate: dict[str, Any]) -> Holder | None:
    """Name and date of birth as printed, falling back to the transliterated name."""
    names = certificate.get("nam")
    if not isinstance(names, dict):
        return None
    family = str(names.get("fn") or names.get("fnt") or "")
    given = str(names.get("gn") or names.get("gnt") or "")
    display = ", ".join(part for part in (family, given) if part)
    return Holder(display, str(certificate.get("dob") or ""), family, given)
