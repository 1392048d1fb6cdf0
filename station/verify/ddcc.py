"""WHO DDCC:VS passes in the HCERT (`HC1:`) container: the EU DCC's transport, trust and signature
checks, with WHO's core data set in place of the EU schema.

Check names (the EU DCC's, so front ends treat both alike): prefix, base45, decompress, cose,
cbor, signature, expiry, key_usage, schema; `revocation` once the station holds a synced
revocation list; `rules` when the station has a business-rule profile; `data` when stale trust
data must refuse verdicts.

What is shared with the EU DCC, and why: a DDCC is signed by a Document Signer Certificate from
the same trust list (WHO's trust network reuses the EU gateway's model), so the kid lookup in
both headers, the try-every-signer rule, withdrawn signers and the iat/exp/DSC validity bounds
are the EU pipeline's own functions.  What differs:
- where the payload sits and how it is told apart: `station.verify.ddcc_decode`;
- the content check: the WHO core data set (`station.verify.ddcc_payload`), whose certificate
  period and "vaccination valid from" date also bound the `expiry` check;
- key usage: a DDCC:VS is a vaccination certificate, so a DSC restricted by the DCC usage OIDs
  must allow vaccinations;
- revocation: a revocation list entry matches the pass's signature or its HCID (hashed like an
  EU UVCI), since a DDCC has no UVCI;
- rules: the station's profiles are EU CertLogic rules over the EU payload; they cannot judge a
  WHO payload, so a station that applies rules asks for a manual check instead of passing it.

The EU pipeline decodes the pass (its `cbor` stage also reads WHO's sub-claims when there is
no EU one, see `ddcc_decode.parse_hcert_claims`) and hands it to `verify_decoded`; EU passes
never pay for this module.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from station.config import VerifierConfig
from station.errors import Reject
from station.model import Check, Holder, VerificationResult
from station.ports import RevocationLookup, TrustSources
from station.reasons import Reason
from station.trust.certificate import TrustedCertificate
from station.verify import dcc, dcc_decode, ddcc_decode
from station.verify.ddcc_payload import DdccRecord, read_core_data_set
from station.verify.outcome import build_result, data_health_checks
from station.verify.revocation import HashType, signature_hash_input, truncated_sha256
from station.verify.validity import check_validity_period

FORMAT = "ddcc"
CHECK_NAMES = dcc.CHECK_NAMES
#: A DDCC:VS is a vaccination certificate in the DCC key-usage vocabulary.
VACCINATION_TYPE = "v"


def verify_decoded(
    text: str,
    cose: dcc_decode.CoseSign1,
    claims: dcc_decode.CwtClaims,
    checks: list[Check],
    trust: TrustSources,
    now: datetime,
    config: VerifierConfig,
) -> VerificationResult:
    """The validation checks of a decoded DDCC:VS; `checks` holds the decoding stages so far."""
    signature_check, verified_by = dcc._signature_check(cose, trust)
    record, schema_check = _read_payload(claims.certificate)
    signer = _choose_signer(verified_by, claims, record, now, config)
    checks += [
        signature_check,
        _expiry_check(claims, record, now, signer, config),
        _key_usage_check(signer),
        schema_check,
    ]
    details = _details(claims, record, signer)
    if trust.revocations is not None and trust.revocations.available:
        checks.append(_revocation_check(trust.revocations, cose, record))
    if config.rules is not None:
        checks.append(
            Check.skipped("rules", Reason.NO_RULES_APPLY, "rule profiles read EU certificates")
        )
    checks += data_health_checks(trust, config, details)
    holder = _holder(record, claims.certificate)
    return build_result(
        FORMAT, checks, now, text, payload=claims.certificate, holder=holder, details=details
    )


def _details(
    claims: dcc_decode.CwtClaims, record: DdccRecord | None, signer: TrustedCertificate | None
) -> dict[str, Any]:
    """What an auditor needs besides the checks: claims, sub-claim, summary, signer."""
    subclaim = (
        claims.subclaim if isinstance(claims, ddcc_decode.WhoCwtClaims) else ddcc_decode.EU_SUBCLAIM
    )
    details: dict[str, Any] = {
        "issuer_country": claims.issuer,
        "iat": claims.issued_at,
        "exp": claims.expires,
        "hcert_subclaim": subclaim,
    }
    if record is not None:
        details["vaccination"] = record.summary
    if signer is not None:
        details["signer_kid"] = signer.kid.hex()
        details["signer_country"] = signer.country
    return details


def _read_payload(certificate: dict[str, Any]) -> tuple[DdccRecord | None, Check]:
    try:
        record = read_core_data_set(certificate)
    except Reject as exc:
        return None, Check.failed("schema", exc.reason, exc.detail)
    return record, Check.passed("schema")


def _validity_problems(
    claims: dcc_decode.CwtClaims,
    record: DdccRecord | None,
    now: datetime,
    signer: TrustedCertificate | None,
    config: VerifierConfig,
) -> list[Reject]:
    """The CWT and DSC bounds, then the core data set's own certificate and vaccination dates."""
    problems = check_validity_period(
        claims.issued_at, claims.expires, now, signer, config.clock_skew_seconds
    )
    if record is None:
        return problems
    skew = config.clock_skew_seconds
    start, end = record.certificate_period.start, record.certificate_period.end
    if start is not None and now.timestamp() + skew < start.timestamp():
        problems.append(Reject(Reason.NOT_YET_VALID, f"certificate valid from {_day(start)}"))
    if end is not None and now > end:
        problems.append(Reject(Reason.EXPIRED, f"certificate valid until {_day(end)}"))
    counts_from = record.vaccination_valid_from
    if counts_from is not None and now.timestamp() + skew < counts_from.timestamp():
        detail = f"vaccination counts from {_day(counts_from)}"
        problems.append(Reject(Reason.NOT_YET_VALID, detail))
    return problems


