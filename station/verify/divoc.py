"""The DIVOC pipeline: vaccination certificates of CoWIN (India), Sri Lanka, the Philippines,
Indonesia and Jamaica, whose QR code holds a ZIP archive with a signed W3C credential.

Format (sources): the QR code is byte mode and holds a ZIP archive whose member
`certificate.json` is a W3C Verifiable Credential, `@context` [credentials v1, the CoWIN
vaccination context], `type` [VerifiableCredential, ProofOfVaccinationCredential], with a
linked-data `proof` (RsaSignature2018 or Ed25519Signature2018, a detached JWS over URDNA2015
canonical N-Quads) made by jsonld-signatures: egovernments/DIVOC (backend/certificate_signer,
backend/certificate_signer_library/signer.js, vaccination-context/vaccination-context.js),
Path-Check/divoc-sdk.js (lib/divoc.js: pack/unpack/verify), WorldHealthOrganization/
ddcc-validator (services/qrs/divoc: DivocVerifier.kt, ContextLoader.kt), KDE/khealthcertificate
(src/lib/divoc/jwsverifier.cpp), egovernments/divoc-docs ("What information is included in the
DIVOC certificate?").  The station's QR text decoding keeps binary payloads byte for byte as
Latin-1 text (station/codec/text.py), so a text starting with "PK\\x03\\x04" is this family.

Check names (stable): prefix, zip, json, context, jsonld, then payload, issuer, signature,
validity; `revocation` once the issuer is trusted (DIVOC revocation lists name the
certificate id); `data` when stale trust data must refuse verdicts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from station.config import VerifierConfig
from station.errors import Reject
from station.model import Check, VerificationResult
from station.ports import IssuerKeys, TrustSources
from station.reasons import Reason
from station.verify import divoc_contexts, divoc_json, divoc_payload, divoc_signature, divoc_zip
from station.verify.outcome import build_result, data_health_checks
from station.verify.stages import FAILED, run_stages

FORMAT = "divoc"
#: The family name under which `station trust import-keys --family divoc` stores issuer keys.
KEY_FAMILY = "divoc"
ZIP_MAGIC = "PK\x03\x04"
DECODE_STAGES = ("prefix", "zip", "json", "context", "jsonld")
VALIDATION_CHECKS = ("payload", "issuer", "signature", "validity")
CHECK_NAMES = DECODE_STAGES + VALIDATION_CHECKS


def looks_like_divoc(text: str) -> bool:
    return text.startswith(ZIP_MAGIC)


def verify_divoc(
    text: str, trust: TrustSources, now: datetime, config: VerifierConfig
) -> VerificationResult:
    """Verify a scanned DIVOC ZIP (as Latin-1 text) at the instant `now`."""
    checks: list[Check] = []
    decoded = _decode(text, config, checks)
    if decoded is None:
        checks += [Check.skipped(name) for name in CHECK_NAMES[len(checks) :]]
        return build_result(FORMAT, checks, now, text)
    credential, document_nquads = decoded
    keys = trust.issuer_keys
    checks.append(_outcome("payload", lambda: divoc_payload.check_shape(credential)))
    issuer_check = _issuer_check(credential, keys)
    checks.append(issuer_check)
    checks.append(_signature_check(credential, document_nquads, keys, issuer_check.ok))
    checks.append(_validity_check(credential, now, config))
    if keys is not None and issuer_check.ok:
        checks.append(_revocation_check(credential, keys))
    details = _details(credential)
    checks += data_health_checks(trust, config, details)
    return build_result(
        FORMAT,
        checks,
        now,
        text,
        payload=_unsigned(credential),
        holder=divoc_payload.holder_of(credential),
        details=details,
    )


def _decode(
    text: str, config: VerifierConfig, checks: list[Check]
) -> tuple[dict[str, Any], str] | None:
    """Run the decoding stages in order, appending a check per stage; None at the first failure."""
    from station.verify import divoc_canon  # pyld loads in ~0.15 s: only when a DIVOC pass is seen

    stages: list[tuple[str, Callable[[Any], Any]]] = [
        ("prefix", lambda t: zip_bytes(t, config.max_input_chars)),
        ("zip", divoc_zip.certificate_from_zip),
        ("json", lambda raw: divoc_json.parse_certificate(raw, divoc_zip.MAX_CERTIFICATE_BYTES)),
        ("context", _with_checked_contexts),
        ("jsonld", lambda doc: (doc, divoc_canon.canonical_nquads(_unsigned(doc)))),
    ]
    value = run_stages(text, stages, checks)
    if value is FAILED:
        return None
    credential, nquads = value
    return credential, nquads


def zip_bytes(text: str, max_chars: int) -> bytes:
    """The archive bytes back from the scanned text.

    The QR decoder maps binary payloads to text through Latin-1; a payload that happened to be
    valid UTF-8 came through UTF-8 instead, which only characters above U+00FF can show.
    """
    if not text:
        raise Reject(Reason.INPUT_EMPTY)
    if len(text) > max_chars:
        raise Reject(Reason.INPUT_TOO_LONG, f"{len(text)} characters")
    if not looks_like_divoc(text):
        raise Reject(Reason.NOT_A_HEALTH_CREDENTIAL, "not a ZIP archive")
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        return text.encode("utf-8")


def _with_checked_contexts(credential: dict[str, Any]) -> dict[str, Any]:
    divoc_contexts.check_contexts(credential)
    return credential


def _unsigned(credential: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in credential.items() if k != "proof"}


def _outcome(name: str, check: Callable[[], object]) -> Check:
    try:
        check()
    except Reject as exc:
        return Check.failed(name, exc.reason, exc.detail)
    return Check.passed(name)


def _issuer_check(credential: Mapping[str, Any], keys: IssuerKeys | None) -> Check:
    """Is the credential's issuer on the station's allow-list?  A station that holds no DIVOC
    issuer at all cannot tell a genuine pass from a forged one: a manual check, not INVALID."""
    trusted = keys.issuers(KEY_FAMILY) if keys is not None else []
    if not trusted:
        return Check.failed("issuer", Reason.DIVOC_ISSUER_KEYS_UNAVAILABLE)
    try:
        issuer = divoc_payload.issuer_of(credential)
    except Reject as exc:
        return Check.failed("issuer", exc.reason, exc.detail)
    if issuer not in trusted:
        return Check.failed("issuer", Reason.DIVOC_ISSUER_UNTRUSTED)
    return Check.passed("issuer")


def _signature_check(
    credential: Mapping[str, Any],
    document_nquads: str,
    keys: IssuerKeys | None,
    issuer_trusted: bool | None,
) -> Check:
    """The proof against the issuer's keys; not attempted for an issuer nobody trusts."""
    if keys is None or not issuer_trusted:
        return Check.skipped("signature", Reason.NOT_REACHED, "no trusted issuer")
    from station.verify import divoc_canon

    try:
        proof = divoc_signature.parse_proof(credential.get("proof"))
        issuer = divoc_payload.issuer_of(credential)
        candidates = keys.keys_for(KEY_FAMILY, issuer, proof.verification_method)
        if not candidates:
            raise Reject(Reason.KID_UNKNOWN, "no key with this id for the issuer")
        proof_nquads = divoc_canon.canonical_nquads(proof.options)
        message = divoc_signature.signed_bytes(proof.header_part, proof_nquads, document_nquads)
        divoc_signature.verify_with_keys(proof, candidates, message)
    except Reject as exc:
        return Check.failed("signature", exc.reason, exc.detail)
    return Check.passed("signature")


