"""The NZ COVID Pass (`NZCP:/1/`) verification pipeline: decoding stages, then independent checks.

Check names (stable): prefix, base32, cose, cbor, then issuer, signature, validity, cti (the
credential id, reported in details as `credential_id`), payload; `rules` when the station has a
business-rule profile (no profile has rules for this pass, so it always asks for a manual check);
`data` when stale trust data must refuse verdicts.

Trust: the issuer (`iss`, a did:web DID) must be on `TRUSTED_ISSUERS`, pinned here to the
production issuer, or on the station's `nzcp_extra_issuers` setting (a trial or demo issuer,
passed in `VerifierConfig`). The spec's test issuer signs the published examples and is
accepted only where the station explicitly rebinds `TRUSTED_ISSUERS` (for instance to
`WITH_TEST_ISSUER`).
Keys come from `trust.issuer_keys` (family "nzcp", issuer = the DID, kid = the key id), imported
from the issuer's DID document (see `station.verify.nzcp_keys`); nothing is fetched at scan time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from station.config import VerifierConfig
from station.errors import Reject
from station.model import Check, VerificationResult
from station.ports import IssuerKeys, TrustSources
from station.reasons import Reason
from station.verify import cose_signature, nzcp_decode, nzcp_keys, nzcp_payload
from station.verify.dcc_decode import HEADER_KID, CoseSign1
from station.verify.outcome import build_result, data_health_checks
from station.verify.stages import FAILED, run_stages

FORMAT = "nzcp"
DECODE_STAGES = ("prefix", "base32", "cose", "cbor")
VALIDATION_CHECKS = ("issuer", "signature", "validity", "cti", "payload")
CHECK_NAMES = DECODE_STAGES + VALIDATION_CHECKS
PRODUCTION_ISSUER = "did:web:nzcp.identity.health.nz"
TEST_ISSUER = "did:web:nzcp.covid19.health.nz"
#: The issuers whose passes this station accepts: the spec's trusted-issuer list.
TRUSTED_ISSUERS: frozenset[str] = frozenset({PRODUCTION_ISSUER})
#: What a test or demo station sets `TRUSTED_ISSUERS` to, to accept the spec's examples too.
WITH_TEST_ISSUER: frozenset[str] = TRUSTED_ISSUERS | {TEST_ISSUER}
CLAIM_ISS, CLAIM_EXP, CLAIM_NBF = 1, 4, 5
#: NumericDate bounds: 1970 up to 2^53 seconds.
_MAX_NUMERIC_DATE = 2**53
_MAX_SHOWN_ISSUER = 200


def looks_like_nzcp(text: str) -> bool:
    """The router's predicate: the NZCP URI scheme, whatever the version after it."""
    return text.startswith(nzcp_decode.PREFIX)


def verify_nzcp(
    text: str, trust: TrustSources, now: datetime, config: VerifierConfig
) -> VerificationResult:
    """Verify an `NZCP:/1/` text at the instant `now` against the trust sources."""
    checks: list[Check] = []
    decoded = _decode(text, config, checks)
    if decoded is None:
        checks += [Check.skipped(name) for name in CHECK_NAMES[len(checks) :]]
        return build_result(FORMAT, checks, now, text)
    cose, claims = decoded
    details: dict[str, Any] = {}
    issuer_check = _issuer_check(claims, details, config.nzcp_extra_issuers)
    checks.append(issuer_check)
    checks.append(_signature_check(cose, issuer_check.ok is True, claims, trust, details))
    checks.append(_validity_check(claims, now, config.clock_skew_seconds, details))
    checks.append(_credential_id_check(claims, details))
    vc = _run(lambda: nzcp_payload.credential(claims))
    checks.append(vc if isinstance(vc, Check) else Check.passed("payload"))
    if config.rules is not None:
        checks.append(Check.failed("rules", Reason.NO_RULES_APPLY, "no rules for NZ passes"))
    checks += data_health_checks(trust, config, details)
    return build_result(
        FORMAT,
        checks,
        now,
        text,
        payload=None if isinstance(vc, Check) else vc,
        holder=nzcp_payload.holder(claims),
        details=details,
    )


def _run(step: Callable[[], Any], name: str = "payload") -> Any:
    """The step's value, or a failed check named `name` carrying its `Reject`."""
    try:
        return step()
    except Reject as exc:
        return Check.failed(name, exc.reason, exc.detail)


def _decode(
    text: str, config: VerifierConfig, checks: list[Check]
) -> tuple[CoseSign1, Mapping[Any, Any]] | None:
    """Run the decoding stages in order, appending a check per stage; None at the first failure."""
    stages: list[tuple[str, Callable[[Any], Any]]] = [
        ("prefix", lambda t: nzcp_decode.strip_prefix(t, config.max_input_chars)),
        ("base32", nzcp_decode.decode_base32),
        ("cose", nzcp_decode.parse_cose),
        ("cbor", lambda cose: (cose, nzcp_decode.parse_claims(cose))),
    ]
    value = run_stages(text, stages, checks)
    if value is FAILED:
        return None
    cose, claims = value
    return cose, claims