def _day(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%d")


def _expiry_check(
    claims: dcc_decode.CwtClaims,
    record: DdccRecord | None,
    now: datetime,
    signer: TrustedCertificate | None,
    config: VerifierConfig,
) -> Check:
    problems = _validity_problems(claims, record, now, signer, config)
    if problems:
        return Check.failed("expiry", problems[0].reason, problems[0].detail)
    return Check.passed("expiry")


def _may_sign_vaccinations(signer: TrustedCertificate) -> bool:
    return signer.allowed_types is None or VACCINATION_TYPE in signer.allowed_types


def _key_usage_check(signer: TrustedCertificate | None) -> Check:
    if signer is None:
        return Check.skipped("key_usage", Reason.NOT_REACHED, "no verified signer")
    if not _may_sign_vaccinations(signer):
        return Check.failed(
            "key_usage", Reason.KEY_USAGE_MISMATCH, "signer may not sign vaccination certificates"
        )
    return Check.passed("key_usage")


def _choose_signer(
    verified_by: tuple[TrustedCertificate, ...],
    claims: dcc_decode.CwtClaims,
    record: DdccRecord | None,
    now: datetime,
    config: VerifierConfig,
) -> TrustedCertificate | None:
    """Like the EU pipeline: among signers whose key verified, the first that passes most checks,
    so the verdict never depends on the order the trust list holds them in."""
    if len(verified_by) <= 1:
        return verified_by[0] if verified_by else None

    def score(cert: TrustedCertificate) -> int:
        period_ok = not _validity_problems(claims, record, now, cert, config)
        return int(period_ok) + int(_may_sign_vaccinations(cert))

    return max(verified_by, key=score)


def revocation_hashes(
    cose: dcc_decode.CoseSign1, record: DdccRecord | None
) -> dict[HashType, bytes]:
    """The hashes a revocation list may hold for a DDCC: its signature, and its HCID as a UCI."""
    hashes = {HashType.SIGNATURE: truncated_sha256(signature_hash_input(cose.signature, cose.alg))}
    if record is not None:
        hashes[HashType.UCI] = truncated_sha256(record.hcid.encode("utf-8"))
    return hashes


def _revocation_check(
    revocations: RevocationLookup, cose: dcc_decode.CoseSign1, record: DdccRecord | None
) -> Check:
    kid = cose.kid if isinstance(cose.kid, bytes) else b""
    match = revocations.find(kid, revocation_hashes(cose, record))
    if match is not None:
        return Check.failed("revocation", Reason.REVOKED, f"matched by {match.hash_type.name}")
    return Check.passed("revocation")


def _holder(record: DdccRecord | None, certificate: dict[str, Any]) -> Holder | None:
    """The full name and date of birth as written (WHO's model has no family/given split)."""
    if record is not None:
        return Holder(record.name, record.birth_date)
    name, born = certificate.get("name"), certificate.get("birthDate")
    if not isinstance(name, str):
        return None
    return Holder(name, born if isinstance(born, str) else "")