def _validity_check(credential: Mapping[str, Any], now: datetime, config: VerifierConfig) -> Check:
    try:
        issued, expires = divoc_payload.dates_of(credential)
    except Reject as exc:
        return Check.failed("validity", exc.reason, exc.detail)
    if issued > now + timedelta(seconds=config.clock_skew_seconds):
        return Check.failed("validity", Reason.NOT_YET_VALID, "issued in the future")
    if expires is not None and now >= expires:
        return Check.failed("validity", Reason.EXPIRED)
    return Check.passed("validity")


def _revocation_check(credential: Mapping[str, Any], keys: IssuerKeys) -> Check:
    """Is the certificate id on the issuer's revocation list held by the station?"""
    rid = divoc_payload.certificate_id(credential)
    proof = credential.get("proof")
    kid = proof.get("verificationMethod") if isinstance(proof, dict) else None
    issuer = credential.get("issuer")
    if rid is None or not isinstance(kid, str) or not isinstance(issuer, str):
        return Check.skipped("revocation", Reason.NOT_APPLICABLE, "no certificate id")
    try:
        issued_at = int(divoc_payload.dates_of(credential)[0].timestamp())
    except Reject:
        issued_at = 0
    if keys.is_revoked(KEY_FAMILY, issuer, kid, rid, issued_at):
        return Check.failed("revocation", Reason.REVOKED, "certificate id on the revocation list")
    return Check.passed("revocation")


def _details(credential: Mapping[str, Any]) -> dict[str, Any]:
    proof = credential.get("proof")
    proof = proof if isinstance(proof, dict) else {}
    return {
        "issuer": credential.get("issuer"),
        "issued": credential.get("issuanceDate"),
        "expires": credential.get("expirationDate"),
        "proof_type": proof.get("type"),
        "key_id": proof.get("verificationMethod"),
        "vaccinations": divoc_payload.vaccination_summary(credential),
    }