def _issuer_check(
    claims: Mapping[Any, Any], details: dict[str, Any], extra: frozenset[str]
) -> Check:
    """`iss` is a did:web DID on the pinned allow-list (read at call time, so it can be set)
    or one of the station's configured extra issuers."""
    issuer = claims.get(CLAIM_ISS)
    if not isinstance(issuer, str):
        return Check.failed("issuer", Reason.NZCP_ISSUER_UNTRUSTED, "no issuer DID in the pass")
    details["issuer"] = issuer[:_MAX_SHOWN_ISSUER]
    if not issuer.startswith("did:web:"):
        return Check.failed("issuer", Reason.NZCP_ISSUER_UNTRUSTED, "issuer is not a did:web DID")
    if issuer not in TRUSTED_ISSUERS and issuer not in extra:
        return Check.failed("issuer", Reason.NZCP_ISSUER_UNTRUSTED, "issuer not on the allow-list")
    return Check.passed("issuer")


def _signature_check(
    cose: CoseSign1,
    issuer_trusted: bool,
    claims: Mapping[Any, Any],
    trust: TrustSources,
    details: dict[str, Any],
) -> Check:
    """ES256 from the protected header, by a key the station holds for this issuer and kid."""
    try:
        if cose.alg is None:
            raise Reject(Reason.ALG_MISSING, "no algorithm in the protected header")
        if type(cose.alg) is not int or cose.alg != cose_signature.ALG_ES256:
            raise Reject(Reason.ALG_UNSUPPORTED, "the algorithm is not ES256")
        kid = nzcp_keys.key_id(cose.protected.get(HEADER_KID))
    except Reject as exc:
        if exc.reason is Reason.KID_MISSING and HEADER_KID in cose.unprotected:
            return Check.failed("signature", exc.reason, "the key id is not protected")
        return Check.failed("signature", exc.reason, exc.detail)
    details["kid"] = kid
    if not issuer_trusted:
        return Check.skipped("signature", Reason.NOT_REACHED, "the issuer is not trusted")
    if trust.issuer_keys is None:
        return Check.failed("signature", Reason.NZCP_ISSUER_KEYS_UNAVAILABLE, "no issuer keys")
    keys = _keys(trust.issuer_keys, str(claims[CLAIM_ISS]), kid)
    if isinstance(keys, Check):
        return keys
    message = cose_signature.sig_structure(cose.protected_bytes, cose.payload)
    failures: list[Reject] = []
    for jwk in keys:
        try:
            key = nzcp_keys.public_key_from_jwk(jwk)
            cose_signature.verify_with_key(cose_signature.ALG_ES256, key, cose.signature, message)
        except Reject as exc:
            failures.append(exc)
        else:
            return Check.passed("signature")
    worst = min(failures, key=lambda f: _FAILURE_ORDER.get(f.reason, len(_FAILURE_ORDER)))
    return Check.failed("signature", worst.reason, worst.detail)


#: When no key verifies, report the most telling reason among the attempts.
_FAILURE_ORDER = {
    reason: rank
    for rank, reason in enumerate(
        (Reason.SIGNATURE_INVALID, Reason.SIGNATURE_MALFORMED, Reason.KEY_ALG_MISMATCH)
    )
}


def _keys(issuer_keys: IssuerKeys, issuer: str, kid: str) -> list[Mapping[str, Any]] | Check:
    """The held keys under `kid`; none is "unknown key", unless the issuer has no keys at all,
    which is a station that was never given them, not a forged pass."""
    keys = list(issuer_keys.keys_for(nzcp_keys.FAMILY, issuer, kid))
    if keys:
        return keys
    if issuer not in issuer_keys.issuers(nzcp_keys.FAMILY):
        return Check.failed(
            "signature", Reason.NZCP_ISSUER_KEYS_UNAVAILABLE, "no keys held for this issuer"
        )
    return Check.failed("signature", Reason.KID_UNKNOWN, "the issuer has no key with this id")


def _validity_check(
    claims: Mapping[Any, Any], now: datetime, skew_seconds: int, details: dict[str, Any]
) -> Check:
    """nbf ≤ now < exp; the skew forgives an `nbf` a few minutes ahead of a lagging clock."""
    try:
        not_before = _numeric_date(claims, CLAIM_NBF, "not-before")
        expires = _numeric_date(claims, CLAIM_EXP, "expiry")
    except Reject as exc:
        return Check.failed("validity", exc.reason, exc.detail)
    details["nbf"], details["exp"] = not_before, expires
    now_ts = now.timestamp()
    if not_before > now_ts + skew_seconds:
        return Check.failed("validity", Reason.NOT_YET_VALID, f"valid from {_day(not_before)}")
    if now_ts >= expires:
        return Check.failed("validity", Reason.EXPIRED, f"expired {_day(expires)}")
    return Check.passed("validity")


def _numeric_date(claims: Mapping[Any, Any], key: int, name: str) -> int:
    """An integer NumericDate (the spec forbids fractions); booleans and tags are refused."""
    if key not in claims:
        raise Reject(Reason.CWT_CLAIM_MISSING, f"no {name} claim")
    value = claims[key]
    if isinstance(value, bool) or not isinstance(value, int):
        raise Reject(Reason.CWT_CLAIM_INVALID, f"{name} is not a whole number of seconds")
    if not 0 <= value <= _MAX_NUMERIC_DATE:
        raise Reject(Reason.CWT_CLAIM_INVALID, f"{name} is out of range")
    return value


def _day(ts: int) -> str:
    try:
        return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M UTC")
    except (OverflowError, OSError, ValueError):
        return str(ts)


def _credential_id_check(claims: Mapping[Any, Any], details: dict[str, Any]) -> Check:
    outcome = _run(lambda: nzcp_payload.credential_id(claims), "cti")
    if isinstance(outcome, Check):
        return outcome
    details["credential_id"] = outcome
    return Check.passed("cti")
